"""Several processes appending at once still make one unbroken chain (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[3]
WRITER = """
import sys, django
django.setup()
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
for i in range(int(sys.argv[1])):
    record(actor=None, event=AuditEvent.OBJECT_READ, extra={"writer": sys.argv[2], "i": i})
"""
PROCESSES, APPENDS = 4, 40


def _admin(url: str, sql: str) -> None:
    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)


@pytest.mark.slow
def test_concurrent_writers_keep_one_chain(tmp_path: Path) -> None:
    base = os.environ.get("DATABASE_URL", "")
    name = f"liaison_conc_{uuid.uuid4().hex[:10]}"
    if base.startswith("postgres"):
        url = urlunsplit(urlsplit(base)._replace(path=f"/{name}"))
        _admin(base, f"CREATE DATABASE {name}")
    else:
        url = f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="liaison.settings",
        LIAISON_SECRET_KEY="concurrency-test-key-" + "x" * 40,
        LIAISON_DATA_DIR=str(tmp_path),
        DATABASE_URL=url,
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    try:
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
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
    finally:
        if base.startswith("postgres"):
            _admin(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
