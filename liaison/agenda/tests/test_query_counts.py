"""Query counts of the agenda, pinned: the day, week and month pages of an officer (their own agenda) and of a desk
head (the office's) run the same number of SQL queries whatever the number of meetings, deadlines and consent
answers they show."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client

from liaison.home.tests.builders import exchange_at
from liaison.releases import services as releases
from liaison.testing.cast import Cast, make_agreement, make_followup
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries

DAY = date(2030, 3, 13)  # a Wednesday
NOON = datetime(2030, 3, 13, 11, 0, tzinfo=UTC)
PAGES = {"day": "/agenda/day/2030-03-13/", "week": "/agenda/week/2030-03-13/", "month": "/agenda/month/2030-03/"}


def _add(cast: Cast, tag: str, hours: int) -> None:
    """A meeting, a follow-up deadline and a consent answer due, all on DAY, for alice."""
    exchange_at(cast.alice, cast.secret_partner, NOON + timedelta(hours=hours), ("terrorism",), f"Meet {tag}")
    make_followup(cast.alice, NOON + timedelta(hours=hours, minutes=30), title=f"Due {tag}", partner=cast.open_partner)
    release = releases.release_create(
        by=cast.alice,
        partner=cast.secret_partner,
        justification="They asked about courier routes.",
        content=releases.Content(items=(cast.item,)),
    )
    releases.consent_request_open(
        by=cast.alice,
        release=release,
        originator=releases.item_originator(cast.item),
        message="May we?",
        answer_due=DAY,
    )


@pytest.mark.parametrize(
    ("name", "view", "query", "pinned"),
    [
        ("alice", "day", "", 18),
        ("alice", "week", "", 18),
        ("alice", "month", "", 18),
        ("carol", "week", "?scope=all", 18),
        ("carol", "month", "?scope=all", 18),
    ],
)
def test_the_agenda(cast: Cast, client: Client, name: str, view: str, query: str, pinned: int) -> None:
    make_agreement(cast.carol, cast.secret_partner)
    _add(cast, "first", 0)
    login_as(client, cast.member(name))
    url = PAGES[view] + query

    def grow() -> None:
        for n in range(3):
            _add(cast, f"more {n}", n + 1)
        shown = Counter(type(obj).__name__ for obj in client.get(url).context["marked"])
        assert shown == {"Exchange": 4, "FollowUp": 8, "ConsentRequest": 4}  # a consent request opens a follow-up

    assert_page_queries(client, url, pinned, grow=grow)
