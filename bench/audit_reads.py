"""Reads recorded per second, with 1 and 8 threads: on the hash chain (`audit.services.record`, the chain lock and
the head read in each transaction) and as plain rows (`audit.services.record_read`, one INSERT).

Runs on a throwaway database of the configured kind, so that no bench row lands in a real audit log: a temporary
SQLite file by default, or with DATABASE_URL=postgres://… a new database on that server (dropped at the end).
Each thread has its own connection and records in autocommit, as a page view does. Prints the figures; asserts
nothing.

    .venv/bin/python bench/audit_reads.py [--reads 400] [--rounds 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/audit_reads.py
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from collections.abc import Callable

from throwaway import throwaway_instance

THREADS = (1, 8)


def _rate(threads: int, reads: int, one: Callable[[int], None]) -> float:
    """Reads per second when `threads` threads each record `reads` reads."""
    from django.db import connection

    barrier = threading.Barrier(threads + 1)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            for i in range(reads):
                one(i)
        except BaseException as error:  # reported after the round
            errors.append(error)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return threads * reads / elapsed


def _paths() -> dict[str, Callable[[int], None]]:
    from liaison.audit.events import AuditEvent
    from liaison.audit.services import record, record_read

    def chain(i: int) -> None:
        record(actor=None, event=AuditEvent.OBJECT_READ, target_type="bench.object", target_id=str(i))

    def rows(i: int) -> None:
        record_read(actor=None, event=AuditEvent.OBJECT_READ, target_type="bench.object", target_id=str(i))

    return {"record() (chain)": chain, "record_read() (rows)": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reads", type=int, default=400, help="reads recorded by each thread per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, alternating the two paths")
    args = parser.parse_args()

    with throwaway_instance("audit-reads", postgres=True) as (folder, name):
        from django.db import connection

        print(f"{connection.vendor} ({'throwaway database ' + name if name else folder})")
        print(f"{args.rounds} rounds of {args.reads} reads per thread; median reads recorded per second")
        paths = _paths()
        results: dict[tuple[str, int], list[float]] = {}
        for _ in range(args.rounds):
            for label, one in paths.items():
                for threads in THREADS:
                    results.setdefault((label, threads), []).append(_rate(threads, args.reads, one))
        for label in paths:
            figures = "   ".join(
                f"{threads} thread(s) {statistics.median(results[(label, threads)]):8.0f}/s" for threads in THREADS
            )
            print(f"{label:<22} {figures}")


if __name__ == "__main__":
    main()
