"""Appending to the audit log. Services call `record` inside the transaction of the change it describes, so a
change and its entry commit together or not at all; appends are serialised so the chain never forks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from liaison.audit.events import AuditEvent
from liaison.audit.models import GENESIS_HASH, AuditEntry, canonical_json

# Arbitrary constant naming the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK = 0x4C494149


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    # SQLite: every write transaction is BEGIN IMMEDIATE (settings), so appends are already serialised.


def client_ip(request: HttpRequest | None) -> str:
    """The client's address; behind the trusted reverse proxy, the last hop it appended to X-Forwarded-For."""
    if request is None:
        return ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return str(forwarded.split(",")[-1].strip())[:45]
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def record_list_read(*, actor: Any, objects: Sequence[models.Model], view: str, request: HttpRequest | None) -> None:
    """One entry for a page that lists protected objects: which ones the reader was shown."""
    if not objects:
        return
    record(
        actor=actor,
        event=AuditEvent.OBJECT_LIST_READ,
        target_type=objects[0]._meta.label_lower,
        extra={"view": view, "ids": sorted(str(obj.pk) for obj in objects)},
        request=request,
    )


def record(
    *,
    actor: Any,
    event: AuditEvent,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    extra: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Append one entry. `actor` is a user or None (system, anonymous); `extra` must be JSON-serialisable and must
    never hold protected content: ids, counts, field names, reasons. The address is the request's, unless `ip`
    names the one the entry is about (a summary written later, by another request or a command)."""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
        entry = AuditEntry(
            seq=(last.seq + 1) if last else 1,
            created_at=timezone.now(),
            actor_id=str(actor.pk) if is_user else "",
            actor_alias=actor.alias if is_user else "",
            event=event.value,
            target_type=target_type,
            target_id=target_id,
            extra=canonical_json(extra or {}),
            ip=client_ip(request) if ip is None else ip[:45],
            prev_hash=last.hash if last else GENESIS_HASH,
        )
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
    return entry
