"""Appending to the audit log. Services call `record` inside the transaction of the change it describes, so a
change and its entry commit together or not at all; appends are serialised so the chain never forks.

Reads of protected content (and refusals to read) go through `record_read`: one plain insert into `ReadRecord`,
which takes no chain lock, so page views do not queue behind one another. `seal_reads` (the `seal_reads` job, every
`LIAISON_READ_SEAL_SECONDS`) brings them into the chain in batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from liaison.audit.events import AuditEvent
from liaison.audit.models import (
    GENESIS_HASH,
    AuditEntry,
    HashedRow,
    ReadEvent,
    ReadRecord,
    canonical_json,
    reads_digest,
)

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
    """One read record for a page that lists protected objects: which ones the reader was shown."""
    if not objects:
        return
    record_read(
        actor=actor,
        event=AuditEvent.OBJECT_LIST_READ,
        target_type=objects[0]._meta.label_lower,
        extra={"view": view, "ids": sorted(str(obj.pk) for obj in objects)},
        request=request,
    )


def _fields(
    actor: Any,
    event: AuditEvent,
    target: models.Model | None,
    target_type: str,
    target_id: str,
    extra: dict[str, Any] | None,
    request: HttpRequest | None,
    ip: str | None,
) -> dict[str, Any]:
    """The columns the chain's entries and the read records share, from `record`'s arguments."""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return {
        "created_at": timezone.now(),
        "actor_id": str(actor.pk) if is_user else "",
        "actor_alias": actor.alias if is_user else "",
        "event": event.value,
        "target_type": target_type,
        "target_id": target_id,
        "extra": canonical_json(extra or {}),
        "ip": client_ip(request) if ip is None else ip[:45],
    }


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
    fields = _fields(actor, event, target, target_type, target_id, extra, request, ip)
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
        fields["created_at"] = timezone.now()  # under the lock: times follow the sequence
        entry = AuditEntry(seq=(last.seq + 1) if last else 1, prev_hash=last.hash if last else GENESIS_HASH, **fields)
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
    return entry


@dataclass(frozen=True)
class EntryDraft:
    """One entry for `record_batch`, with `record`'s arguments."""

    event: AuditEvent
    actor: Any = None
    target: models.Model | None = None
    target_type: str = ""
    target_id: str = ""
    extra: dict[str, Any] | None = None
    ip: str | None = None


_BATCH_COLUMNS = ("seq", *HashedRow.CONTENT_COLUMNS, "prev_hash", "hash")


@dataclass
class _BatchRow(HashedRow):
    """A chain entry of a batch before its insert: hashed exactly as an `AuditEntry` (same `payload`), without the
    cost of a model instance per entry."""

    seq: int
    created_at: datetime
    actor_id: str
    actor_alias: str
    event: str
    target_type: str
    target_id: str
    extra: str
    ip: str
    prev_hash: str
    hash: str = ""

    payload = AuditEntry.payload


@dataclass(frozen=True)
class BatchResult:
    first_seq: int
    last_seq: int
    head_hash: str  # the hash of the last entry appended

    @property
    def count(self) -> int:
        return self.last_seq - self.first_seq + 1


def record_batch(drafts: Sequence[EntryDraft], *, request: HttpRequest | None = None) -> BatchResult | None:
    """Append many entries in one transaction: one chain lock, one read of the head, the hashes chained in memory,
    then one multi-row insert (`executemany`). Every entry gets the same time, taken under the lock. For imports
    and jobs that record many events at once; `record` stays the way to append one. None when `drafts` is empty."""
    if not drafts:
        return None
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
        first_seq = seq = (last.seq if last else 0) + 1
        prev_hash = last.hash if last else GENESIS_HASH
        now = timezone.now()
        stored_now = AuditEntry._meta.get_field("created_at").get_db_prep_save(now, connection)
        rows = []
        for draft in drafts:
            d = draft
            fields = _fields(d.actor, d.event, d.target, d.target_type, d.target_id, d.extra, request, d.ip)
            fields["created_at"] = now
            row = _BatchRow(seq=seq, prev_hash=prev_hash, **fields)
            row.hash = prev_hash = row.compute_hash()
            values = {**vars(row), "created_at": stored_now}
            rows.append(tuple(values[column] for column in _BATCH_COLUMNS))
            seq += 1
        quote = connection.ops.quote_name
        sql = (  # names from the model and this module, values as parameters
            f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({', '.join(quote(c) for c in _BATCH_COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(_BATCH_COLUMNS))})"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    return BatchResult(first_seq, seq - 1, prev_hash)


def record_read(
    *,
    actor: Any,
    event: AuditEvent,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    extra: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    ip: str | None = None,
) -> ReadRecord:
    """Record one read of protected content, or one refusal (`object.read`, `object.list_read`, `access.refused`),
    with the same arguments as `record`. One INSERT in the caller's transaction (or on its own in autocommit): no
    chain lock, no read of any other row. Fail-closed: if the insert fails, the exception propagates and the caller
    serves nothing."""
    if event.value not in ReadEvent.values:
        raise ValueError(f"{event.value} is not a read; record it with record()")
    row = ReadRecord(**_fields(actor, event, target, target_type, target_id, extra, request, ip))
    row.hash = row.compute_hash()
    row.save(force_insert=True)
    return row


SEAL_BATCH = 5000
_IDS_PER_UPDATE = 900  # under the smallest bound-parameter limit SQLite may be built with (999)


@dataclass(frozen=True)
class SealResult:
    seals: int  # chain entries appended
    rows: int  # read records sealed

    def as_dict(self) -> dict[str, object]:
        return {"seals": self.seals, "rows": self.rows}


def seal_reads(*, batch: int = SEAL_BATCH) -> SealResult:
    """Seal every unsealed read record into the chain, `batch` rows per chain entry, oldest id first. Each batch is
    one transaction: one `audit.reads_sealed` entry (count, first and last id, digest of the rows' hashes in id
    order) and `seal_seq` set on exactly those rows. Concurrent sealers are serialised by the chain's lock, taken
    before the rows are chosen. On PostgreSQL a row may commit after one with a higher id: it is still unsealed, so
    a later batch seals it (the ids of one seal need not be contiguous)."""
    seals = rows = 0
    while True:
        with transaction.atomic():
            _lock_chain()
            unsealed = list(
                ReadRecord.objects.filter(seal_seq__isnull=True).order_by("id").values_list("id", "hash")[:batch]
            )
            if not unsealed:
                return SealResult(seals, rows)
            ids = [pk for pk, _ in unsealed]
            entry = record(
                actor=None,
                event=AuditEvent.AUDIT_READS_SEALED,
                extra={
                    "count": len(unsealed),
                    "first_id": ids[0],
                    "last_id": ids[-1],
                    "digest": reads_digest([row_hash for _, row_hash in unsealed]),
                },
            )
            sealed = sum(  # by the ids chosen, never by a range: a lower id may have committed since
                ReadRecord.objects.filter(id__in=ids[i : i + _IDS_PER_UPDATE], seal_seq__isnull=True).update(
                    seal_seq=entry.seq
                )
                for i in range(0, len(ids), _IDS_PER_UPDATE)
            )
            if sealed != len(ids):  # cannot happen under the lock; never commit a seal that misstates its rows
                raise RuntimeError(f"sealing {len(ids)} read records updated {sealed}")
        seals, rows = seals + 1, rows + len(ids)
        if len(ids) < batch:
            return SealResult(seals, rows)
