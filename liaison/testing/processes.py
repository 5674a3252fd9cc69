"""A database of its own for tests that start several real processes (they cannot share the test's transaction):
a fresh PostgreSQL database next to the test database when the suite runs on PostgreSQL, a SQLite file otherwise,
migrated, with the environment the processes run in. The PostgreSQL database is dropped afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]


def admin_sql(url: str, sql: str) -> None:
    """Run `sql` on the server of `url` from its `postgres` database (creating or dropping databases)."""
    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)


@dataclass
class SeparateDatabase:
    env: dict[str, str]

    @property
    def manage(self) -> list[str]:
        return [sys.executable, str(ROOT / "manage.py")]


@contextmanager
def separate_database(tmp_path: Path, prefix: str, **settings: str) -> Iterator[SeparateDatabase]:
    """`settings` are extra environment variables (e.g. LIAISON_AUTH_WINDOW_SECONDS="2")."""
    base = os.environ.get("DATABASE_URL", "")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    if base.startswith("postgres"):
        url = urlunsplit(urlsplit(base)._replace(path=f"/{name}"))
        admin_sql(base, f"CREATE DATABASE {name}")
    else:
        url = f"sqlite:///{tmp_path / (name + '.sqlite3')}"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="liaison.settings",
        LIAISON_SECRET_KEY="concurrency-test-key-" + "x" * 40,
        LIAISON_DATA_DIR=str(tmp_path),
        DATABASE_URL=url,
        **settings,
    )
    database = SeparateDatabase(env=env)
    try:
        subprocess.run([*database.manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        yield database
    finally:
        if base.startswith("postgres"):
            admin_sql(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
