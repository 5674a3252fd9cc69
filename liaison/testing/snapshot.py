"""The state of the whole database as row counts per table: a refused request must leave it exactly as it was.

Audit entries count too, except the records of reads: a refused form shows its page again, and what that page
shows is recorded like any other read (the read-logging rule); a refusal must never record a change or a login."""

from __future__ import annotations

from django.apps import apps

from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry

READS = (AuditEvent.OBJECT_READ, AuditEvent.OBJECT_LIST_READ)


def database_rows() -> dict[str, int]:
    rows = {model._meta.label: model._base_manager.count() for model in apps.get_models()}
    rows[AuditEntry._meta.label] = AuditEntry.objects.exclude(event__in=READS).count()
    return rows
