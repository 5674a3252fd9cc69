"""The exchanges list, an exchange and an item run a fixed number of SQL queries, however many exchanges, items,
reports, follow-ups, versions and attachments they show."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from liaison.exchanges.services import ItemInput, attachment_add, exchange_create, item_update
from liaison.policy.markings import Marking
from liaison.testing.cast import (
    PDF_BYTES,
    Cast,
    make_exchange,
    make_followup,
    make_item,
    make_report,
    make_sent_report,
)
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries


def _upcoming(cast: Cast, n: int) -> None:
    partner = cast.secret_partner if n % 2 else cast.open_partner
    exchange_create(
        by=cast.carol,
        kind="meeting",
        title=f"Planned meeting {n}",
        occurred_at=timezone.now() + timedelta(days=n + 1),
        time_zone="Europe/Brussels",
        partners=[partner, cast.open_partner] if n % 2 else [partner],
        participants=[cast.alice],
        marking=Marking(rank=3 if n % 2 else 1, compartments=frozenset({"terrorism"} if n % 2 else set())),
    )


@pytest.mark.parametrize(("member", "pinned"), [("alice", 20), ("carol", 20)])
def test_the_exchanges_list(cast: Cast, client: Client, member: str, pinned: int) -> None:
    _upcoming(cast, 0)

    def grow() -> None:
        for n in range(1, 4):
            _upcoming(cast, n)
            make_exchange(cast.alice, cast.open_partner, ("terrorism",) if n % 2 else ())

    login_as(client, cast.member(member))
    assert_page_queries(client, "/exchanges/", pinned, grow=grow)
    page = client.get("/exchanges/")
    assert len(page.context["upcoming"]) == 4
    assert len(page.context["page"].object_list) == 4


@pytest.mark.parametrize(("member", "pinned"), [("alice", 21), ("carol", 21)])
def test_an_exchange(cast: Cast, client: Client, member: str, pinned: int) -> None:
    exchange = cast.exchange
    make_followup(cast.alice, timezone.now() + timedelta(days=3), exchange=exchange, shared=("bci",))

    def grow() -> None:
        for n in range(3):
            item = make_item(cast.alice, exchange)
            make_report(cast.alice, exchange, item)
            make_sent_report(cast.alice, cast.carol, exchange, item)
            make_followup(cast.alice, timezone.now() + timedelta(days=n + 4), exchange=exchange, shared=("bci",))

    login_as(client, cast.member(member))
    assert_page_queries(client, f"/exchanges/{exchange.pk}/", pinned, grow=grow)
    page = client.get(f"/exchanges/{exchange.pk}/")
    assert len(page.context["items"]) == 4
    assert len(page.context["followups"]) == 4


@pytest.mark.parametrize(("member", "pinned"), [("alice", 16), ("carol", 16)])
def test_an_item(cast: Cast, client: Client, member: str, pinned: int) -> None:
    item = cast.item

    def grow() -> None:
        current = item
        for n in range(3):
            current = item_update(
                by=cast.alice,
                item=current,
                data=ItemInput(
                    direction="received",
                    originator_kind="partner",
                    originator_partner=cast.open_partner,
                    title=f"Courier routes, version {n + 2}",
                    text="More about the couriers.",
                    source_reliability="B",
                    information_credibility="2",
                    marking=replace(current.marking(), compartments=frozenset({"terrorism"} if n else set())),
                ),
            )
            attachment_add(by=cast.alice, item=current, filename=f"note-{n}.pdf", data=PDF_BYTES)

    login_as(client, cast.member(member))
    assert_page_queries(client, f"/exchanges/items/{item.pk}/", pinned, grow=grow)
    page = client.get(f"/exchanges/items/{item.pk}/")
    assert len(page.context["versions"]) == 4
    assert "note-2.pdf" in page.content.decode()
