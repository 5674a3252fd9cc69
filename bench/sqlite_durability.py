"""Commits per second of small audit-like transactions on SQLite in WAL mode, with synchronous=NORMAL and =FULL.

Builds a throwaway instance (its own data folder, migrated, deleted at the end), then alternates rounds of
`liaison.audit.services.record()` (one transaction each: BEGIN IMMEDIATE, read the chain head, insert, commit) and of
plain sqlite3 one-row transactions under each setting. Prints the figures; asserts nothing.

    .venv/bin/python bench/sqlite_durability.py [--commits 300] [--rounds 3] [--dir FOLDER]

Put --dir on the disk the real data folder lives on: on a RAM-backed /tmp, syncing costs nothing and both settings
look alike.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from throwaway import throwaway_instance

SETTINGS = ("NORMAL", "FULL")


def _rate(commits: int, run: Callable[[], None]) -> float:
    start = time.perf_counter()
    for _ in range(commits):
        run()
    return commits / (time.perf_counter() - start)


def _raw_sqlite(path: Path, synchronous: str, commits: int) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute("CREATE TABLE IF NOT EXISTS entry (seq INTEGER PRIMARY KEY, event TEXT, extra TEXT)")

    def one() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO entry (event, extra) VALUES ('object.read', '{\"i\": 1}')")
        conn.execute("COMMIT")

    try:
        return _rate(commits, one)
    finally:
        conn.close()


def _audit_record(synchronous: str, commits: int) -> float:
    from django.db import connection

    from liaison.audit.events import AuditEvent
    from liaison.audit.services import record

    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA synchronous={synchronous}")

    def one() -> None:
        record(actor=None, event=AuditEvent.OBJECT_READ, extra={"bench": "durability"})

    return _rate(commits, one)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=300, help="transactions per round and setting")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, alternating the settings")
    parser.add_argument("--dir", default=None, help="where to create the throwaway data folder")
    args = parser.parse_args()

    with throwaway_instance("durability", parent=args.dir) as (folder, _name):
        print(f"SQLite {sqlite3.sqlite_version}, WAL, in {folder}")
        print(f"{args.rounds} rounds of {args.commits} commits per setting; median commits per second")
        results: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.rounds):
            for synchronous in SETTINGS:
                raw = _raw_sqlite(folder / "raw.sqlite3", synchronous, args.commits)
                results.setdefault(("sqlite3 one-row INSERT", synchronous), []).append(raw)
                audit = _audit_record(synchronous, args.commits)
                results.setdefault(("audit.record()", synchronous), []).append(audit)
        for what in ("sqlite3 one-row INSERT", "audit.record()"):
            normal = statistics.median(results[(what, "NORMAL")])
            full = statistics.median(results[(what, "FULL")])
            print(
                f"{what:<24} NORMAL {normal:8.0f}/s ({1000 / normal:6.2f} ms)   "
                f"FULL {full:8.0f}/s ({1000 / full:6.2f} ms)   FULL/NORMAL {full / normal:5.2f}"
            )


if __name__ == "__main__":
    main()
