"""Recompute the audit chain from the first entry and report the first entry that does not fit."""

from __future__ import annotations

from dataclasses import dataclass

from liaison.audit.models import GENESIS_HASH, AuditEntry


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
