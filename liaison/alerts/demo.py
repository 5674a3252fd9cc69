"""The demo office's anomaly alerts: a fortnight of ordinary reading by the counter-terrorism analysts, then
LAZULITE reading in bulk at 3 a.m., MAGNOLIA refused again and again one afternoon, and the administrator XENON
logging in from an unknown machine and address; the rules run over it, and the security officers have already
taken some of the alerts in hand. Written under the demo clock, so each record carries the time it describes;
deterministic for a given seed (times are relative to the day the demo is built)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from liaison.accounts.models import User
from liaison.alerts.models import Alert, AlertRule
from liaison.alerts.rules import alerts_evaluate
from liaison.alerts.services import alert_acknowledge, alert_close
from liaison.audit.events import AuditEvent
from liaison.audit.services import record, record_read
from liaison.home.demo import DemoClock, demo_clock
from liaison.policy.access import visible_to
from liaison.reports.models import Report

BASELINE_DAYS = 14
WORKSTATION = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
UNKNOWN_TOOL = "python-requests/2.31.0"


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    """A local time of the office, in UTC as everything is stored (and hashed)."""
    return datetime.combine(day, time(hour, minute), ZoneInfo(settings.TIME_ZONE)).astimezone(UTC)


def _read(clock: DemoClock, user: User, when: datetime, report: Report, event: AuditEvent) -> None:
    clock.at(when)
    record_read(actor=user, event=event, target=report, ip="10.20.4.31")


def _ordinary_days(clock: DemoClock, rng: random.Random, user: User, reports: list[Report], day: date) -> None:
    """A fortnight of office-hours reading before `day`: a handful to fifteen reports a working day."""
    for back in range(BASELINE_DAYS, 0, -1):
        current = day - timedelta(days=back)
        if current.weekday() >= 5:
            continue
        for _n in range(rng.randint(4, 15)):
            when = _local(current, rng.randint(8, 17), rng.randint(0, 59))
            _read(clock, user, when, rng.choice(reports), AuditEvent.OBJECT_READ)


def _night_bulk(clock: DemoClock, rng: random.Random, user: User, reports: list[Report], day: date) -> None:
    """Seventy reads between 3 and 4 a.m.: far above the day's baseline and outside the usual hours."""
    start = _local(day, 3, 2)
    for n in range(70):
        _read(
            clock,
            user,
            start + timedelta(seconds=45 * n + rng.randint(0, 20)),
            reports[n % len(reports)],
            AuditEvent.OBJECT_READ,
        )


def _refusals(clock: DemoClock, user: User, hidden: list[Report], day: date) -> None:
    """Seven refusals within ten minutes: links to reports above the analyst's clearance, tried one after another."""
    start = _local(day, 15, 1)
    for n in range(7):
        _read(clock, user, start + timedelta(seconds=70 * n), hidden[n % len(hidden)], AuditEvent.ACCESS_REFUSED)


def _logins(clock: DemoClock, rng: random.Random, admin: User, now: datetime) -> None:
    """A fortnight of working-day logins from the administrator's workstation, then one from elsewhere this morning
    (or a moment ago, before 6 a.m.)."""
    today = timezone.localdate(now)
    for back in range(BASELINE_DAYS, 0, -1):
        current = today - timedelta(days=back)
        if current.weekday() >= 5:
            continue
        clock.at(_local(current, 8, rng.randint(0, 40)))
        extra = {"second_factor": True, "user_agent": WORKSTATION}
        record(actor=admin, event=AuditEvent.LOGIN_SUCCEEDED, target=admin, extra=extra, ip="10.20.9.14")
    clock.at(min(now - timedelta(minutes=1), _local(today, 6, 12)))
    extra = {"second_factor": True, "user_agent": UNKNOWN_TOOL}
    record(actor=admin, event=AuditEvent.LOGIN_SUCCEEDED, target=admin, extra=extra, ip="192.0.2.44")


def load_alerts_demo(*, rng: random.Random, users: list[User]) -> dict[str, int]:
    by_login = {user.username: user for user in users}
    bulk, refused, admin = by_login["analyst.ct"], by_login["analyst.ct2"], by_login["admin"]
    officer, deputy = by_login["security.officer"], by_login["security.deputy"]
    all_reports = list(Report.objects.order_by("created_at", "id"))
    readable = list(visible_to(Report.objects.order_by("created_at", "id"), bulk))
    seen = {report.pk for report in visible_to(Report.objects.all(), refused)}
    hidden = [report for report in all_reports if report.pk not in seen]
    now = timezone.now()
    today = timezone.localdate(now)
    yesterday = today - timedelta(days=1)
    with demo_clock() as clock:
        if readable:
            _ordinary_days(clock, rng, bulk, readable, yesterday)
            _night_bulk(clock, rng, bulk, readable, yesterday)
        if hidden:
            _refusals(clock, refused, hidden, yesterday)
        _logins(clock, rng, admin, now)
    result = alerts_evaluate()
    off_hours = Alert.objects.filter(rule=AlertRule.OFF_HOURS, user=bulk).first()
    if off_hours is not None:
        alert_acknowledge(alert=off_hours, by=officer)
    refusals = Alert.objects.filter(rule=AlertRule.REFUSALS, user=refused).first()
    if refusals is not None:
        alert_close(
            alert=refusals,
            by=deputy,
            reason="MAGNOLIA followed links of a SECRET report forwarded by a colleague; reminded of the rule, "
            "no access request needed.",
        )
    return {"alerts": result.raised}
