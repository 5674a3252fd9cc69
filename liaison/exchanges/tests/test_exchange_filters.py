"""The exchanges list's filters: partner, zone, theme, kind, officer and period, applied in SQL after the read rule;
a value the list cannot take is named in a message, never a server error."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.agenda.tests.test_agenda_pages import exchange_at
from liaison.policy.models import Zone
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as


def listing(client: Client, query: str = "") -> str:
    response = client.get(f"/exchanges/?{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_each_filter_narrows_the_list(cast: Cast, client: Client) -> None:
    exchange_at(cast, datetime(2026, 12, 3, 19, 0), kind="reception", title="December reception")
    secret = cast.secret_partner
    exchange_at(cast, datetime(2026, 12, 4, 10, 0), title="Terror desk", partner=secret, compartments=("terrorism",))
    exchange_at(cast, datetime(2026, 12, 5, 10, 0), title="Bob's call", by="bob", kind="call")
    login_as(client, cast.alice)
    everything = listing(client)
    for title in ("December reception", "Terror desk", "Bob&#x27;s call", "Quarterly meeting"):
        assert title in everything
    body = listing(client, f"partner={cast.secret_partner.pk}")
    assert "Terror desk" in body and "December reception" not in body
    body = listing(client, "kind=reception")
    assert "December reception" in body and "Terror desk" not in body
    body = listing(client, "theme=terrorism")
    assert "Terror desk" in body and "December reception" not in body
    body = listing(client, f"officer={cast.bob.pk}")
    assert "Bob&#x27;s call" in body and "December reception" not in body
    body = listing(client, "date_from=2026-12-04&date_to=2026-12-04")
    assert "Terror desk" in body and "December reception" not in body and "Bob&#x27;s call" not in body
    body = listing(client, "zone=africa")
    assert "Terror desk" not in body and "Quarterly meeting" not in body


def test_the_zone_filter_finds_exchanges_recorded_in_a_zone(cast: Cast, client: Client) -> None:
    exchange = exchange_at(cast, datetime(2026, 12, 3, 10, 0), title="Dakar talk")
    exchange.zones.set([Zone.objects.get(code="africa")])
    login_as(client, cast.alice)
    assert "Dakar talk" in listing(client, "zone=africa")
    assert "Dakar talk" not in listing(client, "zone=europe")


def test_filtering_by_a_partner_the_user_may_not_see_finds_nothing(cast: Cast, client: Client) -> None:
    exchange_at(cast, datetime(2026, 12, 3, 10, 0), by="carol", title="Centrifuges", partner=cast.prolif_partner)
    login_as(client, cast.bob)
    body = listing(client, f"partner={cast.prolif_partner.pk}")
    assert "Centrifuges" not in body and "Prolif partner" not in body
    assert "Filter left out (Partner)" in body


def test_bad_values_are_named_in_a_message_and_left_out(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    body = listing(client, "date_from=2026-13-45&kind=party&zone=atlantis&officer=nobody")
    assert body.count("Filter left out") == 4
    assert "Quarterly meeting" in body  # the list itself still shows
    body = listing(client, "date_from=2026-12-01&date_to=2026-11-01")
    assert "cannot end before it starts" in body
    body = listing(client, "date_from=0001-01-01")
    assert "Filter left out" in body


def _queries(client: Client, query: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        listing(client, query)
    return len(queries)


def test_the_filtered_list_runs_the_same_queries_for_3_or_10_exchanges(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    query = f"partner={cast.open_partner.pk}&theme=&kind=meeting&date_from=2026-01-01"
    # Whatever today is, both lists (coming up and past) show rows from the start: an empty list skips the
    # queries that fetch its rows' partners and compartments.
    soon = timezone.localtime() + timedelta(days=3)
    for day in range(1, 3):
        exchange_at(cast, datetime(2026, 1, day, 10, 0))
        exchange_at(cast, datetime(soon.year, soon.month, soon.day, 10, 0) + timedelta(days=day))
    few = _queries(client, query)
    for day in range(3, 10):
        exchange_at(cast, datetime(2026, 2, day, 10, 0))
        exchange_at(cast, datetime(soon.year, soon.month, soon.day, 10, 0) + timedelta(days=day))
    assert _queries(client, query) == few
