"""The releases list, a release, the consents, consent requests and tearlines lists and the reciprocity ledger run a
fixed number of SQL queries, however many rows they show."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client

from liaison.exchanges.models import InformationItem
from liaison.releases import services
from liaison.releases.models import Release
from liaison.testing.cast import Cast, make_agreement, make_exchange, make_item, make_partner
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries
from liaison.testing.release_cast import received_item, release_cast


def _draft(cast: Cast, items: tuple[InformationItem, ...] = ()) -> Release:
    return services.release_create(
        by=cast.alice,
        partner=cast.open_partner,
        justification="They asked about courier routes.",
        content=services.Content(items=items or (cast.item,)),
    )


def _items(cast: Cast, count: int) -> list[InformationItem]:
    return [make_item(cast.alice, cast.exchange, text=f"Grown item {n}") for n in range(count)]


@pytest.mark.parametrize(("member", "pinned"), [("alice", 14), ("heidi", 15)])
def test_the_releases_list(cast: Cast, client: Client, member: str, pinned: int) -> None:
    release_cast(cast)

    def grow() -> None:
        for _ in range(3):
            services.release_submit(by=cast.alice, release=_draft(cast))

    login_as(client, cast.member(member))
    assert_page_queries(client, "/releases/", pinned, grow=grow)
    assert len(client.get("/releases/").context["releases"]) == 8


@pytest.mark.parametrize(("member", "pinned"), [("alice", 25), ("heidi", 25)])
def test_a_draft_release(cast: Cast, client: Client, member: str, pinned: int) -> None:
    releases = release_cast(cast)
    release = _draft(cast, (cast.item, *_items(cast, 1)))

    def grow() -> None:
        services.release_update(
            by=cast.alice,
            release=release,
            justification="More of the same.",
            content=services.Content(items=(cast.item, *_items(cast, 4))),
        )

    assert releases.draft.pk != release.pk
    login_as(client, cast.member(member))
    url = f"/releases/{release.pk}/"
    assert_page_queries(client, url, pinned, grow=grow)
    assert len(client.get(url).context["item_rows"]) == 5


@pytest.mark.parametrize(("member", "pinned"), [("alice", 15), ("carol", 15)])
def test_the_consents_list(cast: Cast, client: Client, member: str, pinned: int) -> None:
    release_cast(cast)

    def grow() -> None:
        for n in range(3):
            services.consent_record(
                by=cast.alice,
                originator_kind="partner",
                originator_partner=cast.open_partner,
                items=[cast.item],
                partner=cast.secret_partner if n % 2 else None,
                granted=bool(n % 2),
                reference=f"MSG-{n}",
            )

    login_as(client, cast.member(member))
    assert_page_queries(client, "/releases/consents/", pinned, grow=grow)
    assert "MSG-2" in client.get("/releases/consents/").content.decode()


@pytest.mark.parametrize(("member", "pinned"), [("alice", 12), ("carol", 12)])
def test_the_consent_requests_list(cast: Cast, client: Client, member: str, pinned: int) -> None:
    release_cast(cast)

    def grow() -> None:
        for n in range(3):
            item = received_item(cast, n)
            blocked = services.release_create(
                by=cast.alice,
                partner=cast.secret_partner,
                justification="Asked.",
                content=services.Content(items=(item,)),
            )
            services.consent_request_open(
                by=cast.alice, release=blocked, originator=services.item_originator(item), message=f"May we? {n}"
            )

    login_as(client, cast.member(member))
    assert_page_queries(client, "/releases/consent-requests/", pinned, grow=grow)
    assert len(client.get("/releases/consent-requests/").context["page"].object_list) == 4


@pytest.mark.parametrize(("member", "pinned"), [("alice", 12), ("carol", 12)])
def test_the_tearlines_list(cast: Cast, client: Client, member: str, pinned: int) -> None:
    release_cast(cast)

    def grow() -> None:
        for n, item in enumerate(_items(cast, 3)):
            services.tearline_save(by=cast.alice, title=f"Grown tearline {n}", text="Sanitised.", sources=[item])

    login_as(client, cast.member(member))
    assert_page_queries(client, "/releases/tearlines/", pinned, grow=grow)
    assert "Grown tearline 2" in client.get("/releases/tearlines/").content.decode()


def _received_from(cast: Cast, partner: object, n: int) -> None:
    exchange = make_exchange(cast.alice, partner, ("terrorism",) if n % 2 else ())  # type: ignore[arg-type]
    exchange.occurred_at = datetime(2026, 10 + n % 2, 5, 10, 0).astimezone()
    exchange.save(update_fields=["occurred_at"])
    make_item(cast.alice, exchange)


@pytest.mark.parametrize(("member", "pinned", "partner_pinned"), [("alice", 18, 26), ("carol", 18, 26)])
def test_the_ledger(cast: Cast, client: Client, member: str, pinned: int, partner_pinned: int) -> None:
    make_agreement(cast.carol, cast.open_partner)
    _received_from(cast, cast.open_partner, 0)

    def grow() -> None:
        for n in range(3):
            partner = make_partner(f"Grown partner {n}", cast.carol, "dr")
            _received_from(cast, partner, n)
            _received_from(cast, cast.open_partner, n + 1)

    login_as(client, cast.member(member))
    url = "/releases/ledger/?from=2026-01&to=2026-12"
    assert_page_queries(client, url, pinned, grow=grow)
    assert "Grown partner 2" in client.get(url).content.decode()
    partner_url = f"/releases/ledger/{cast.open_partner.pk}/?from=2026-01&to=2026-12"
    assert_page_queries(client, partner_url, partner_pinned, grow=lambda: _received_from(cast, cast.open_partner, 7))
