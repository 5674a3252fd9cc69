"""Query counts of the follow-up pages, pinned: the list (an officer's own, a desk head's whole office) and one
follow-up with its items and history run the same number of SQL queries whatever the number of rows they show."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from liaison.followup.models import FollowUpKind
from liaison.followup.services import followup_comment
from liaison.testing.cast import Cast, make_followup, make_item
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries


def _add(cast: Cast, tag: str) -> None:
    """Two of alice's follow-ups: a partner's request naming a partner, a question from a recipient service."""
    now = timezone.now()
    make_followup(
        cast.alice,
        now + timedelta(days=2),
        kind=FollowUpKind.RFI_IN,
        title=f"RFI {tag}",
        partner=cast.secret_partner,
        compartments=("terrorism",),
    )
    make_followup(
        cast.alice, now - timedelta(days=1), kind=FollowUpKind.RFI_INTERNAL, title=f"Asked {tag}", requested_by="dct"
    )


def test_the_list_of_an_officers_follow_ups(cast: Cast, client: Client) -> None:
    _add(cast, "first")
    login_as(client, cast.alice)

    def grow() -> None:
        for n in range(3):
            _add(cast, f"more {n}")
        html = client.get("/followups/").content.decode()
        assert "RFI more 2" in html and "Asked more 2" in html and "Secret partner" in html

    assert_page_queries(client, "/followups/", 12, grow=grow)


def test_the_list_of_a_desk_heads_office(cast: Cast, client: Client) -> None:
    _add(cast, "first")
    login_as(client, cast.carol)

    def grow() -> None:
        for n in range(3):
            _add(cast, f"more {n}")
        assert "Asked more 2" in client.get("/followups/?scope=all&status=").content.decode()

    assert_page_queries(client, "/followups/?scope=all&status=", 13, grow=grow)


def test_one_follow_up_with_its_items_and_history(cast: Cast, client: Client) -> None:
    followup = make_followup(
        cast.alice,
        timezone.now() + timedelta(days=2),
        kind=FollowUpKind.RFI_IN,
        partner=cast.open_partner,
        exchange=cast.exchange,
    )
    followup.items.add(cast.item)
    followup_comment(by=cast.alice, followup=followup, comment="First call made.")
    url = f"/followups/{followup.pk}/"
    login_as(client, cast.alice)

    def grow() -> None:
        for n in range(3):
            followup.items.add(make_item(cast.carol, cast.exchange, text=f"Item {n}"))
            followup_comment(by=cast.carol, followup=followup, comment=f"Comment {n}")
        html = client.get(url).content.decode()
        assert "Comment 2" in html and html.count("Courier routes") == 4

    assert_page_queries(client, url, 19, grow=grow)
