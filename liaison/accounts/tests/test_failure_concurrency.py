"""Several server processes counting failures at once share one count per window, and several summarisers running
at once write each window's summary once (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from liaison.testing.processes import ROOT, separate_database

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


@pytest.mark.slow
def test_concurrent_processes_share_the_count_and_summarise_each_window_once(tmp_path: Path) -> None:
    def run_all(env: dict[str, str], commands: list[list[str]]) -> None:
        started = [subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL) for command in commands]
        assert [p.wait(timeout=300) for p in started] == [0] * len(started)

    with separate_database(tmp_path, "liaison_fail", LIAISON_AUTH_WINDOW_SECONDS=str(WINDOW_SECONDS)) as database:
        env = database.env
        run_all(env, [[sys.executable, "-c", WRITER, str(FAILURES)] for _ in range(PROCESSES)])
        time.sleep(WINDOW_SECONDS + 0.5)  # every window has closed
        run_all(env, [[*database.manage, "audit", "summarise-failures"] for _ in range(SUMMARISERS)])
        out = subprocess.run(
            [sys.executable, "-c", REPORT], env=env, cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
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
