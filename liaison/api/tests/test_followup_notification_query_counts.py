"""Query counts of the API lists of follow-ups and notifications, pinned: the same number of SQL queries whatever
the number of rows on the page."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from liaison.api.tests.test_api import token_for
from liaison.followup.models import FollowUpKind
from liaison.notifications.tests.test_query_counts import add_notices
from liaison.testing.cast import Cast, make_followup
from liaison.testing.queries import assert_page_queries


def test_the_follow_up_list(cast: Cast, client: Client) -> None:
    def add(tag: str) -> None:
        make_followup(
            cast.alice,
            timezone.now() + timedelta(days=1),
            kind=FollowUpKind.RFI_IN,
            title=f"RFI {tag}",
            partner=cast.secret_partner,
            compartments=("terrorism",),
            requested_by="dct",
        )

    add("first")
    headers = token_for(cast.alice)

    def grow() -> None:
        for n in range(3):
            add(f"more {n}")
        assert client.get("/api/v1/followups/", headers=headers).json()["count"] == 4

    assert_page_queries(client, "/api/v1/followups/", 11, grow=grow, headers=headers)


def test_the_notification_list(cast: Cast, client: Client) -> None:
    add_notices(cast, "first")
    headers = token_for(cast.alice)

    def grow() -> None:
        for n in range(3):
            add_notices(cast, f"more {n}")
        assert client.get("/api/v1/notifications/", headers=headers).json()["count"] == 12

    assert_page_queries(client, "/api/v1/notifications/", 8, grow=grow, headers=headers)
