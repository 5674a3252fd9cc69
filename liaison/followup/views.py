"""Pages of follow-ups: the list (mine by default, with filters), one follow-up with its history and actions, the
creation form (blank, or from an exchange, report or partner), a recipient's question on a report, and the desk
head's hand-over page. Each view parses, calls one service or selector, and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.accounts.models import RECORDING_ROLES, RoleCode, User
from liaison.audit.services import record_list_read
from liaison.core.exceptions import DomainError
from liaison.exchanges.selectors import exchange_get, item_list
from liaison.followup import hooks, services
from liaison.followup.forms import ActionForm, FollowUpForm, HandoverForm, ListFilterForm, QuestionForm
from liaison.followup.models import OPEN_STATUSES, FollowUp, FollowUpKind, FollowUpStatus
from liaison.followup.selectors import assignable_owners, followup_get, followup_list, handover_list
from liaison.partners.selectors import partner_choices, partner_get
from liaison.policy.access import can_read
from liaison.policy.gates import has_any_role, request_user, roles_required
from liaison.reports.selectors import report_get

LIST_LIMIT = 200


@login_required
def followup_list_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    is_desk_head = user.has_role(RoleCode.DESK_HEAD)
    form = ListFilterForm(
        request.GET or None,
        partners=partner_choices(user=user),
        owners=assignable_owners(user=user) if is_desk_head else None,
    )
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    scope = filters.get("scope") or "mine"
    owner = filters.get("owner") or (user if scope == "mine" else None)
    followups = followup_list(
        user=user,
        owner=owner,
        kind=filters.get("kind") or None,
        partner=filters.get("partner"),
        overdue=bool(filters.get("overdue")),
    )
    status = filters.get("status", "open") if request.GET else "open"
    if status == "open":
        followups = followups.filter(status__in=OPEN_STATUSES)
    elif status:
        followups = followups.filter(status=status)
    if filters.get("priority"):
        followups = followups.filter(priority=filters["priority"])
    shown = list(followups[:LIST_LIMIT])
    record_list_read(actor=user, objects=shown, view="followup:list", request=request)
    return render(
        request,
        "followup/followup_list.html",
        {
            "form": form,
            "followups": shown,
            "limited": len(shown) == LIST_LIMIT,
            "can_write": has_any_role(user, *RECORDING_ROLES),
            "is_desk_head": is_desk_head,
            "marked": shown,
        },
    )


def _actions_for(user: User, followup: FollowUp) -> list[str]:
    """Which action forms the page offers (the services decide; this only hides buttons that would be refused)."""
    handler = services.followup_can_handle(user, followup)
    if not followup.is_open:
        return ["reopen"] if handler else []
    actions = ["comment"]
    if handler:
        if followup.kind == FollowUpKind.TASK:
            actions += ["complete"]
        else:
            if followup.status == FollowUpStatus.OPEN and followup.kind != FollowUpKind.CONSENT:
                actions += ["partner_ack" if followup.kind == FollowUpKind.RFI_OUT else "acknowledge"]
            actions += ["reestimate", "answer", "refuse"]
        actions += ["reassign", "cancel"]
    elif user.pk == followup.created_by_id:
        actions += ["cancel"]
    return actions


def _detail_context(user: User, followup: FollowUp, form: ActionForm) -> dict[str, Any]:
    def readable(obj: Any) -> Any:
        return obj if obj is not None and can_read(user, obj) else None

    items = list(
        item_list(user=user).filter(pk__in=followup.items.values("pk")).select_related("classification__scheme")
    )
    return {
        "followup": followup,
        "links": {
            "partner": readable(followup.partner),
            "exchange": readable(followup.exchange),
            "report": readable(followup.report),
            "release": readable(followup.answer_release),
            "consent_request": readable(followup.consent_request),
        },
        "items": items,
        "actions": _actions_for(user, followup),
        "form": form,
        "marked": [followup, *items],
    }


@login_required
def followup_detail_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    followup = followup_get(user=user, pk=pk, request=request)
    form = ActionForm(owners=assignable_owners(user=user))
    return render(request, "followup/followup_detail.html", _detail_context(user, followup, form))


def _run_action(user: User, followup: FollowUp, data: dict[str, Any]) -> str:
    """Call the service of the chosen action; answer the message to show."""
    action, text = data["action"], data.get("text") or ""
    if action == "acknowledge":
        services.followup_acknowledge(
            by=user, followup=followup, estimate_at=data["estimate_at"], acknowledged_at=data.get("acknowledged_at")
        )
        return _("Request acknowledged with its estimated answer date.")
    if action == "partner_ack":
        services.followup_record_partner_ack(
            by=user,
            followup=followup,
            estimate_at=data["estimate_at"],
            acknowledged_at=data.get("acknowledged_at"),
            partner_reference=data.get("partner_reference") or "",
        )
        return _("The partner's acknowledgement is recorded.")
    if action == "reestimate":
        services.followup_reestimate(by=user, followup=followup, estimate_at=data["estimate_at"], reason=text)
        return _("New estimate recorded.")
    if action == "answer":
        services.followup_answer(by=user, followup=followup, outcome=text)
        return _("Closed as answered.")
    if action == "refuse":
        services.followup_refuse(by=user, followup=followup, reasons=text)
        return _("Closed as refused, with the reasons.")
    if action == "complete":
        services.followup_complete(by=user, followup=followup, comment=text)
        return _("Task done.")
    if action == "cancel":
        services.followup_cancel(by=user, followup=followup, reason=text)
        return _("Follow-up cancelled.")
    if action == "reopen":
        services.followup_reopen(by=user, followup=followup, reason=text, due_at=data.get("due_at"))
        return _("Follow-up reopened.")
    if action == "reassign":
        services.followup_reassign(by=user, followup=followup, to_user=data["to_user"], comment=text)
        return _("Follow-up reassigned.")
    services.followup_comment(by=user, followup=followup, comment=text)
    return _("Comment added.")


@require_POST
@login_required
def followup_action_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    followup = followup_get(user=user, pk=pk, request=request)
    form = ActionForm(request.POST, owners=assignable_owners(user=user))
    if form.is_valid():
        try:
            messages.success(request, _run_action(user, followup, form.cleaned_data))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("followup:detail", pk=followup.pk)
    followup = followup_get(user=user, pk=pk)
    context = _detail_context(user, followup, form) | {"failed_action": form.data.get("action", "")}
    return render(request, "followup/followup_detail.html", context, status=400)


@roles_required(*RECORDING_ROLES)
def followup_create_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    source = request.POST if request.method == "POST" else request.GET
    exchange = exchange_get(user=user, pk=source["exchange"]) if source.get("exchange") else None
    report = report_get(user=user, pk=source["report"]) if source.get("report") else None
    partner = partner_get(user=user, pk=source["partner"]) if source.get("partner") else None
    if report is not None and exchange is None and can_read(user, report.exchange):
        exchange = report.exchange
    items = list(item_list(user=user, exchange=exchange)) if exchange is not None else []
    initial = {"owner": user, "partner": partner}
    if partner is None and exchange is not None:
        initial["partner"] = exchange.partners.first()  # prefetched through the read rule
    form = FollowUpForm(
        request.POST or None,
        initial=initial,
        owners=assignable_owners(user=user),
        partners=partner_choices(user=user),
        items=items,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            followup = services.followup_create(
                by=user,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                priority=data["priority"],
                owner=data["owner"],
                due_at=data.get("due_at"),
                partner=data.get("partner"),
                exchange=exchange,
                report=report,
                items=list(data.get("items") or []),
                raise_to=form.raise_to(),
                partner_reference=data.get("partner_reference") or "",
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Follow-up created."))
            return redirect("followup:detail", pk=followup.pk)
    context_objects = [obj for obj in (exchange, report, partner) if obj is not None]
    return render(
        request,
        "followup/followup_form.html",
        {
            "form": form,
            "exchange": exchange,
            "report": report,
            "partner": partner,
            "marked": [*context_objects, *items],
        },
    )


@roles_required(RoleCode.RECIPIENT)
def followup_ask_view(request: HttpRequest, pk: str) -> HttpResponse:
    """A recipient service's question about a report, sent to its author."""
    user = request_user(request)
    report = report_get(user=user, pk=pk, request=request)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            followup = hooks.followup_ask_about_report(
                by=user, report=report, question=form.cleaned_data["question"], due_at=form.cleaned_data.get("due_at")
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your question was sent to the author of the report."))
            return redirect("followup:detail", pk=followup.pk)
    return render(request, "followup/question_form.html", {"form": form, "report": report, "marked": [report]})


@roles_required(RoleCode.DESK_HEAD)
def followup_handover_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    members = assignable_owners(user=user)
    form = HandoverForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            handover = hooks.followup_handover(
                from_user=data["from_user"], to_user=data["to_user"], note=data["note"], by=user
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Handed over: %(followups)d follow-ups and %(partners)d partners now with %(alias)s.")
                % {**handover.counts, "alias": handover.to_user.alias},
            )
            return redirect("followup:handover")
    rows = [(member, hooks.handover_preview(from_user=member, by=user)) for member in members]
    return render(
        request,
        "followup/handover.html",
        {"form": form, "rows": rows, "handovers": handover_list(user=user)},
    )
