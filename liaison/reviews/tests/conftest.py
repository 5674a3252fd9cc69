from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.exchanges.models import InformationItem
from liaison.exchanges.services import ItemInput, item_create
from liaison.policy.markings import Marking
from liaison.reviews.models import EntitlementKind, ReviewCampaign, ReviewItem
from liaison.reviews.services import campaign_open
from liaison.testing.cast import Cast, make_exchange


@pytest.fixture
def campaign(cast: Cast) -> ReviewCampaign:
    """Grace's campaign over every user of the cast, due in a fortnight."""
    return campaign_open(name="Annual review", due_on=timezone.localdate() + timedelta(days=14), by=cast.grace)


def item_of(campaign: ReviewCampaign, person, kind: str, code: str = "") -> ReviewItem:
    items = ReviewItem.objects.filter(campaign=campaign, person=person, kind=kind)
    if kind == EntitlementKind.COMPARTMENT:
        items = items.filter(compartment__code=code)
    elif kind == EntitlementKind.ROLE:
        items = items.filter(role__code=code)
    return items.get()


def terrorism_item(cast: Cast) -> InformationItem:
    """Alice's item on an exchange with the SECRET terrorism partner, marked terrorism."""
    exchange = make_exchange(cast.alice, cast.secret_partner, ("terrorism",))
    exchange.title = "Terrorism meeting"
    exchange.save(update_fields=["title"])
    return item_create(
        by=cast.alice,
        exchange=exchange,
        data=ItemInput(
            direction="received",
            originator_kind="partner",
            originator_partner=cast.secret_partner,
            title="Safe house in the port",
            text="A flat rented near the port.",
            source_reliability="B",
            information_credibility="2",
            marking=Marking(rank=3, compartments=frozenset({"terrorism"})),
        ),
    )
