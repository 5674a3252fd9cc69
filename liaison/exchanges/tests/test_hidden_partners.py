"""An exchange or item the user may read never reveals a partner they may not see (pages, forms, API)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from liaison.exchanges.services import exchange_create
from liaison.policy.markings import Marking
from liaison.testing.cast import Cast, level, make_partner
from liaison.testing.matrix import login_as


def two_partner_exchange(cast: Cast):
    hidden = make_partner("Hidden partner", cast.carol, "dr", shared=("dct",))
    exchange = exchange_create(
        by=cast.carol,
        kind="meeting",
        title="Trilateral",
        occurred_at=cast.exchange.occurred_at.replace(tzinfo=None),
        time_zone="Europe/Paris",
        partners=[cast.open_partner, hidden],
        marking=Marking(rank=1),
    )
    return hidden, exchange


def test_pages_name_only_the_partners_the_reader_may_see(cast: Cast, client: Client) -> None:
    hidden, exchange = two_partner_exchange(cast)
    login_as(client, cast.bob)  # same service as the exchange, but the hidden partner is shared with dct only
    for url in (reverse("exchanges:detail", args=[exchange.pk]), reverse("exchanges:list")):
        body = client.get(url).content.decode()
        assert "Open partner" in body or "OPE" in body
        assert "Hidden partner" not in body and "HID" not in body and str(hidden.pk) not in body


def test_the_api_names_only_visible_partners_and_filters_by_hidden_ones_find_nothing(
    cast: Cast, client: Client
) -> None:
    hidden, exchange = two_partner_exchange(cast)
    login_as(client, cast.bob)
    detail = client.get(f"/api/v1/exchanges/{exchange.pk}/").json()
    assert detail["partners"] == [str(cast.open_partner.pk)]
    assert client.get(f"/api/v1/exchanges/?partner={hidden.pk}").json()["count"] == 0


def test_an_item_cannot_name_a_hidden_partner_as_originator(cast: Cast, client: Client) -> None:
    hidden, exchange = two_partner_exchange(cast)
    login_as(client, cast.bob)
    form = client.get(reverse("exchanges:item_create", args=[exchange.pk])).context["form"]
    assert list(form.fields["originator_partner"].queryset) == [cast.open_partner]
    response = client.post(
        reverse("exchanges:item_create", args=[exchange.pk]),
        {
            "classification": level("dr").pk,
            "handling_code": 0,
            "direction": "received",
            "title": "x",
            "text": "y",
            "originator_kind": "partner",
            "originator_partner": hidden.pk,
            "source_reliability": "B",
            "information_credibility": "2",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["originator_partner"]
    assert not exchange.items.exists()


def test_item_history_in_the_api_does_not_name_hidden_partners(cast: Cast, client: Client) -> None:
    from liaison.exchanges.services import item_update
    from liaison.testing.cast import make_item

    hidden, exchange = two_partner_exchange(cast)
    item = make_item(cast.carol, exchange)  # received from the first partner of the exchange
    data_partner = hidden if item.originator_partner_id == cast.open_partner.pk else cast.open_partner
    from liaison.exchanges.services import ItemInput

    item_update(
        by=cast.carol,
        item=item,
        data=ItemInput(
            direction="received",
            originator_kind="partner",
            originator_partner=data_partner,
            title=item.title,
            text=item.text,
            source_reliability="B",
            information_credibility="2",
            marking=item.marking(),
        ),
    )
    login_as(client, cast.bob)
    body = client.get(f"/api/v1/items/{item.pk}/versions/").content.decode()
    assert client.get(f"/api/v1/items/{item.pk}/versions/").json()["count"] == 2
    assert str(hidden.pk) not in body
