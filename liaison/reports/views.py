"""Pages of the compte-rendu workflow: lists (mine, to review, inbox), editor, review, dissemination,
acknowledgement. Each calls one service; exports live in export_views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.accounts.models import RECORDING_ROLES, RoleCode
from liaison.audit.services import record_list_read
from liaison.core.exceptions import DomainError
from liaison.exchanges.selectors import exchange_get, item_list
from liaison.followup.selectors import followup_list_linked
from liaison.policy.access import can_read
from liaison.policy.gates import has_any_role, request_user, roles_required
from liaison.policy.markings import Marking
from liaison.reports import services
from liaison.reports.forms import DisseminateForm, ReportForm, ReturnForm
from liaison.reports.models import SECTIONS, ReportStatus
from liaison.reports.selectors import report_get, report_inbox, report_list, report_list_to_review


@login_required
def report_list_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    mine = list(report_list(user=user).filter(created_by=user)[:50])
    to_review = list(report_list_to_review(user=user)[:50])
    inbox = list(report_inbox(user=user)[:50])
    shown = list({r.pk: r for r in [*mine, *to_review, *inbox]}.values())
    record_list_read(actor=user, objects=shown, view="reports:list", request=request)
    return render(
        request,
        "reports/report_list.html",
        {"mine": mine, "to_review": to_review, "inbox": inbox, "marked": [*mine, *to_review, *inbox]},
    )


@require_POST
@roles_required(*RECORDING_ROLES)
def report_create_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    exchange = exchange_get(user=user, pk=pk, request=request)
    report = services.report_create(by=user, exchange=exchange)
    return redirect("reports:edit", pk=report.pk)


@login_required
def report_detail_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    report = report_get(user=user, pk=pk, request=request)
    recipients = list(report.recipients.all())
    my_recipient = next((r for r in recipients if r.service_id == user.service_id), None)
    followups = followup_list_linked(user=user, report=report)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "sections": [(label, getattr(report, name)) for name, label in SECTIONS],
            "recipients": recipients,
            "my_recipient": my_recipient,
            "is_author": report.created_by_id == user.pk,
            "exchange_visible": can_read(user, report.exchange),
            "can_review": user.has_role(RoleCode.DESK_HEAD)
            and report.created_by_id != user.pk
            and report.status == ReportStatus.SUBMITTED,
            "can_disseminate": user.has_role(RoleCode.DESK_HEAD)
            and user.service_id == report.created_by.service_id
            and report.status in (ReportStatus.APPROVED, ReportStatus.DISSEMINATED),
            "return_form": ReturnForm(),
            "can_release_quotes": has_any_role(user, *RECORDING_ROLES) and bool(report.quotes.all()),
            "followups": followups,
            "followup_create_query": f"report={report.pk}" if has_any_role(user, *RECORDING_ROLES) else "",
            "can_ask": my_recipient is not None and user.has_role(RoleCode.RECIPIENT),
            "marked": [report, *followups],
        },
    )


@roles_required(*RECORDING_ROLES)
def report_edit_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    report = report_get(user=user, pk=pk, request=request)
    items = list(item_list(user=user, exchange=report.exchange))
    form = ReportForm(request.POST or None, report=report, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        quotes = [services.Quote(item, data[f"extract_{item.pk}"]) for item in items if data.get(f"quote_{item.pk}")]
        raise_to = Marking(
            rank=data["raise_classification"].rank if data["raise_classification"] else 0,
            compartments=frozenset(c.code for c in data["add_compartments"]),
        )
        try:
            services.report_update(
                by=user,
                report=report,
                title=data["title"],
                sections={name: data[name] for name, _label in SECTIONS},
                quotes=quotes,
                raise_to=raise_to,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Report saved. Its markings now cover everything it quotes."))
            return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/report_form.html", {"form": form, "report": report, "marked": [report, *items]})


def _act(request: HttpRequest, pk: str, action: str) -> HttpResponse:
    user = request_user(request)
    report = report_get(user=user, pk=pk, request=request)
    try:
        if action == "submit":
            services.report_submit(by=user, report=report)
            messages.success(request, _("Report submitted to the hierarchy."))
        elif action == "approve":
            services.report_approve(by=user, report=report)
            messages.success(request, _("Report approved, frozen and signed."))
            return redirect("reports:disseminate", pk=report.pk)
        elif action == "acknowledge":
            services.report_acknowledge(by=user, report=report)
            messages.success(request, _("Receipt acknowledged for your service."))
        elif action == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Say what the author should change: a return needs a comment."))
            services.report_return(by=user, report=report, comment=form.cleaned_data["comment"])
            messages.success(request, _("Report returned to its author."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("reports:detail", pk=report.pk)


@require_POST
@roles_required(*RECORDING_ROLES)
def report_submit_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _act(request, pk, "submit")


@require_POST
@roles_required(RoleCode.DESK_HEAD)
def report_return_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _act(request, pk, "return")


@require_POST
@roles_required(RoleCode.DESK_HEAD)
def report_approve_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _act(request, pk, "approve")


@require_POST
@login_required
def report_acknowledge_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _act(request, pk, "acknowledge")


@roles_required(RoleCode.DESK_HEAD)
def report_disseminate_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    report = report_get(user=user, pk=pk, request=request)
    suggested = services.route_suggestions(report)
    form = DisseminateForm(request.POST or None, initial={"services": suggested})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_disseminate(by=user, report=report, services=form.cleaned_data["services"])
        except DomainError as error:
            form.add_error("services", error.message)
        else:
            messages.success(request, _("Report disseminated; each service must acknowledge it."))
            return redirect("reports:detail", pk=report.pk)
    field = form.fields["services"]
    decisions = [(s, services.recipient_decision(report, s), s in suggested) for s in field.queryset]  # type: ignore[attr-defined]
    return render(
        request,
        "reports/report_disseminate.html",
        {"report": report, "form": form, "decisions": decisions, "marked": [report]},
    )
