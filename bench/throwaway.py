"""A throwaway instance for the benchmarks that measure the product on its own database: a temporary data folder
and, with `postgres=True` and DATABASE_URL pointing at a PostgreSQL server, a new database there; migrated on
entry, removed (database dropped) on exit."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


@contextmanager
def throwaway_instance(prefix: str, *, postgres: bool = False, parent: str | None = None) -> Iterator[tuple[Path, str]]:
    """Yields the data folder and the PostgreSQL database's name ("" on SQLite)."""
    from liaison.testing.processes import admin_sql

    base = os.environ.get("DATABASE_URL", "") if postgres else ""
    folder = Path(tempfile.mkdtemp(prefix=f"liaison-{prefix}-", dir=parent))
    name = f"liaison_bench_{secrets.token_hex(5)}" if base.startswith("postgres") else ""
    if name:
        admin_sql(base, f"CREATE DATABASE {name}")  # the name is generated here, never taken from input
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(base)._replace(path=f"/{name}"))
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="liaison.settings",
        LIAISON_DATA_DIR=str(folder / "data"),
        LIAISON_SECRET_KEY=secrets.token_urlsafe(48),
        LIAISON_DEMO="0",
        LIAISON_DEBUG="0",
    )
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        yield folder, name
    finally:
        if name:
            from django.db import connections

            connections.close_all()
            admin_sql(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(folder, ignore_errors=True)
