from __future__ import annotations

from django.db.models import QuerySet

from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry, ReadRecord

MAX_IDS = 200


def parse_ids(raw: str) -> list[int]:
    """The `ids` filter of the audit log (an alert's evidence): comma-separated numbers, at most MAX_IDS; anything
    else is ignored."""
    return [int(part) for part in raw.split(",") if part.strip().isdigit()][:MAX_IDS]


def audit_entry_list(*, event: str = "", actor: str = "", ids: list[int] | None = None) -> QuerySet[AuditEntry]:
    """Audit entries, newest first, for the auditor and the security officer (entries never hold content); `ids`
    keeps only the entries of those seqs."""
    entries = AuditEntry.objects.order_by("-seq")
    if ids:
        entries = entries.filter(seq__in=ids)
    if event:
        entries = entries.filter(event=event)
    if actor:
        entries = entries.filter(actor_alias__iexact=actor)
    return entries


def read_record_list(*, event: str = "", actor: str = "", ids: list[int] | None = None) -> QuerySet[ReadRecord]:
    """Recorded reads and refusals, newest first, with the seq of the seal that brought each into the chain; `ids`
    keeps only the rows of those ids."""
    rows = ReadRecord.objects.order_by("-id")
    if ids:
        rows = rows.filter(id__in=ids)
    if event:
        rows = rows.filter(event=event)
    if actor:
        rows = rows.filter(actor_alias__iexact=actor)
    return rows


def last_verification() -> AuditEntry | None:
    """The newest `audit.verified` entry: when the log was last verified on the page, by whom, and its outcome."""
    return AuditEntry.objects.filter(event=AuditEvent.AUDIT_VERIFIED).order_by("-seq").first()
