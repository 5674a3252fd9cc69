"""The state of the whole database as row counts per table: a refused request must leave it exactly as it was.

Every table counts, except the records of reads: a refused form shows its page again, and what that page shows is
recorded like any other read (the read-logging rule); a refusal must never record a change or a login. Refusals to
read (`access.refused`) still count."""

from __future__ import annotations

from django.apps import apps

from liaison.audit.events import AuditEvent
from liaison.audit.models import ReadRecord

READS = (AuditEvent.OBJECT_READ, AuditEvent.OBJECT_LIST_READ)


def database_rows() -> dict[str, int]:
    rows = {model._meta.label: model._base_manager.count() for model in apps.get_models()}
    rows[ReadRecord._meta.label] = ReadRecord.objects.exclude(event__in=READS).count()
    return rows
