"""Reads of alerts. Alerts are not content: security officers handle them, auditors read them (the third line
checks the second); everyone else never learns that an alert exists. The evidence of an alert is read from the
audit log as the audit log shows it: ids, times, actors, event kinds and target ids, never the targets themselves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from liaison.accounts.models import RoleCode
from liaison.alerts.models import Alert, EvidenceSource
from liaison.audit.models import AuditEntry, ReadRecord
from liaison.policy.gates import has_any_role

HANDLERS = (RoleCode.SECURITY_OFFICER,)
READERS = (RoleCode.SECURITY_OFFICER, RoleCode.AUDITOR)


def alerts_readable(alerts: QuerySet[Alert], user: Any) -> QuerySet[Alert]:
    """The alerts among `alerts` that `user` may read: all for security officers and auditors, none for others."""
    return alerts if has_any_role(user, *READERS) else alerts.none()


def can_handle_alerts(user: Any) -> bool:
    return has_any_role(user, *HANDLERS)


def alert_list(*, user: Any, status: str = "", rule: str = "", severity: str = "") -> QuerySet[Alert]:
    """Alerts, open first then acknowledged then closed, newest first within each; one query whatever the page."""
    alerts = alerts_readable(Alert.objects.select_related("user", "acknowledged_by", "closed_by"), user)
    if status:
        alerts = alerts.filter(status=status)
    if rule:
        alerts = alerts.filter(rule=rule)
    if severity:
        alerts = alerts.filter(severity=severity)
    return alerts.order_by("-raised_at", "id")


def alert_get(*, user: Any, pk: Any) -> Alert:
    alert = alerts_readable(Alert.objects.select_related("user", "acknowledged_by", "closed_by"), user)
    found = alert.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def alert_open_count(*, user: Any) -> int:
    return alerts_readable(Alert.objects.filter(status="open"), user).count()


@dataclass(frozen=True)
class EvidenceRows:
    entries: list[AuditEntry]
    reads: list[ReadRecord]

    @property
    def entry_seqs(self) -> str:
        return ",".join(str(e.seq) for e in self.entries)

    @property
    def read_ids(self) -> str:
        return ",".join(str(r.id) for r in self.reads)


def alert_evidence(*, alert: Alert) -> EvidenceRows:
    """The audit entries and read records an alert rests on, oldest first: three queries whatever their number."""
    refs = list(alert.evidence.values_list("source", "ref"))
    seqs = [ref for source, ref in refs if source == EvidenceSource.ENTRY]
    ids = [ref for source, ref in refs if source == EvidenceSource.READ]
    entries = list(AuditEntry.objects.filter(seq__in=seqs).order_by("seq")) if seqs else []
    reads = list(ReadRecord.objects.filter(id__in=ids).order_by("id")) if ids else []
    return EvidenceRows(entries, reads)
