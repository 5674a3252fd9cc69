"""Writes of alerts: `raise_alert` (the one door every rule and every other app uses), acknowledging and closing.
Each records its audit entry in its own transaction; raising notifies every security officer once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import RoleCode, User
from liaison.alerts.models import SEVERITY_RANK, Alert, AlertEvidence, AlertStatus, EvidenceSource, Severity
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.exceptions import Conflict, DomainError
from liaison.notifications.models import NotificationKind
from liaison.notifications.services import notify

CLOSE_REASON_MAX = 2000


@dataclass(frozen=True)
class Evidence:
    """A reference to what an alert rests on: an audit entry (`entry`, by seq) or a read record (`read`, by id)."""

    source: str
    ref: int

    @classmethod
    def entry(cls, seq: int) -> Evidence:
        return cls(EvidenceSource.ENTRY, seq)

    @classmethod
    def read(cls, pk: int) -> Evidence:
        return cls(EvidenceSource.READ, pk)


def _add_evidence(alert: Alert, evidence: Iterable[Evidence]) -> int:
    """Attach references not attached yet, up to LIAISON_ALERT_EVIDENCE_MAX per alert; returns how many."""
    room = settings.LIAISON_ALERT_EVIDENCE_MAX - alert.evidence.count()
    if room <= 0:
        return 0
    known = set(alert.evidence.values_list("source", "ref"))
    fresh = [e for e in dict.fromkeys(evidence) if (e.source, e.ref) not in known][:room]
    AlertEvidence.objects.bulk_create([AlertEvidence(alert=alert, source=e.source, ref=e.ref) for e in fresh])
    return len(fresh)


def security_officers() -> list[User]:
    return list(User.objects.filter(is_active=True, roles__code=RoleCode.SECURITY_OFFICER).order_by("alias"))


def raise_alert(
    *,
    rule: str,
    user: User,
    window: tuple[datetime, datetime],
    evidence: Iterable[Evidence],
    severity: str = Severity.MEDIUM,
    facts: dict[str, Any] | None = None,
    evidence_count: int | None = None,
) -> tuple[Alert, bool]:
    """Raise the alert of `rule` about `user` for `window` (start, end), or add to the one already raised for the
    same rule, user and window start: an open or acknowledged alert takes the new figures, evidence, a later end and
    a higher severity (audited as `alert.updated` when anything changed); a closed one stays closed. A new alert is
    audited (`alert.raised`) and notified to every active security officer. Returns the alert and whether it is
    new. `facts` are the figures the explanation quotes (counts, thresholds): never protected content."""
    evidence = list(evidence)
    facts = dict(facts or {})
    count = len(evidence) if evidence_count is None else evidence_count
    start, end = window
    if end < start:
        raise DomainError(_("An alert's window must end after it starts."))
    with transaction.atomic():
        existing = Alert.objects.select_for_update().filter(rule=rule, user=user, window_start=start).first()
        if existing is None:
            try:
                with transaction.atomic():
                    alert = Alert.objects.create(
                        rule=rule,
                        user=user,
                        window_start=start,
                        window_end=end,
                        severity=severity,
                        facts=facts,
                        evidence_count=count,
                        raised_at=timezone.now(),
                    )
            except IntegrityError:  # a concurrent evaluation raised it first
                existing = Alert.objects.select_for_update().get(rule=rule, user=user, window_start=start)
            else:
                _add_evidence(alert, evidence)
                record(
                    actor=None,
                    event=AuditEvent.ALERT_RAISED,
                    target=alert,
                    extra={
                        "rule": rule,
                        "user": str(user.pk),
                        "severity": severity,
                        "count": count,
                        "from": start.isoformat(),
                        "until": end.isoformat(),
                    },
                )
                for officer in security_officers():
                    notify(recipient=officer, kind=NotificationKind.ALERT_RAISED, target=alert, key=str(alert.pk))
                return alert, True
        return _update(existing, end=end, severity=severity, facts=facts, count=count, evidence=evidence), False


def _update(
    alert: Alert, *, end: datetime, severity: str, facts: dict[str, Any], count: int, evidence: list[Evidence]
) -> Alert:
    if alert.is_closed:
        return alert
    changed: list[str] = []
    if end > alert.window_end:
        alert.window_end = end
        changed.append("window_end")
    if SEVERITY_RANK.get(severity, 0) > SEVERITY_RANK.get(alert.severity, 0):  # type: ignore[call-overload]
        alert.severity = severity
        changed.append("severity")
    if facts != alert.facts:
        alert.facts = facts
        changed.append("facts")
    if count != alert.evidence_count:
        alert.evidence_count = count
        changed.append("evidence_count")
    added = _add_evidence(alert, evidence)
    if changed or added:
        alert.save(update_fields=[*changed, "updated_at"])
        record(
            actor=None,
            event=AuditEvent.ALERT_UPDATED,
            target=alert,
            extra={"changed": changed, "evidence_added": added, "count": alert.evidence_count},
        )
    return alert


def alert_acknowledge(*, alert: Alert, by: User, request: Any = None) -> Alert:
    """A security officer takes an open alert in hand; acknowledging twice changes nothing."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.status == AlertStatus.ACKNOWLEDGED:
            return alert
        if alert.status != AlertStatus.OPEN:
            raise Conflict(_("This alert is closed; a closed alert cannot be acknowledged."))
        alert.status = AlertStatus.ACKNOWLEDGED
        alert.acknowledged_by = by
        alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "updated_at"])
        record(actor=by, event=AuditEvent.ALERT_ACKNOWLEDGED, target=alert, extra={"rule": alert.rule}, request=request)
    return alert


def alert_close(*, alert: Alert, by: User, reason: str, request: Any = None) -> Alert:
    """A security officer closes an open or acknowledged alert, saying why (a false positive, a justified task, a
    case opened); the reason is kept on the alert and in the audit log."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the alert is closed (for example: expected workload, case opened)."))
    if len(reason) > CLOSE_REASON_MAX:
        raise DomainError(
            _("Keep the reason under %(max)s characters; details belong in the case file.") % {"max": CLOSE_REASON_MAX}
        )
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.is_closed:
            raise Conflict(_("This alert is already closed."))
        alert.status = AlertStatus.CLOSED
        alert.closed_by = by
        alert.closed_at = timezone.now()
        alert.close_reason = reason
        alert.save(update_fields=["status", "closed_by", "closed_at", "close_reason", "updated_at"])
        record(
            actor=by,
            event=AuditEvent.ALERT_CLOSED,
            target=alert,
            extra={"rule": alert.rule, "reason": reason},
            request=request,
        )
    return alert
