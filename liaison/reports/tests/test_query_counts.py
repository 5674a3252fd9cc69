"""The reports list and a report run a fixed number of SQL queries, however many reports, quotes, recipients,
acknowledgements, follow-ups and events they show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from liaison.followup.models import FollowUp
from liaison.reports.models import Report, ReportRecipient
from liaison.reports.services import Quote, report_submit, report_update
from liaison.testing.cast import (
    Cast,
    make_exchange,
    make_followup,
    make_item,
    make_report,
    make_sent_report,
    service,
)
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries


@pytest.mark.parametrize(("member", "pinned"), [("alice", 12), ("carol", 13), ("dave", 12)])
def test_the_reports_list(cast: Cast, client: Client, member: str, pinned: int) -> None:
    """Alice's own reports, carol's reports to review, dave's inbox: each list grows, the count stays."""

    def grow() -> None:
        for n in range(3):
            exchange = make_exchange(cast.alice, cast.open_partner, ("terrorism",) if n else ())
            item = make_item(cast.alice, exchange)
            make_report(cast.alice, exchange, item)
            report_submit(by=cast.alice, report=make_report(cast.alice, exchange, item))
            make_sent_report(cast.alice, cast.carol, exchange, item)

    login_as(client, cast.member(member))
    assert_page_queries(client, "/reports/", pinned, grow=grow)
    page = client.get("/reports/")
    shown = {"alice": "mine", "carol": "to_review", "dave": "inbox"}[member]
    assert len(page.context[shown]) == {"alice": 12, "carol": 4, "dave": 4}[member]


def _followup_on(cast: Cast, report: Report, days: int) -> None:
    followup = make_followup(cast.alice, timezone.now() + timedelta(days=days), shared=("bci",))
    FollowUp.objects.filter(pk=followup.pk).update(report=report, exchange=report.exchange)


@pytest.mark.parametrize(("member", "pinned"), [("alice", 21), ("carol", 21), ("dave", 20)])
def test_a_disseminated_report(cast: Cast, client: Client, member: str, pinned: int) -> None:
    report = cast.sent_report
    _followup_on(cast, report, 2)

    def grow() -> None:
        for n in range(3):
            ReportRecipient.objects.create(
                report=report,
                service=service(f"grown{n}"),
                added_by=cast.carol,
                due_at=timezone.now() + timedelta(days=2),
                acknowledged_at=timezone.now(),
                acknowledged_by=cast.member(("alice", "carol", "dave")[n]),
            )
            _followup_on(cast, report, n + 3)

    login_as(client, cast.member(member))
    assert_page_queries(client, f"/reports/{report.pk}/", pinned, grow=grow)
    page = client.get(f"/reports/{report.pk}/")
    assert len(page.context["recipients"]) == 4
    assert "GROWN2" in page.content.decode()


@pytest.mark.parametrize(("member", "pinned"), [("alice", 20)])
def test_a_draft_quoting_items(cast: Cast, client: Client, member: str, pinned: int) -> None:
    report = cast.draft_report

    def grow() -> None:
        items = [cast.item, *(make_item(cast.alice, cast.exchange, text=f"Grown item {n}") for n in range(3))]
        report_update(
            by=cast.alice,
            report=report,
            title=report.title,
            sections={"context": "More quotes."},
            quotes=[Quote(item, f"extract {n}") for n, item in enumerate(items)],
        )

    login_as(client, cast.member(member))
    assert_page_queries(client, f"/reports/{report.pk}/", pinned, grow=grow)
    assert client.get(f"/reports/{report.pk}/").content.decode().count('class="quote"') == 4
