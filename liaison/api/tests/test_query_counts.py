"""The API's lists and details of partners, exchanges, items, reports, releases, consents, consent requests and
tearlines run a fixed number of SQL queries, however many objects a page holds or an object names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from liaison.exchanges.services import ItemInput, attachment_add, item_update
from liaison.partners.models import Partner
from liaison.releases import services
from liaison.reports.services import Quote, report_submit, report_update
from liaison.testing.cast import (
    PDF_BYTES,
    Cast,
    make_exchange,
    make_item,
    make_partner,
    make_report,
)
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries
from liaison.testing.release_cast import received_item, release_cast

API = "/api/v1"


def _partners(cast: Cast) -> None:
    for n in range(3):
        make_partner(f"Grown {n}", cast.carol, "dr", ("terrorism",) if n % 2 else ())


def _exchanges(cast: Cast) -> None:
    for n in range(3):
        make_item(cast.alice, make_exchange(cast.alice, cast.open_partner, ("terrorism",) if n % 2 else ()))


def _reports(cast: Cast) -> None:
    for _ in range(3):
        report_submit(by=cast.alice, report=make_report(cast.alice, cast.exchange, cast.item))


def _releases(cast: Cast) -> None:
    for _ in range(3):
        services.release_create(
            by=cast.alice,
            partner=cast.open_partner,
            justification="Asked.",
            content=services.Content(items=(cast.item,)),
        )


def _consents(cast: Cast) -> None:
    for n in range(3):
        services.consent_record(
            by=cast.alice,
            originator_kind="partner",
            originator_partner=cast.open_partner,
            items=[cast.item],
            partner=cast.secret_partner if n % 2 else None,
            granted=True,
            reference=f"MSG-{n}",
        )


def _consent_requests(cast: Cast) -> None:
    for n in range(3):
        item = received_item(cast, n)
        blocked = services.release_create(
            by=cast.alice, partner=cast.secret_partner, justification="Asked.", content=services.Content(items=(item,))
        )
        services.consent_request_open(
            by=cast.alice, release=blocked, originator=services.item_originator(item), message="May we?"
        )


def _tearlines(cast: Cast) -> None:
    for n in range(3):
        services.tearline_save(by=cast.alice, title=f"Grown {n}", text="Sanitised.", sources=[cast.item])


LISTS: list[tuple[str, Callable[[Cast], None], int]] = [
    ("partners", _partners, 10),
    ("exchanges", _exchanges, 11),
    ("items", _exchanges, 10),
    ("reports", _reports, 10),
    ("releases", _releases, 10),
    ("consents", _consents, 10),
    ("consent-requests", _consent_requests, 10),
    ("tearlines", _tearlines, 10),
]


@pytest.mark.parametrize(("name", "grow", "pinned"), LISTS, ids=[name for name, _grow, _pinned in LISTS])
@pytest.mark.parametrize("member", ["alice", "carol"])
def test_a_list(cast: Cast, client: Client, member: str, name: str, grow: Callable[[Cast], None], pinned: int) -> None:
    release_cast(cast)
    login_as(client, cast.member(member))
    before = client.get(f"{API}/{name}/").json()["count"]
    assert_page_queries(client, f"{API}/{name}/", pinned, grow=lambda: grow(cast))
    assert client.get(f"{API}/{name}/").json()["count"] == before + 3


def _officer(cast: Cast, partner: Partner) -> None:
    partner.officers_in_charge.add(cast.alice, cast.carol, cast.bob)


def _new_version_with_attachment(cast: Cast) -> None:
    item = item_update(
        by=cast.alice,
        item=cast.item,
        data=ItemInput(
            direction="received",
            originator_kind="partner",
            originator_partner=cast.open_partner,
            title="Courier routes, again",
            text="More.",
            source_reliability="B",
            information_credibility="2",
            marking=cast.item.marking(),
        ),
    )
    for n in range(3):
        attachment_add(by=cast.alice, item=item, filename=f"more-{n}.pdf", data=PDF_BYTES)


def _quotes(cast: Cast) -> None:
    items = [cast.item, *(make_item(cast.alice, cast.exchange, text=f"Grown {n}") for n in range(3))]
    report_update(
        by=cast.alice,
        report=cast.draft_report,
        title="More quotes",
        sections={"context": "More."},
        quotes=[Quote(item, "extract") for item in items],
    )


def _blocked(cast: Cast) -> Any:
    """A draft to the secret partner refused by the rule, with an item no consent covers: the failures that name
    items are shown from the start."""
    cached = getattr(cast, "_blocked_with_items", None)
    if cached is None:
        cached = services.release_create(
            by=cast.alice,
            partner=cast.secret_partner,
            justification="Asked.",
            content=services.Content(items=(cast.item, make_item(cast.alice, cast.exchange, text="Uncovered"))),
        )
        cast._blocked_with_items = cached  # type: ignore[attr-defined]
    return cached


def _release_items(cast: Cast) -> None:
    items = (cast.item, *(make_item(cast.alice, cast.exchange, text=f"Grown {n}") for n in range(3)))
    services.release_update(
        by=cast.alice, release=_blocked(cast), justification="More.", content=services.Content(items)
    )


def _sources(cast: Cast) -> None:
    tearline = release_cast(cast).tearline
    sources = [cast.item, *(received_item(cast, n) for n in range(3))]
    services.tearline_save(by=cast.alice, tearline=tearline, title=tearline.title, text="More.", sources=sources)


DETAILS: list[tuple[str, Callable[[Cast], str], Callable[[Cast], None], int]] = [
    ("partner", lambda cast: f"partners/{cast.open_partner.pk}/", lambda cast: _officer(cast, cast.open_partner), 10),
    ("exchange", lambda cast: f"exchanges/{cast.exchange.pk}/", lambda cast: None, 12),
    ("item", lambda cast: f"items/{cast.item.pk}/", _new_version_with_attachment, 12),
    ("report", lambda cast: f"reports/{cast.draft_report.pk}/", _quotes, 15),
    ("release", lambda cast: f"releases/{_blocked(cast).pk}/", _release_items, 24),
    ("consent", lambda cast: f"consents/{release_cast(cast).consent.pk}/", lambda cast: None, 14),
    (
        "consent-request",
        lambda cast: f"consent-requests/{release_cast(cast).consent_request.pk}/",
        lambda cast: None,
        15,
    ),
    ("tearline", lambda cast: f"tearlines/{release_cast(cast).tearline.pk}/", _sources, 20),
]


@pytest.mark.parametrize(("name", "path", "grow", "pinned"), DETAILS, ids=[d[0] for d in DETAILS])
def test_a_detail(
    cast: Cast,
    client: Client,
    name: str,
    path: Callable[[Cast], str],
    grow: Callable[[Cast], None],
    pinned: int,
) -> None:
    release_cast(cast)
    login_as(client, cast.alice)
    assert_page_queries(client, f"{API}/{path(cast)}", pinned, grow=lambda: grow(cast))
