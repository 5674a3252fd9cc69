"""Audit log rates: appends per second (one `record()` per transaction, and `record_batch()`), then verification
rates in entries per second: the chain recomputed from the database (`verify_chain`), the Merkle root (from the
hash column, and from leaves in memory), a signed checkpoint (the first over the whole log, then one extending it),
and the standalone verifier proving an export against a checkpoint (1 and 2 processes).

Runs on a throwaway database of the configured kind, so that no bench row lands in a real audit log: a temporary
SQLite file by default, or with DATABASE_URL=postgres://… a new database on that server (dropped at the end).
Prints the figures; asserts nothing.

    .venv/bin/python bench/audit.py [--entries 200000] [--single 2000] [--batch 5000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/audit.py
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import Any

from throwaway import throwaway_instance

_cpu = 0.0  # processor seconds of the last timed step (this process and the children it waited for)


def _cpu_now() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    global _cpu
    start, cpu = time.perf_counter(), _cpu_now()
    result = work()
    _cpu = _cpu_now() - cpu
    return result, time.perf_counter() - start


def line(label: str, count: int, seconds: float, unit: str) -> None:
    """Wall-clock rate, and the rate per processor second (what the step would reach with the cores to itself:
    on a shared machine the wall-clock rate falls, not this one; the database server's time is not counted)."""
    per_cpu = f"{count / _cpu:>12,.0f}/cpu-s" if _cpu > 0 else ""
    print(f"{label:<52} {count:>9} {unit:<8} {seconds:8.2f} s {count / seconds:>12,.0f} {unit}/s {per_cpu}")


def appends(single: int, total: int, batch: int) -> None:
    from liaison.audit.events import AuditEvent
    from liaison.audit.services import EntryDraft, record, record_batch

    def one_by_one() -> None:
        for i in range(single):
            record(actor=None, event=AuditEvent.OBJECT_CHANGED, target_type="bench.thing", target_id=str(i))

    _, seconds = timed(one_by_one)
    line("append: record(), one transaction each", single, seconds, "entries")

    def batches() -> None:
        for start in range(0, total, batch):
            drafts = [
                EntryDraft(event=AuditEvent.OBJECT_CHANGED, target_type="bench.thing", target_id=str(i), extra={"n": i})
                for i in range(start, min(total, start + batch))
            ]
            record_batch(drafts)

    _, seconds = timed(batches)
    line(f"append: record_batch(), {batch} per transaction", total, seconds, "entries")


def verification(folder: str) -> None:
    from liaison.audit import standalone
    from liaison.audit.checkpoints import checkpoint_create, export_lines
    from liaison.audit.models import AuditEntry
    from liaison.audit.services import EntryDraft, record_batch
    from liaison.audit.verify import verify_chain
    from liaison.keys.store import get_signer

    report, seconds = timed(verify_chain)
    line("verify: chain recomputed from the database", report.checked, seconds, "entries")

    def root_from_column() -> int:
        hashes = AuditEntry.objects.order_by("seq").values_list("hash", flat=True).iterator(chunk_size=20000)
        leaves = b"".join(standalone.leaf_hash(bytes.fromhex(h)) for h in hashes)
        standalone.Tree(leaves).root()
        return len(leaves) // 32

    size, seconds = timed(root_from_column)
    line("verify: Merkle root, hashes read from the database", size, seconds, "entries")
    leaves = b"".join(standalone.leaf_hash(i.to_bytes(32, "big")) for i in range(size))
    _, seconds = timed(lambda: standalone.Tree(leaves).root())
    line("verify: Merkle root, leaves in memory", size, seconds, "entries")

    checkpoint, seconds = timed(checkpoint_create)
    line("checkpoint: first, over the whole log", checkpoint.tree_size, seconds, "entries")
    from liaison.audit.events import AuditEvent

    record_batch([EntryDraft(event=AuditEvent.OBJECT_CHANGED) for _ in range(1000)])
    second, seconds = timed(checkpoint_create)
    line("checkpoint: next, extending it by 1,000", second.tree_size - checkpoint.tree_size, seconds, "entries")

    path = os.path.join(folder, "export.jsonl")

    def export() -> None:
        with open(path, "wb") as file:
            for chunk in export_lines():
                file.write(chunk)

    _, seconds = timed(export)
    line("export: written from the database", second.tree_size, seconds, "entries")
    note = [("checkpoint", second.note.encode())]
    key = get_signer().public_key
    for workers in (1, 2):

        def check(workers: int = workers) -> standalone.Report:
            return standalone.verify(standalone.read_file(path, workers=workers), note, key)

        found, seconds = timed(check)
        assert found.ok, found.lines()
        line(f"verify: standalone, export + checkpoint, {workers} process(es)", found.size, seconds, "entries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=200_000, help="entries appended in batches (the log verified)")
    parser.add_argument("--single", type=int, default=2_000, help="entries appended one transaction each")
    parser.add_argument("--batch", type=int, default=5_000, help="entries per record_batch() transaction")
    args = parser.parse_args()

    with throwaway_instance("audit", postgres=True) as (folder, name):
        from django.db import connection

        from liaison.keys.store import keys_init

        keys_init()  # the checkpoints are signed with the throwaway instance's own key
        print(f"{connection.vendor} ({'throwaway database ' + name if name else folder}), {os.cpu_count()} core(s)")
        appends(args.single, args.entries, args.batch)
        verification(str(folder))


if __name__ == "__main__":
    main()
