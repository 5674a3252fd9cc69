from __future__ import annotations

from django.db.models import QuerySet

from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry, ReadRecord


def audit_entry_list(*, event: str = "", actor: str = "") -> QuerySet[AuditEntry]:
    """Audit entries, newest first, for the auditor and the security officer (entries never hold content)."""
    entries = AuditEntry.objects.order_by("-seq")
    if event:
        entries = entries.filter(event=event)
    if actor:
        entries = entries.filter(actor_alias__iexact=actor)
    return entries


def read_record_list(*, event: str = "", actor: str = "") -> QuerySet[ReadRecord]:
    """Recorded reads and refusals, newest first, with the seq of the seal that brought each into the chain."""
    rows = ReadRecord.objects.order_by("-id")
    if event:
        rows = rows.filter(event=event)
    if actor:
        rows = rows.filter(actor_alias__iexact=actor)
    return rows


def last_verification() -> AuditEntry | None:
    """The newest `audit.verified` entry: when the log was last verified on the page, by whom, and its outcome."""
    return AuditEntry.objects.filter(event=AuditEvent.AUDIT_VERIFIED).order_by("-seq").first()
