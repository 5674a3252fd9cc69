"""Recompute the audit chain from the first entry and report the first entry that does not fit; then check the
recorded reads against the seals the chain holds (`verify_reads`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.audit.events import AuditEvent
from liaison.audit.models import GENESIS_HASH, AuditEntry, ReadRecord, reads_digest


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem_kind: str = ""  # "missing", "unlinked" or "altered"
    head_hash: str = GENESIS_HASH

    @property
    def problem(self) -> str:
        seq = self.first_bad_seq
        return {
            "missing": f"entry #{seq} is missing (the sequence jumps over it)",
            "unlinked": f"entry #{seq} does not link to entry #{(seq or 1) - 1} (its previous hash differs)",
            "altered": f"entry #{seq} was altered (its hash does not match its content)",
        }.get(self.problem_kind, "")


def verify_chain(batch: int = 5000) -> ChainReport:
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch):
        if entry.seq != expected_seq:
            return ChainReport(False, checked, expected_seq, "missing")
        if entry.prev_hash != prev_hash:
            return ChainReport(False, checked, entry.seq, "unlinked")
        if entry.compute_hash() != entry.hash:
            return ChainReport(False, checked, entry.seq, "altered")
        prev_hash = entry.hash
        expected_seq += 1
        checked += 1
    return ChainReport(True, checked, head_hash=prev_hash)


@dataclass(frozen=True)
class ReadProblem:
    """One thing wrong with the recorded reads. `kind`: "altered" (a row's hash does not match its content),
    "count" (a seal's rows are not as many as it sealed: rows deleted, unsealed, added or moved to another seal),
    "digest" (as many rows, but not the ones sealed: a row replaced, reordered or moved) or "unknown_seal" (rows
    name a chain entry that is not a seal)."""

    kind: str
    seq: int | None = None  # the seal concerned
    row_id: int | None = None  # the row concerned ("altered")
    expected: int = 0  # rows the seal holds ("count")
    found: int = 0  # rows found ("count", "unknown_seal")

    @property
    def message(self) -> str:
        if self.kind == "altered":
            return _("read record #%(id)s was altered (its hash does not match its content)") % {"id": self.row_id}
        if self.kind == "count":
            return _("seal #%(seq)s covers %(expected)s read records, %(found)s carry it (rows deleted or moved)") % {
                "seq": self.seq,
                "expected": self.expected,
                "found": self.found,
            }
        if self.kind == "digest":
            return _("seal #%(seq)s: its read records are not the ones sealed (a row replaced or moved)") % {
                "seq": self.seq
            }
        return _("%(found)s read records name entry #%(seq)s, which is not a seal of reads") % {
            "found": self.found,
            "seq": self.seq,
        }


@dataclass(frozen=True)
class ReadsReport:
    checked: int  # rows checked
    seals: int  # seal entries checked
    problems: tuple[ReadProblem, ...]  # the first MAX_PROBLEMS
    problem_count: int
    unsealed: int
    oldest_unsealed: datetime | None
    late: bool  # unsealed rows older than LATE_SEALS seal intervals

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


MAX_PROBLEMS = 20
LATE_SEALS = 10


class _Seals:
    """The seal entries of the chain up to `last_seq`, in seq order, consumed alongside the rows grouped by seal."""

    def __init__(self, last_seq: int, batch: int) -> None:
        entries = AuditEntry.objects.filter(event=AuditEvent.AUDIT_READS_SEALED, seq__lte=last_seq).order_by("seq")
        self._iter: Iterator[tuple[int, str]] = entries.values_list("seq", "extra").iterator(chunk_size=batch)
        self._next: tuple[int, dict[str, Any]] | None = None
        self.checked = 0
        self._advance()

    def _advance(self) -> None:
        entry = next(self._iter, None)
        self._next = (entry[0], json.loads(entry[1])) if entry else None

    def before(self, seq: int | None) -> Iterator[tuple[int, dict[str, Any]]]:
        """The seals with a seq below `seq` (every remaining one if None), consumed."""
        while self._next is not None and (seq is None or self._next[0] < seq):
            yield self._next
            self.checked += 1
            self._advance()

    def take(self, seq: int) -> dict[str, Any] | None:
        """The seal entry `seq`, consumed, or None if no seal has that seq."""
        if self._next is not None and self._next[0] == seq:
            found = self._next[1]
            self.checked += 1
            self._advance()
            return found
        return None


class _Problems:
    def __init__(self) -> None:
        self.first: list[ReadProblem] = []
        self.count = 0

    def add(self, problem: ReadProblem) -> None:
        self.count += 1
        if len(self.first) < MAX_PROBLEMS:
            self.first.append(problem)


def verify_reads(batch: int = 5000, now: datetime | None = None) -> ReadsReport:
    """Check the recorded reads against their seals in one pass over the sealed rows (grouped by seal, in id order)
    beside the seal entries: each row's hash, each seal's count and digest, rows naming no seal; then the unsealed
    rows' hashes, their number and the age of the oldest.

    The check covers the seals up to the chain's head when it starts: an entry's seq is taken under the chain lock
    held until its commit, so every seal up to that head, and the rows it sealed in the same transaction, are
    committed and seen alike by both queries. Rows naming a later seq are checked only for naming a seal."""
    problems = _Problems()
    head = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    seals = _Seals(head, batch)
    checked = 0

    def close(seq: int | None, hashes: list[str]) -> None:
        for missing_seq, emptied in seals.before(seq):  # seals no row carries any more
            problems.add(ReadProblem("count", missing_seq, expected=emptied["count"], found=0))
        if seq is None:
            return
        seal = seals.take(seq)
        if seal is None:
            problems.add(ReadProblem("unknown_seal", seq, found=len(hashes)))
        elif seal["count"] != len(hashes):
            problems.add(ReadProblem("count", seq, expected=seal["count"], found=len(hashes)))
        elif seal["digest"] != reads_digest(hashes):
            problems.add(ReadProblem("digest", seq))

    current: int | None = None
    hashes: list[str] = []
    sealed = ReadRecord.objects.filter(seal_seq__isnull=False, seal_seq__lte=head).order_by("seal_seq", "id")
    for row in sealed.iterator(chunk_size=batch):
        if row.seal_seq != current:
            if current is not None:
                close(current, hashes)
            current, hashes = row.seal_seq, []
        if row.compute_hash() != row.hash:
            problems.add(ReadProblem("altered", row.seal_seq, row_id=row.id))
        hashes.append(row.hash)
        checked += 1
    if current is not None:
        close(current, hashes)
    close(None, [])

    later_seals = AuditEntry.objects.filter(event=AuditEvent.AUDIT_READS_SEALED, seq__gt=head).values("seq")
    naming_no_seal = (
        ReadRecord.objects.filter(seal_seq__gt=head)
        .exclude(seal_seq__in=later_seals)
        .values("seal_seq")
        .annotate(rows=Count("id"))
        .order_by("seal_seq")
    )
    for group in naming_no_seal:
        problems.add(ReadProblem("unknown_seal", group["seal_seq"], found=group["rows"]))

    unsealed = ReadRecord.objects.filter(seal_seq__isnull=True)
    pending = 0
    oldest: datetime | None = None
    for row in unsealed.order_by("id").iterator(chunk_size=batch):
        if row.compute_hash() != row.hash:
            problems.add(ReadProblem("altered", row_id=row.id))
        pending += 1
        oldest = row.created_at if oldest is None else min(oldest, row.created_at)
    late_after = timedelta(seconds=LATE_SEALS * settings.LIAISON_READ_SEAL_SECONDS)
    return ReadsReport(
        checked=checked + pending,
        seals=seals.checked,
        problems=tuple(problems.first),
        problem_count=problems.count,
        unsealed=pending,
        oldest_unsealed=oldest,
        late=oldest is not None and (now or timezone.now()) - oldest > late_after,
    )
