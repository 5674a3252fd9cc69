"""Pages of break-glass access: the request form, the requester's list, the approvers' pending list, one request
(decision and early close), and the read-only page of a named object during an open window. Each view parses,
calls one service or selector, and renders; the policy (`liaison.policy.breakglass`) decides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.breakglass import services
from liaison.breakglass.display import object_fields
from liaison.breakglass.forms import BreakGlassRequestForm, CloseForm, DecisionForm
from liaison.breakglass.models import BreakGlassRequest
from liaison.breakglass.selectors import (
    breakglass_get,
    breakglass_list_mine,
    breakglass_list_pending,
    breakglass_list_recent,
    breakglass_object_get,
)
from liaison.core.exceptions import DomainError, PolicyRefusal
from liaison.policy.breakglass import (
    APPROVER_ROLES,
    REQUESTER_ROLES,
    break_glass_close_decision,
    break_glass_decide_decision,
)
from liaison.policy.gates import request_user, roles_required


def _refusal_text(error: DomainError) -> str:
    if isinstance(error, PolicyRefusal):
        return _("%(message)s (rule: %(rule)s)") % {"message": error.message, "rule": error.rule}
    return error.message


@roles_required(*REQUESTER_ROLES)
def breakglass_list_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    return render(
        request,
        "breakglass/list.html",
        {"requests": breakglass_list_mine(user=user), "now": timezone.now(), "mine": True},
    )


@roles_required(*APPROVER_ROLES)
def breakglass_pending_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    return render(
        request,
        "breakglass/pending.html",
        {
            "pending": breakglass_list_pending(user=user),
            "recent": breakglass_list_recent(user=user),
            "now": timezone.now(),
        },
    )


@roles_required(*REQUESTER_ROLES)
def breakglass_create_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = BreakGlassRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.breakglass_request(
                by=user,
                justification=form.cleaned_data["justification"],
                minutes=form.cleaned_data["minutes"],
                objects=form.cleaned_data["objects"],
            )
        except DomainError as error:
            form.add_error(None, _refusal_text(error))
        else:
            messages.success(
                request, _("Request recorded. Another administrator or a security officer will decide it.")
            )
            return redirect("breakglass:detail", pk=created.pk)
    return render(request, "breakglass/request_form.html", {"form": form})


def _detail(request: HttpRequest, bg: BreakGlassRequest, **forms: Any) -> HttpResponse:
    user = request_user(request)
    now = timezone.now()
    is_open = bg.is_open(now)
    return render(
        request,
        "breakglass/detail.html",
        {
            "bg": bg,
            "state": bg.state(now),
            "is_open": is_open,
            "can_read": is_open and bg.requester_id == user.pk,
            "seconds_left": int((bg.expires_at - now).total_seconds()) if is_open and bg.expires_at else 0,
            "can_decide": break_glass_decide_decision(user, bg).allowed,
            "can_close": break_glass_close_decision(user, bg, now).allowed,
            "decision_form": forms.get("decision_form") or DecisionForm(),
            "close_form": forms.get("close_form") or CloseForm(),
        },
    )


@roles_required(*APPROVER_ROLES)
def breakglass_detail_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _detail(request, breakglass_get(user=request_user(request), pk=pk))


@roles_required(*APPROVER_ROLES)
@require_POST
def breakglass_decide_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    bg = breakglass_get(user=user, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, bg, decision_form=form)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.breakglass_decide(by=user, request=bg, approve=approve, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(
            request,
            _("Approved: the window is open for the requested duration.") if approve else _("Request refused."),
        )
    return redirect("breakglass:detail", pk=bg.pk)


@roles_required(*APPROVER_ROLES)
@require_POST
def breakglass_close_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    bg = breakglass_get(user=user, pk=pk)
    form = CloseForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.breakglass_close(by=user, request=bg, reason=reason)
    except DomainError as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(request, _("Closed: no object of this request can be read any more."))
    return redirect("breakglass:detail", pk=bg.pk)


@roles_required(*REQUESTER_ROLES)
def breakglass_object_view(request: HttpRequest, pk: str, target: str) -> HttpResponse:
    user = request_user(request)
    found, obj = breakglass_object_get(user=user, pk=pk, target_pk=target, request=request)
    services.breakglass_read_record(by=user, target=found, obj=obj, request=request)
    bg = found.request
    now = timezone.now()
    assert bg.expires_at is not None  # an open window
    return render(
        request,
        "breakglass/object.html",
        {
            "bg": bg,
            "target": found,
            "obj": obj,
            "kind": obj._meta.verbose_name,
            "fields": object_fields(obj),
            "compartments": list(obj.compartments.all()),
            "seconds_left": max(0, int((bg.expires_at - now).total_seconds())),
            "marked": [obj],
        },
    )
