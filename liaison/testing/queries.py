"""Query-count pins for pages: a page must run the same number of SQL queries whatever the number of rows it shows.

`assert_page_queries(client, url, pinned, grow=...)` requests the page, counts its queries, runs `grow` (which adds
more rows the page will show), requests it again and fails if the count changed or differs from `pinned`. The pin
makes a regression fail the suite; the growth step proves the count does not depend on the page size.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# What one database runs and the other does not, for the same work: PostgreSQL takes an advisory lock to append to
# the audit chain one writer at a time, where SQLite's write transaction already serialises writers. Left out of the
# count so that a pin holds on both.
BACKEND_ONLY = ("SELECT pg_advisory_xact_lock(",)


def count_queries(client: Client, url: str, *, expect: int = 200, **extra: Any) -> tuple[int, list[str]]:
    """The number of SQL queries one GET of `url` runs, and their text (for the failure message)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == expect, f"{url} answered {response.status_code}, expected {expect}"
    queries = [query["sql"] for query in captured.captured_queries if not query["sql"].startswith(BACKEND_ONLY)]
    return len(queries), queries


def assert_page_queries(
    client: Client,
    url: str,
    pinned: int,
    *,
    grow: Callable[[], Any] | None = None,
    expect: int = 200,
    **extra: Any,
) -> None:
    client.get(url, **extra)  # warm per-process caches (content types, vocabularies) the way a running server has
    before, queries = count_queries(client, url, expect=expect, **extra)
    listing = "\n".join(f"  {n + 1}. {sql[:240]}" for n, sql in enumerate(queries))
    assert before == pinned, f"{url} ran {before} SQL queries, pinned at {pinned}:\n{listing}"
    if grow is not None:
        grow()
        after, grown = count_queries(client, url, expect=expect, **extra)
        listing = "\n".join(f"  {n + 1}. {sql[:240]}" for n, sql in enumerate(grown))
        assert after == before, f"{url} ran {after} SQL queries with more rows, {before} before:\n{listing}"
