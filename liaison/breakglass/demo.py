"""Break-glass in the demo office: one past window (the administrator asked for a report and its partner to
investigate a failed export, the security officer approved, two reads were made) and one request waiting for a
decision. Everything goes through the services and the policy, then the clock of the past one is set back."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import User
from liaison.breakglass.identifiers import parse_identifiers
from liaison.breakglass.models import BreakGlassRead, BreakGlassRequest
from liaison.breakglass.services import breakglass_decide, breakglass_read_record, breakglass_request
from liaison.notifications.models import Notification
from liaison.policy.access import visible_to
from liaison.policy.breakglass import break_glass_object
from liaison.reports.models import Report

PAST = (
    "Ticket INC-2026-0412: the signed PDF export of this report fails with a font error; the log names only the "
    "report. I need to see its fields to reproduce the failure on the test instance."
)
PENDING = (
    "Ticket INC-2026-0431: the partner file below cannot be saved (integrity error on its contacts). The desk "
    "asked me to look at the record before the fix is written."
)


def load_breakglass_demo(*, users: list[User]) -> dict[str, int]:
    by_login = {user.username: user for user in users}
    admin, deputy, officer = by_login.get("admin"), by_login.get("admin.deputy"), by_login.get("security.officer")
    if admin is None or deputy is None or officer is None:
        return {"break_glass_requests": 0}
    hidden = Report.objects.exclude(pk__in=visible_to(Report.objects.all(), admin).values("pk"))
    report = hidden.select_related("exchange").order_by("created_at", "pk").first()
    if report is None:
        return {"break_glass_requests": 0}
    past = breakglass_request(
        by=admin,
        justification=PAST,
        minutes=20,
        objects=parse_identifiers(reverse("reports:detail", args=[report.pk])),
    )
    past = breakglass_decide(by=officer, request=past, approve=True, reason="Ticket checked with the desk head.")
    target = past.targets.get()
    for _read in range(2):
        obj, _decision = break_glass_object(admin, target, timezone.now())
        if obj is not None:
            breakglass_read_record(by=admin, target=target, obj=obj)
    _set_back(past, timedelta(days=3))
    partner = report.exchange.partners.order_by("pk").first()
    pending = str(partner.pk) if partner is not None else str(report.exchange_id)
    breakglass_request(by=deputy, justification=PENDING, minutes=30, objects=parse_identifiers(pending))
    return {"break_glass_requests": 2}


def _set_back(request: BreakGlassRequest, by: timedelta) -> None:
    """Move an approved request's times into the past, its window long expired, its reads a few minutes apart
    inside it (the audit entries keep the time they were written)."""
    assert request.opens_at is not None and request.expires_at is not None
    opens_at = request.opens_at - by
    BreakGlassRequest.objects.filter(pk=request.pk).update(
        created_at=opens_at - timedelta(minutes=25),
        decided_at=opens_at,
        opens_at=opens_at,
        expires_at=request.expires_at - by,
    )
    for n, read in enumerate(BreakGlassRead.objects.filter(request=request).order_by("read_at", "pk")):
        BreakGlassRead.objects.filter(pk=read.pk).update(read_at=opens_at + timedelta(minutes=2 + 7 * n))
    for notice in Notification.objects.filter(target_id=request.pk):
        Notification.objects.filter(pk=notice.pk).update(
            created_at=notice.created_at - by, about_at=notice.about_at - by if notice.about_at else None
        )
