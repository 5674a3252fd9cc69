"""Several server processes counting failures at once share one count per window, and several summarisers running
at once write each window's summary once (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[3]
WRITER = """
import sys, django
django.setup()
from django.test import RequestFactory
from liaison.accounts.failures import auth_failure_record
from liaison.audit.events import AuditEvent
request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.9.9.9")
for i in range(int(sys.argv[1])):
    auth_failure_record(request=request, event=AuditEvent.LOGIN_FAILED, extra={"i": i}, login_name="someone")
"""
REPORT = """
import json, django
django.setup()
from liaison.accounts.models import AuthFailureWindow
from liaison.audit.models import AuditEntry
from liaison.audit.verify import verify_chain
windows = list(AuthFailureWindow.objects.values("scope", "started_at", "failures", "summarised_at"))
summaries = [e.details for e in AuditEntry.objects.filter(event="login.failures_summarised")]
print(json.dumps({
    "windows": [dict(w, started_at=w["started_at"].isoformat(), summarised=w["summarised_at"] is not None,
                     summarised_at=None) for w in windows],
    "summaries": [(s["scope"], s["window_start"], s["failures"]) for s in summaries],
    "failed_entries": AuditEntry.objects.filter(event="login.failed").count(),
    "throttled_entries": AuditEntry.objects.filter(event="login.throttled").count(),
    "chain_ok": verify_chain().ok,
}))
"""
PROCESSES, FAILURES, SUMMARISERS = 4, 30, 3
WINDOW_SECONDS = 2


def _admin(url: str, sql: str) -> None:
    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)


@pytest.mark.slow
def test_concurrent_processes_share_the_count_and_summarise_each_window_once(tmp_path: Path) -> None:
    base = os.environ.get("DATABASE_URL", "")
    name = f"liaison_fail_{uuid.uuid4().hex[:10]}"
    if base.startswith("postgres"):
        url = urlunsplit(urlsplit(base)._replace(path=f"/{name}"))
        _admin(base, f"CREATE DATABASE {name}")
    else:
        url = f"sqlite:///{tmp_path / 'failures.sqlite3'}"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="liaison.settings",
        LIAISON_SECRET_KEY="concurrency-test-key-" + "x" * 40,
        LIAISON_DATA_DIR=str(tmp_path),
        LIAISON_AUTH_WINDOW_SECONDS=str(WINDOW_SECONDS),
        DATABASE_URL=url,
    )
    manage = [sys.executable, str(ROOT / "manage.py")]

    def run_all(commands: list[list[str]]) -> None:
        started = [subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL) for command in commands]
        assert [p.wait(timeout=300) for p in started] == [0] * len(started)

    try:
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        run_all([[sys.executable, "-c", WRITER, str(FAILURES)] for _ in range(PROCESSES)])
        time.sleep(WINDOW_SECONDS + 0.5)  # every window has closed
        run_all([[*manage, "audit", "summarise-failures"] for _ in range(SUMMARISERS)])
        out = subprocess.run(
            [sys.executable, "-c", REPORT], env=env, cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    finally:
        if base.startswith("postgres"):
            _admin(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    report = json.loads(out)
    windows = report["windows"]
    for scope in ("address", "account"):
        assert sum(w["failures"] for w in windows if w["scope"] == scope) == PROCESSES * FAILURES
    address_windows = [w for w in windows if w["scope"] == "address"]
    assert report["failed_entries"] == len(address_windows)  # the first failure of each window, no more
    assert report["throttled_entries"] == sum(1 for w in address_windows if w["failures"] > 20)
    expected = sorted((w["scope"], w["started_at"], w["failures"]) for w in windows if w["failures"] > 1)
    assert sorted(tuple(s) for s in report["summaries"]) == expected  # each window once, with its count
    assert all(w["summarised"] for w in windows)
    assert report["chain_ok"]
