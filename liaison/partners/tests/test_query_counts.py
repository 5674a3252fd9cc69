"""The partner list and the partner file run a fixed number of SQL queries, however many partners, agreements,
contacts, exchanges, items, reports, releases and follow-ups they show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from liaison.partners.services import contact_create
from liaison.releases import services as releases
from liaison.reports.models import Report
from liaison.testing.cast import (
    Cast,
    make_agreement,
    make_exchange,
    make_followup,
    make_item,
    make_partner,
    make_sent_report,
)
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries


@pytest.mark.parametrize(("member", "pinned"), [("alice", 13), ("carol", 13)])
def test_the_partner_list(cast: Cast, client: Client, member: str, pinned: int) -> None:
    def grow() -> None:
        for n in range(4):
            make_partner(f"Grown {n}", cast.carol, "dr", ("terrorism",) if n % 2 else ())

    login_as(client, cast.member(member))
    assert_page_queries(client, "/partners/", pinned, grow=grow)
    assert "Grown 3" in client.get("/partners/").content.decode()


@pytest.mark.parametrize(("member", "pinned"), [("alice", 27), ("carol", 27)])
def test_the_partner_file(cast: Cast, client: Client, member: str, pinned: int) -> None:
    partner = cast.open_partner

    def add(n: int) -> None:
        """One more of everything the file shows: agreement, contact, exchange and item, a report proposing
        follow-ups, a release and a follow-up."""
        make_agreement(cast.carol, partner, themes=("terrorism", "cyber") if n else ("terrorism",))
        contact_create(by=cast.alice, partner=partner, name=f"Grown contact {n}")
        exchange = make_exchange(cast.alice, partner, ("terrorism",) if n else ())
        item = make_item(cast.alice, exchange)
        report = make_sent_report(cast.alice, cast.carol, exchange, item)
        Report.objects.filter(pk=report.pk).update(proposed_followups=f"Grown proposal {n}")
        releases.release_create(
            by=cast.alice, partner=partner, justification="They asked.", content=releases.Content(items=(item,))
        )
        make_followup(cast.alice, timezone.now() + timedelta(days=n + 1), partner=partner, shared=("bci",))

    def grow() -> None:
        for n in range(1, 4):
            add(n)

    add(0)

    login_as(client, cast.member(member))
    assert_page_queries(client, f"/partners/{partner.pk}/", pinned, grow=grow)
    page = client.get(f"/partners/{partner.pk}/")
    assert "Grown contact 2" in page.content.decode()
    assert len(page.context["partner_releases"]) == 4
    assert len(page.context["proposed"]) == 4
    assert len(page.context["followups"]) == 4
