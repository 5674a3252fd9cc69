"""Query counts of the access review pages, pinned: the campaigns list, a campaign (open and closed, with its signed
result) and a manager's items run the same number of SQL queries whatever the number of campaigns and items."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from liaison.accounts.models import RoleCode, User
from liaison.reviews.models import EntitlementKind, ReviewCampaign, ReviewItem
from liaison.reviews.services import _items_for, campaign_close, campaign_open, item_revoke
from liaison.reviews.tests.conftest import item_of
from liaison.testing.cast import Cast, make_user
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries

DUE = timezone.localdate() + timedelta(days=14)


def _people(tag: str) -> None:
    """Two more officers of the office, each with a clearance, two compartments and a role to review."""
    for n in range(2):
        make_user(f"officer-{tag}-{n}", (RoleCode.LIAISON_OFFICER,), "bci", "s", ("terrorism", "cyber"))


def _add_people(campaign: ReviewCampaign) -> None:
    """Two more people with their items, as if they had been in the campaign's scope when it opened."""
    _people("more")
    for person in User.objects.filter(username__startswith="officer-more"):
        ReviewItem.objects.bulk_create(_items_for(campaign, person))


def test_the_campaigns_list(cast: Cast, client: Client) -> None:
    campaign_open(name="First", due_on=DUE, by=cast.grace)
    login_as(client, cast.erin)

    def grow() -> None:
        for n in range(3):
            campaign_open(name=f"More {n}", due_on=DUE, by=cast.frank)
        assert "More 2" in client.get("/reviews/campaigns/").content.decode()

    assert_page_queries(client, "/reviews/campaigns/", 12, grow=grow)


def test_an_open_campaign(cast: Cast, client: Client) -> None:
    campaign = campaign_open(name="First", due_on=DUE, by=cast.grace)
    item_revoke(item=item_of(campaign, cast.alice, EntitlementKind.CLEARANCE), by=cast.carol, reason="Lower")
    login_as(client, cast.grace)

    def grow() -> None:
        _people("more")
        from liaison.accounts.models import User
        from liaison.reviews.models import ReviewItem
        from liaison.reviews.services import _items_for

        for person in User.objects.filter(username__startswith="officer-more"):
            ReviewItem.objects.bulk_create(_items_for(campaign, person))
        assert "OFFICER-MORE-1" in client.get(f"/reviews/campaigns/{campaign.pk}/").content.decode()

    assert_page_queries(client, f"/reviews/campaigns/{campaign.pk}/", 13, grow=grow)


def test_a_closed_campaign_with_its_signed_result(cast: Cast, client: Client, settings) -> None:
    settings.LIAISON_REVIEW_UNANSWERED = "flag"
    login_as(client, cast.erin)
    first = campaign_close(campaign=campaign_open(name="First", due_on=DUE, by=cast.grace), by=cast.grace)
    assert_page_queries(client, f"/reviews/campaigns/{first.pk}/", 15)
    _people("more")
    bigger = campaign_close(campaign=campaign_open(name="Bigger", due_on=DUE, by=cast.grace), by=cast.grace)
    assert_page_queries(client, f"/reviews/campaigns/{bigger.pk}/", 15)


def test_a_managers_items(cast: Cast, client: Client) -> None:
    campaign_open(name="First", due_on=DUE, by=cast.grace)
    login_as(client, cast.carol)

    def grow() -> None:
        _people("more")
        campaign = campaign_open(name="Second", due_on=DUE, by=cast.grace)
        item_revoke(item=item_of(campaign, cast.alice, EntitlementKind.CLEARANCE), by=cast.carol, reason="Lower")
        assert "OFFICER-MORE-1" in client.get("/reviews/").content.decode()

    assert_page_queries(client, "/reviews/", 12, grow=grow)


def test_a_managers_items_in_one_campaign(cast: Cast, client: Client) -> None:
    campaign: ReviewCampaign = campaign_open(name="First", due_on=DUE, by=cast.grace)
    item_revoke(item=item_of(campaign, cast.alice, EntitlementKind.CLEARANCE), by=cast.carol, reason="Lower")
    login_as(client, cast.carol)

    def grow() -> None:
        _add_people(campaign)
        assert "OFFICER-MORE-1" in client.get(f"/reviews/mine/{campaign.pk}/").content.decode()

    assert_page_queries(client, f"/reviews/mine/{campaign.pk}/", 14, grow=grow)
