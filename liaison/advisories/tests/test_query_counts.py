"""Query counts of the advisory lists, pinned: the same number of SQL queries whatever the number of advisories,
administrations, contacts or distributions shown."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from liaison.advisories.services import contact_save
from liaison.advisories.tests.builders import federal_partner, informational, partner_account, published, security
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries


def test_the_advisory_list(cast: Cast, client: Client) -> None:
    interior = federal_partner(cast)
    published(cast, informational(), to=[interior])
    login_as(client, cast.grace)

    def grow() -> None:
        for n in range(3):
            published(cast, security(title=f"Flaw {n}"), to=[interior])

    assert_page_queries(client, reverse("advisories:list"), 6, grow=grow)


def test_the_federal_partner_list(cast: Cast, client: Client) -> None:
    contact_save(by=cast.grace, partner=federal_partner(cast), name="Duty officer")
    login_as(client, cast.grace)

    def grow() -> None:
        for n in range(4):
            partner = federal_partner(cast, f"P{n}", f"Partner {n}")
            contact_save(by=cast.grace, partner=partner, name=f"Contact {n}")

    assert_page_queries(client, reverse("advisories:partners"), 5, grow=grow)


def test_a_partner_accounts_advisories(cast: Cast, client: Client) -> None:
    interior = federal_partner(cast)
    account, _contact = partner_account(cast, interior, "partner.interior")
    published(cast, informational(), to=[interior])
    login_as(client, account)

    def grow() -> None:
        for n in range(3):
            published(cast, security(title=f"Flaw {n}"), to=[interior])

    assert_page_queries(client, reverse("advisories:mine"), 7, grow=grow)


def test_the_public_index(cast: Cast, client: Client) -> None:
    published(cast, informational())

    def grow() -> None:
        for n in range(3):
            published(cast, informational(title=f"Note {n}"))

    assert_page_queries(client, "/.well-known/csaf/white/index.txt", 1, grow=grow)
