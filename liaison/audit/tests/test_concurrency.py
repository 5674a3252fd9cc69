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
