"""Exactly once under crash: real `liaison worker` processes, killed with SIGKILL in the middle of a sweep (while
it creates notices, then while it sends e-mails), restarted two at a time; at the end every expected notice
exists once and every e-mail reached the SMTP server once. Runs on SQLite, and on PostgreSQL with DATABASE_URL."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from liaison.tasks.tests.smtp_sink import smtp_sink
from liaison.testing.processes import ROOT, separate_database

OWNERS, PER_OWNER = 3, 4
EXPECTED = OWNERS * PER_OWNER
SETUP = f"""
import django
django.setup()
from datetime import timedelta
from django.utils import timezone
from liaison.accounts.models import RoleCode
from liaison.testing.cast import make_followup
from liaison.testing.cast import make_user
for o in range({OWNERS}):
    owner = make_user(f"officer{{o}}", (RoleCode.LIAISON_OFFICER,), "bci", "s")
    for n in range({PER_OWNER}):
        make_followup(owner=owner, by=owner, due_at=timezone.now() + timedelta(hours=3 + n), title=f"Task {{n}}")
"""


def row_count(url: str, table: str) -> int:
    if url.startswith("sqlite"):
        with sqlite3.connect(urlsplit(url).path) as conn:
            return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608 - fixed names
    with psycopg.connect(url) as conn:
        row = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()  # noqa: S608 - fixed names
        return int(row[0]) if row else 0


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.slow
def test_killed_workers_lose_no_notice_and_send_none_twice(tmp_path: Path) -> None:
    with smtp_sink() as sink:
        settings = {
            "LIAISON_REMINDER_INTERVAL": "1",
            "LIAISON_SWEEP_PAUSE_MS": "250",
            "LIAISON_SMTP_HOST": "127.0.0.1",
            "LIAISON_SMTP_PORT": str(sink.port),
            "LIAISON_MAIL_DOMAIN": "office.test",
        }
        with separate_database(tmp_path, "liaison_worker", **settings) as database:
            env, url = database.env, database.env["DATABASE_URL"]
            subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=ROOT, check=True)
            worker = [*database.manage, "worker", "--interval", "0.2"]

            def start(count: int) -> list[subprocess.Popen[bytes]]:
                return [subprocess.Popen(worker, env=env, cwd=ROOT, stdout=subprocess.DEVNULL) for _ in range(count)]

            def kill(processes: list[subprocess.Popen[bytes]]) -> None:
                for process in processes:
                    process.send_signal(signal.SIGKILL)
                    process.wait()

            notices = lambda: row_count(url, "notifications_notification")  # noqa: E731

            first = start(1)
            try:
                wait_for(lambda: notices() >= 3, "the first notices")
            finally:
                kill(first)
            assert notices() < EXPECTED, "the sweep was meant to be killed halfway: slow it down"

            second = start(2)
            try:
                wait_for(lambda: len(sink.messages) >= 3, "the first e-mails")
            finally:
                kill(second)
            assert len(sink.messages) < EXPECTED, "the e-mails were meant to be killed halfway"

            third = start(2)
            try:
                wait_for(lambda: notices() == EXPECTED and len(sink.messages) >= EXPECTED, "every notice and e-mail")
                runs = row_count(url, "tasks_scheduledrun")
                wait_for(lambda: row_count(url, "tasks_scheduledrun") >= runs + 2, "two more sweeps")
                time.sleep(1)  # the last sweep's e-mail step, had it anything left to send
            finally:
                for process in third:
                    process.terminate()  # a clean stop this time
                assert [process.wait(timeout=60) for process in third] == [0, 0]
            assert notices() == EXPECTED
            sent = Counter(message["X-Liaison-Notification"] for message in sink.messages)
            assert len(sent) == EXPECTED and set(sent.values()) == {1}, sent
            assert row_count(url, "notifications_notification WHERE emailed_at IS NULL") == 0
