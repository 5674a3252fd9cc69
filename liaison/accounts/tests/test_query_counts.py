"""Query counts of the account pages, pinned: one's profile, and the administrators' user list whatever the number
of accounts."""

from __future__ import annotations

from django.test import Client

from liaison.accounts.models import RoleCode
from liaison.testing.cast import Cast, make_user
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries


def test_the_profile(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    assert_page_queries(client, "/accounts/profile/", 11)  # with whether a security key is held


def test_the_user_list(cast: Cast, client: Client) -> None:
    login_as(client, cast.frank)

    def grow() -> None:
        for n in range(4):
            make_user(f"new{n}", (RoleCode.LIAISON_OFFICER, RoleCode.DESK_HEAD), "bci", "ts", ("terrorism", "cyber"))
        assert "NEW3" in client.get("/accounts/users/").content.decode()

    assert_page_queries(client, "/accounts/users/", 8, grow=grow)  # with the second factors summary
