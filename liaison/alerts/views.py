"""The security officers' alert pages: the list (filters: status, rule, severity), an alert with its evidence,
acknowledging and closing with a reason. Auditors read them; everyone else gets 404."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.alerts.forms import CloseForm
from liaison.alerts.models import AlertRule, AlertStatus, Severity
from liaison.alerts.selectors import HANDLERS, READERS, alert_evidence, alert_get, alert_list, can_handle_alerts
from liaison.alerts.services import alert_acknowledge, alert_close
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.exceptions import DomainError
from liaison.policy.gates import request_user, roles_required

PAGE_SIZE = 50


def _choice(value: str, choices: list[tuple[str, Any]]) -> str:
    return value if value in {code for code, _label in choices} else ""


@roles_required(*READERS)
def alert_list_view(request: HttpRequest) -> HttpResponse:
    status = _choice(request.GET.get("status", ""), AlertStatus.choices)
    rule = _choice(request.GET.get("rule", ""), AlertRule.choices)
    severity = _choice(request.GET.get("severity", ""), Severity.choices)
    alerts = alert_list(user=request_user(request), status=status, rule=rule, severity=severity)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {"status": status, "rule": rule, "severity": severity}
    record(
        actor=request.user,
        event=AuditEvent.AUDIT_VIEWED,
        extra={"view": "alerts", "page": page.number, **{k: v for k, v in filters.items() if v}},
        request=request,
    )
    return render(
        request,
        "alerts/alert_list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": AlertStatus.choices,
            "rules": AlertRule.choices,
            "severities": Severity.choices,
        },
    )


def _detail(request: HttpRequest, pk: UUID, form: CloseForm | None = None, status: int = 200) -> HttpResponse:
    user = request_user(request)
    alert = alert_get(user=user, pk=pk)
    record(actor=user, event=AuditEvent.AUDIT_VIEWED, extra={"view": "alert", "alert": str(alert.pk)}, request=request)
    return render(
        request,
        "alerts/alert_detail.html",
        {
            "alert": alert,
            "evidence": alert_evidence(alert=alert),
            "can_handle": can_handle_alerts(user) and not alert.is_closed,
            "form": form or CloseForm(),
        },
        status=status,
    )


@roles_required(*READERS)
def alert_detail_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _detail(request, pk)


@require_POST
@roles_required(*HANDLERS)
def alert_acknowledge_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request_user(request)
    alert = alert_get(user=user, pk=pk)
    try:
        alert_acknowledge(alert=alert, by=user, request=request)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Alert acknowledged."))
    return redirect("alerts:detail", pk=alert.pk)


@require_POST
@roles_required(*HANDLERS)
def alert_close_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request_user(request)
    alert = alert_get(user=user, pk=pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _detail(request, pk, form, status=400)
    try:
        alert_close(alert=alert, by=user, reason=form.cleaned_data["reason"], request=request)
    except DomainError as error:
        form.add_error("reason", str(error))
        return _detail(request, pk, form, status=400)
    messages.success(request, _("Alert closed."))
    return redirect("alerts:detail", pk=alert.pk)
