"""Anomaly rules: read records and chain entries evaluated per second by `alerts_evaluate`, over a day of reads by
many users, then the cost of a run with nothing new (the job every LIAISON_ALERT_INTERVAL seconds).

Runs on a throwaway database of the configured kind (a temporary SQLite file by default, or with
DATABASE_URL=postgres://… a new database on that server, dropped at the end). Prints the figures; asserts nothing.

    .venv/bin/python bench/alerts.py [--users 200] [--reads 100]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/alerts.py
"""

from __future__ import annotations

import argparse
import time
import uuid
from datetime import UTC, datetime, timedelta

from throwaway import throwaway_instance


def _fill(users: int, reads: int) -> int:
    """`reads` reads per user spread over one working day, with a week of history; returns the rows written."""
    from liaison.audit.models import ReadRecord, canonical_json

    start = datetime.now(tz=UTC).replace(hour=7, minute=0, second=0, microsecond=0) - timedelta(days=7)
    rows = []
    for u in range(users):
        actor = str(uuid.uuid4())
        for day in range(8):
            for n in range(reads if day == 7 else reads // 4):
                row = ReadRecord(
                    created_at=start + timedelta(days=day, seconds=n * 300 + u),
                    actor_id=actor,
                    actor_alias=f"U{u}",
                    event="object.read",
                    target_type="reports.report",
                    target_id=str(n % 30),
                    extra=canonical_json({}),
                    ip="10.0.0.1",
                )
                row.hash = row.compute_hash()
                rows.append(row)
    ReadRecord.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=200, help="users reading")
    parser.add_argument("--reads", type=int, default=100, help="reads per user on the evaluated day")
    args = parser.parse_args()

    with throwaway_instance("alerts", postgres=True) as (folder, name):
        from django.db import connection

        from liaison.alerts.rules import alerts_evaluate
        from liaison.audit.services import seal_reads

        print(f"{connection.vendor} ({'throwaway database ' + name if name else folder})")
        written = _fill(args.users, args.reads)
        seal_reads()
        began = time.perf_counter()
        result = alerts_evaluate()
        elapsed = time.perf_counter() - began
        rate = written / elapsed
        print(f"{args.users} users, {written} read records: evaluated in {elapsed:.2f} s ({rate:,.0f} rows/s)")
        print(f"  {result.entries} chain entries, {result.reads} read records, {result.raised} alert(s) raised")
        began = time.perf_counter()
        alerts_evaluate()
        print(f"a run with nothing new: {(time.perf_counter() - began) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
