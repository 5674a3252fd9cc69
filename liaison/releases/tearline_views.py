"""Pages of tearlines (sanitised texts for release): list, writing and rewriting from readable source items, the
detail with the computed marking and what each source owes its originator, and the four-eyes downgrade."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.accounts.models import RECORDING_ROLES, RoleCode
from liaison.audit.services import record_list_read
from liaison.core.exceptions import DomainError
from liaison.policy.access import visible_to
from liaison.policy.gates import has_any_role, request_user, roles_required
from liaison.releases import services
from liaison.releases.consent_forms import DowngradeDecideForm, DowngradeRequestForm, TearlineForm, refusal_text
from liaison.releases.consent_selectors import item_choices, tearline_obligations
from liaison.releases.models import DowngradeStatus, ReleaseStatus, Tearline
from liaison.releases.selectors import tearline_get, tearline_list

PAGE_SIZE = 25


@login_required
def tearline_list_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    tearlines = tearline_list(user=user).select_related("classification__scheme").prefetch_related("compartments")
    page = Paginator(tearlines, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    record_list_read(actor=user, objects=shown, view="releases:tearline_list", request=request)
    return render(
        request,
        "releases/tearline_list.html",
        {"page": page, "marked": shown, "filters": {}, "can_write": has_any_role(user, *RECORDING_ROLES)},
    )


def _tearline_form(request: HttpRequest, tearline: Tearline | None) -> HttpResponse:
    user = request_user(request)
    initial = {}
    if tearline is not None:
        initial = {
            "title": tearline.title,
            "text": tearline.text,
            "sources": [str(pk) for pk in tearline.sources.values_list("pk", flat=True)],
        }
    form = TearlineForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.tearline_save(
                by=user, title=data["title"], text=data["text"], sources=data["sources"], tearline=tearline
            )
        except DomainError as error:
            form.add_error(None, refusal_text(error))
        else:
            messages.success(request, _("Tearline saved. Its markings are computed from its sources."))
            return redirect("releases:tearline_detail", pk=saved.pk)
    selected = request.POST.getlist("sources") if request.method == "POST" else initial.get("sources", [])
    query = request.GET.get("q", "")[:80]
    offered = item_choices(user=user, query=query, chosen=[s for s in selected if _is_uuid(s)])
    return render(
        request,
        "releases/tearline_form.html",
        {
            "form": form,
            "tearline": tearline,
            "offered": offered,
            "selected": set(selected),
            "query": query,
            "is_author": tearline is None or tearline.created_by_id == user.pk,
            "marked": [*([tearline] if tearline else []), *offered],
        },
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@roles_required(*RECORDING_ROLES)
def tearline_create_view(request: HttpRequest) -> HttpResponse:
    return _tearline_form(request, None)


@roles_required(*RECORDING_ROLES)
def tearline_edit_view(request: HttpRequest, pk: str) -> HttpResponse:
    tearline = tearline_get(user=request_user(request), pk=pk, request=request)
    return _tearline_form(request, tearline)


def _detail(
    request: HttpRequest,
    tearline: Tearline,
    request_form: DowngradeRequestForm | None = None,
    decide_form: DowngradeDecideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request_user(request)
    obligations = tearline_obligations(user=user, tearline=tearline)
    releases = list(visible_to(tearline.releases.select_related("partner"), user).order_by("-created_at"))
    released = tearline.releases.exclude(status=ReleaseStatus.DRAFT).exists()
    is_author = tearline.created_by_id == user.pk
    waiting = tearline.downgrade_status == DowngradeStatus.REQUESTED
    return render(
        request,
        "releases/tearline_detail.html",
        {
            "tearline": tearline,
            "obligations": obligations,
            "releases": releases,
            "is_locked": tearline.is_locked,
            "released": released,
            "is_author": is_author,
            "can_request": is_author
            and not released
            and tearline.downgrade_status in (DowngradeStatus.NONE, DowngradeStatus.REFUSED),
            "can_decide": waiting
            and user.has_role(RoleCode.RELEASE_AUTHORITY)
            and tearline.downgrade_requested_by_id != user.pk,
            "waiting_for_another": waiting and tearline.downgrade_requested_by_id == user.pk,
            "request_form": request_form or DowngradeRequestForm(below=tearline.classification.rank),
            "decide_form": decide_form or DowngradeDecideForm(),
            "marked": [tearline, *(item for item, _owed in obligations)],
        },
        status=status,
    )


@login_required
def tearline_detail_view(request: HttpRequest, pk: str) -> HttpResponse:
    tearline = tearline_get(user=request_user(request), pk=pk, request=request)
    return _detail(request, tearline)


@require_POST
@login_required
def tearline_downgrade_request_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    tearline = tearline_get(user=user, pk=pk, request=request)
    form = DowngradeRequestForm(request.POST, below=tearline.classification.rank)
    if form.is_valid():
        try:
            services.downgrade_request(
                by=user, tearline=tearline, level=form.cleaned_data["level"], reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error(None, refusal_text(error))
        else:
            messages.success(request, _("Downgrade requested: another release authority decides it."))
            return redirect("releases:tearline_detail", pk=tearline.pk)
    return _detail(request, tearline, request_form=form)


@require_POST
@roles_required(RoleCode.RELEASE_AUTHORITY)
def tearline_downgrade_decide_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    tearline = tearline_get(user=user, pk=pk, request=request)
    form = DowngradeDecideForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.downgrade_decide(by=user, tearline=tearline, approve=approve, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, refusal_text(error))
        else:
            messages.success(request, _("Downgrade approved.") if approve else _("Downgrade refused."))
            return redirect("releases:tearline_detail", pk=tearline.pk)
    return _detail(request, tearline, decide_form=form)
