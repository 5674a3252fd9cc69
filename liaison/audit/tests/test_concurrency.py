"""Several processes appending at once still make one unbroken chain (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from liaison.testing.processes import ROOT, separate_database

WRITER = """
import sys, django
django.setup()
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
for i in range(int(sys.argv[1])):
    record(actor=None, event=AuditEvent.OBJECT_READ, extra={"writer": sys.argv[2], "i": i})
"""
PROCESSES, APPENDS = 4, 40


@pytest.mark.slow
def test_concurrent_writers_keep_one_chain(tmp_path: Path) -> None:
    with separate_database(tmp_path, "liaison_conc") as database:
        env, manage = database.env, database.manage
        writers = [
            subprocess.Popen([sys.executable, "-c", WRITER, str(APPENDS), str(n)], env=env, cwd=ROOT)
            for n in range(PROCESSES)
        ]
        assert [w.wait(timeout=300) for w in writers] == [0] * PROCESSES
        result = subprocess.run(
            [*manage, "audit", "verify"], env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
        assert f"audit chain OK: {PROCESSES * APPENDS} entries" in result.stdout


READER = """
import sys, django
django.setup()
from liaison.audit.events import AuditEvent
from liaison.audit.services import record_read
for i in range(int(sys.argv[1])):
    record_read(actor=None, event=AuditEvent.OBJECT_READ, extra={"reader": sys.argv[2], "i": i})
"""
SEALER = """
import sys, time, django
django.setup()
from liaison.audit.services import seal_reads
for _ in range(int(sys.argv[1])):
    seal_reads(batch=7)
    time.sleep(0.05)
"""


@pytest.mark.slow
def test_reads_recorded_while_sealers_run_are_all_sealed_once(tmp_path: Path) -> None:
    """Readers insert while two sealers seal in small batches: every read ends in exactly one seal, whatever order
    the rows committed in, and the verifier finds every seal's count and digest."""
    with separate_database(tmp_path, "liaison_reads") as database:
        env, manage = database.env, database.manage
        readers = [
            subprocess.Popen([sys.executable, "-c", READER, str(APPENDS), str(n)], env=env, cwd=ROOT)
            for n in range(PROCESSES)
        ]
        sealers = [subprocess.Popen([sys.executable, "-c", SEALER, "20"], env=env, cwd=ROOT) for _ in range(2)]
        assert [p.wait(timeout=300) for p in [*readers, *sealers]] == [0] * (PROCESSES + 2)
        subprocess.run([*manage, "audit", "seal"], env=env, cwd=ROOT, check=True, capture_output=True)
        result = subprocess.run(
            [*manage, "audit", "verify"], env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
        assert f"read records OK: {PROCESSES * APPENDS} rows" in result.stdout
        assert "0 not sealed yet" in result.stdout
