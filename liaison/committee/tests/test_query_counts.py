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


def test_a_drafts_page_with_its_live_figures(cast: Cast, client: Client) -> None:
    from liaison.committee.tests.conftest import SEPTEMBER, at, concern, control, framework, measure, sample

    report = committee_report_create(kind="month", start=SEPTEMBER, language="fr", by=cast.grace)
    fw = framework()
    login_as(client, cast.grace)

    def grow() -> None:
        for n in range(4):
            m = measure(
                cast.grace,
                f"G{n}",
                line=1 + n % 3,
                status="in_progress",
                progress=10 * n,
                due_on=date(2026, 9, 20),
                created=at(date(2026, 8, 1)),
            )
            m.controls.add(control(fw, f"C{n}", "basic", n))
            sample("second_factor_share", at(date(2026, 9, 1 + n)), 60 + n)
            concern(cast.ivy, f"Q{n}", "device", raised=at(date(2026, 9, 2 + n)), answered=at(date(2026, 9, 9)))

    assert_page_queries(client, f"/committee/{report.pk}/", 22, grow=grow)
