"""Query counts of the security keys pages, pinned: the list of one's keys whatever their number, and the login
step with a key."""

from __future__ import annotations

import uuid
from typing import Any

from django.test import Client

from liaison.passkeys.models import SecurityKey
from liaison.testing.cast import PASSWORD, Cast
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries


def _key(cast: Cast, name: str) -> SecurityKey:
    return SecurityKey.objects.create(user=cast.alice, name=name, credential_id=uuid.uuid4().hex, public_key=b"\xa5")


def test_the_list_of_ones_keys(cast: Cast, client: Client) -> None:
    _key(cast, "First")
    login_as(client, cast.alice)

    def grow() -> None:
        for n in range(4):
            _key(cast, f"Key {n}")

    assert_page_queries(client, "/accounts/keys/", 5, grow=grow)


def test_the_login_step_with_a_key(cast: Cast, client: Client, settings: Any) -> None:
    settings.LIAISON_WEBAUTHN_RP_ID = "localhost"
    _key(cast, "First")
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})

    def grow() -> None:
        for n in range(4):
            _key(cast, f"Key {n}")

    assert_page_queries(client, "/accounts/keys/login/", 9, grow=grow)
