"""Query counts of the committee's pages, pinned: the list runs the same number of SQL queries whatever the number of
reports."""

from __future__ import annotations

from datetime import date

from django.test import Client

from liaison.committee.services import committee_report_create
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries


def test_the_reports_list(cast: Cast, client: Client) -> None:
    committee_report_create(kind="month", start=date(2026, 9, 1), language="fr", by=cast.grace)
    login_as(client, cast.grace)

    def grow() -> None:
        for month in (6, 7, 8):
            committee_report_create(kind="month", start=date(2026, month, 1), language="en", by=cast.grace)
        committee_report_create(kind="quarter", start=date(2026, 4, 1), language="fr", by=cast.grace)

    assert_page_queries(client, "/committee/", 6, grow=grow)
