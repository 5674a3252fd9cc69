"""The concerns' pages: a colleague raises a concern and follows their own; every signed-in colleague reads the
published answers; the security office works the queue (triage, answer, close, publish) and audit reads it. A
concern the user may not read answers 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.concerns.forms import AnswerForm, ConcernForm, PublishForm, TriageForm
from liaison.concerns.models import Concern, ConcernCategory, ConcernSeverity, ConcernStatus
from liaison.concerns.selectors import (
    ANSWER_TARGETS,
    can_handle_concerns,
    can_read_all_concerns,
    concern_get,
    concern_handlers,
    concern_list_mine,
    concern_queue,
    concern_response_stats,
    concern_status_counts,
    published_answers,
)
from liaison.concerns.services import (
    concern_answer,
    concern_close,
    concern_publish,
    concern_submit,
    concern_triage,
    concern_unpublish,
)
from liaison.core.exceptions import DomainError, InputFieldError
from liaison.policy.gates import request_user, roles_required
from liaison.policy.security_office import CONCERN_HANDLERS, CONCERN_READERS

PAGE_SIZE = 50
PERIODS = (90, 365)  # days of the response-time figures on the queue page


def _choice(value: str, choices: list[tuple[str, Any]]) -> str:
    return value if value in {str(code) for code, _label in choices} else ""


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context["can_read_all_concerns"] = can_read_all_concerns(request.user)
    return render(request, template, context, status=status)


def _form_error(form: forms.Form, error: DomainError) -> None:
    field = error.field if isinstance(error, InputFieldError) and error.field in form.fields else None
    form.add_error(field, error.message)


@login_required
def concern_mine_view(request: HttpRequest) -> HttpResponse:
    concerns = concern_list_mine(user=request_user(request))
    page = Paginator(concerns, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "concerns/mine.html", {"page": page})


@login_required
def concern_create_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if request.method != "POST":
        service = user.service.name if user.service else ""
        form = ConcernForm(initial={"post_or_service": service})
        return _render(request, "concerns/concern_form.html", {"form": form})
    form = ConcernForm(request.POST)
    if form.is_valid():
        try:
            concern = concern_submit(by=user, request=request, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Concern %(ref)s sent to the security office.") % {"ref": concern.reference})
            return redirect("concerns:detail", pk=concern.pk)
    return _render(request, "concerns/concern_form.html", {"form": form}, 400)


@login_required
def published_view(request: HttpRequest) -> HttpResponse:
    return _render(request, "concerns/published.html", {"categories": published_answers()})


@roles_required(*CONCERN_READERS)
def concern_queue_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    handlers = list(concern_handlers())
    filters = {
        "status": _choice(request.GET.get("status", ""), ConcernStatus.choices),
        "category": _choice(request.GET.get("category", ""), ConcernCategory.choices),
        "severity": _choice(request.GET.get("severity", ""), ConcernSeverity.choices),
        "handler": _choice(request.GET.get("handler", ""), [(str(h.pk), h.alias) for h in handlers]),
    }
    days = int(_choice(request.GET.get("period", ""), [(str(d), d) for d in PERIODS]) or PERIODS[-1])
    page = Paginator(concern_queue(user=user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    until = timezone.now()
    counts = concern_status_counts(user=user)
    return _render(
        request,
        "concerns/queue.html",
        {
            "page": page,
            "filters": filters,
            "statuses": [(code, label, counts[code]) for code, label in ConcernStatus.choices],
            "categories": ConcernCategory.choices,
            "severities": ConcernSeverity.choices,
            "handlers": handlers,
            "periods": PERIODS,
            "days": days,
            "stats": concern_response_stats(since=until - timedelta(days=days), until=until),
            "targets": [(label, ANSWER_TARGETS[code].days) for code, label in reversed(ConcernSeverity.choices)],
        },
    )


def _detail(
    request: HttpRequest,
    concern: Concern,
    *,
    triage: TriageForm | None = None,
    answer: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request_user(request)
    can_handle = can_handle_concerns(user)
    context: dict[str, Any] = {"concern": concern, "can_handle": can_handle}
    if can_handle:
        initial = {"severity": concern.severity, "owner": (concern.owner or user).alias}
        context["triage_form"] = triage or TriageForm(initial=initial, prefix="triage")
        context["answer_form"] = answer or AnswerForm(prefix="answer")
    return _render(request, "concerns/concern_detail.html", context, status)


@login_required
def concern_detail_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _detail(request, concern_get(user=request_user(request), pk=pk))


@roles_required(*CONCERN_HANDLERS)  # first: a page a user may not use answers 404, whatever the method
@require_POST
def concern_triage_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request_user(request)
    concern = concern_get(user=user, pk=pk)
    form = TriageForm(request.POST, prefix="triage")
    if form.is_valid():
        try:
            concern_triage(concern=concern, by=user, request=request, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Concern triaged."))
            return redirect("concerns:detail", pk=concern.pk)
    return _detail(request, concern, triage=form, status=400)


@roles_required(*CONCERN_HANDLERS)  # first: a page a user may not use answers 404, whatever the method
@require_POST
def concern_answer_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request_user(request)
    concern = concern_get(user=user, pk=pk)
    form = AnswerForm(request.POST, prefix="answer")
    if form.is_valid():
        try:
            concern_answer(concern=concern, by=user, request=request, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Answer sent to the requester."))
            return redirect("concerns:detail", pk=concern.pk)
    return _detail(request, concern, answer=form, status=400)


@roles_required(*CONCERN_HANDLERS)  # first: a page a user may not use answers 404, whatever the method
@require_POST
def concern_close_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request_user(request)
    concern = concern_get(user=user, pk=pk)
    try:
        concern_close(concern=concern, by=user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Concern closed."))
    return redirect("concerns:detail", pk=concern.pk)


@roles_required(*CONCERN_HANDLERS)
def concern_publish_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request_user(request)
    concern = concern_get(user=user, pk=pk)
    if request.method != "POST":
        initial = {
            "question": concern.published_question or concern.subject,
            "answer": concern.published_answer or concern.answer,
        }
        return _render(request, "concerns/publish.html", {"concern": concern, "form": PublishForm(initial=initial)})
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            concern_publish(concern=concern, by=user, request=request, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Answer published."))
            return redirect("concerns:detail", pk=concern.pk)
    return _render(request, "concerns/publish.html", {"concern": concern, "form": form}, 400)


@roles_required(*CONCERN_HANDLERS)  # first: a page a user may not use answers 404, whatever the method
@require_POST
def concern_unpublish_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request_user(request)
    concern = concern_get(user=user, pk=pk)
    try:
        concern_unpublish(concern=concern, by=user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Answer withdrawn from the published answers."))
    return redirect("concerns:detail", pk=concern.pk)
