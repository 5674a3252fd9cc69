"""Query counts of the home pages, pinned: My day for each role, the watchtower and the markings reference run the
same number of SQL queries whatever the number of rows they show (the header's navigation and unread count
included). Each page first shows one row in every list, so that a list's prefetches already run, then more rows."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from liaison.followup.models import FollowUpKind
from liaison.home.tests.builders import exchange_at
from liaison.releases import services as releases
from liaison.releases.models import Release
from liaison.reports.services import report_return, report_submit
from liaison.testing.cast import Cast, make_agreement, make_followup, make_partner, make_report, make_sent_report
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries


def _shows(client: Client, url: str, *texts: str) -> None:
    html = client.get(url).content.decode()
    for text in texts:
        assert text in html, f"{text!r} is not on {url}"


def _officer_day(cast: Cast, tag: str) -> None:
    """One row in each of an officer's sections of My day, titled with `tag`."""
    now = timezone.now()
    alice, partner = cast.alice, cast.open_partner
    make_followup(alice, now + timedelta(hours=3), kind=FollowUpKind.RFI_IN, title=f"RFI {tag}", partner=partner)
    make_followup(alice, now - timedelta(hours=1), title=f"Task {tag}", compartments=("terrorism",))
    exchange_at(alice, partner, now + timedelta(hours=2), ("terrorism",), f"Soon {tag}")
    exchange_at(alice, partner, now - timedelta(days=20), title=f"Unreported {tag}")
    report_return(
        by=cast.carol,
        report=report_submit(by=alice, report=make_report(alice, cast.exchange, cast.item)),
        comment="Redo",
    )
    make_report(alice, cast.exchange, cast.item)
    report_submit(by=alice, report=make_report(alice, cast.exchange, cast.item))
    make_sent_report(alice, cast.carol, cast.exchange, cast.item)
    releases.consent_request_open(
        by=alice,
        release=_blocked_release(cast),
        originator=releases.item_originator(cast.item),
        message=f"May we? {tag}",
    )
    make_partner(f"Charge {tag}", cast.carol, "dr", ("cyber",)).officers_in_charge.add(alice)


def _blocked_release(cast: Cast) -> Release:
    return releases.release_create(
        by=cast.alice,
        partner=cast.secret_partner,
        justification="They asked about courier routes.",
        content=releases.Content(items=(cast.item,)),
    )


def test_my_day_of_an_officer(cast: Cast, client: Client) -> None:
    make_agreement(cast.carol, cast.secret_partner)
    _officer_day(cast, "first")
    login_as(client, cast.alice)

    def grow() -> None:
        for n in range(3):
            _officer_day(cast, f"more {n}")
        _shows(client, "/", "RFI more 2", "Task more 2", "Soon more 2", "Unreported more 2", "Charge more 2")

    assert_page_queries(client, "/", 34, grow=grow)


def test_my_day_of_a_desk_head(cast: Cast, client: Client) -> None:
    now = timezone.now()

    def add(tag: str) -> None:
        report_submit(by=cast.alice, report=make_report(cast.alice, cast.exchange, cast.item))
        make_followup(cast.alice, now - timedelta(hours=2), title=f"Late {tag}", compartments=("cyber",))
        exchange_at(cast.carol, cast.secret_partner, now + timedelta(hours=1), ("terrorism",), f"Visit {tag}")

    add("first")
    login_as(client, cast.carol)

    def grow() -> None:
        for n in range(3):
            add(f"more {n}")
        _shows(client, "/", "Late more 2", "Visit more 2")
        assert len(client.get("/").context["day"].section("to_review").entries) == 5

    assert_page_queries(client, "/", 21, grow=grow)


def test_my_day_of_an_analyst(cast: Cast, client: Client) -> None:
    now = timezone.now()

    def add(tag: str) -> None:
        make_sent_report(cast.alice, cast.carol, cast.exchange, cast.item)
        make_followup(
            cast.alice,
            now + timedelta(days=3),
            kind=FollowUpKind.RFI_INTERNAL,
            title=f"Question {tag}",
            requested_by="dct",
            compartments=("terrorism",),
        )

    add("first")
    login_as(client, cast.dave)

    def grow() -> None:
        for n in range(3):
            add(f"more {n}")
        _shows(client, "/", "Question more 2")
        assert len(client.get("/").context["day"].section("to_acknowledge").entries) == 5

    assert_page_queries(client, "/", 17, grow=grow)


def test_my_day_of_a_release_authority(cast: Cast, client: Client) -> None:
    make_agreement(cast.carol, cast.open_partner)

    def add() -> None:
        draft = releases.release_create(
            by=cast.alice,
            partner=cast.open_partner,
            justification="They asked about courier routes.",
            content=releases.Content(items=(cast.item,)),
        )
        releases.release_submit(by=cast.alice, release=draft)

    add()
    login_as(client, cast.heidi)

    def grow() -> None:
        for _ in range(3):
            add()
        assert len(client.get("/").context["day"].section("releases").entries) == 4

    assert_page_queries(client, "/", 15, grow=grow)


def test_my_day_of_the_roles_without_records(cast: Cast, client: Client) -> None:
    for name, pinned in (("grace", 11), ("erin", 11), ("frank", 11)):
        login_as(client, cast.member(name))
        assert_page_queries(client, "/", pinned)


def test_the_watchtower(cast: Cast, client: Client) -> None:
    now = timezone.now()

    def add(tag: str) -> None:
        exchange = exchange_at(cast.alice, cast.secret_partner, now - timedelta(days=3), ("terrorism",), f"W {tag}")
        make_sent_report(cast.alice, cast.carol, exchange, cast.item)
        make_followup(cast.alice, now - timedelta(days=1), kind=FollowUpKind.RFI_IN, partner=cast.open_partner)
        make_partner(f"Quiet {tag}", cast.carol, "dr")

    add("first")
    login_as(client, cast.carol)

    def grow() -> None:
        for n in range(3):
            add(f"more {n}")
        _shows(client, "/watchtower/", "Quiet more 2")

    assert_page_queries(client, "/watchtower/", 30, grow=grow)


def test_the_markings_reference(cast: Cast, client: Client) -> None:
    login_as(client, cast.bob)
    assert_page_queries(client, "/markings/", 8)
