"""Reads of access reviews, through the read rule: campaigns come from `visible_to`, and a manager's items are those
of campaigns they may read that `managers.decidable_q` lets them decide. Each list fetches with its rows what the
page prints, so that it runs the same number of queries whatever its length."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from liaison.accounts.models import User
from liaison.policy.access import get_visible_or_404, visible_to
from liaison.policy.models import ClassificationLevel
from liaison.reviews.managers import decidable_q
from liaison.reviews.models import CampaignStatus, ItemDecision, ReviewCampaign, ReviewItem

ITEM_RELATED = ("person__service", "clearance", "new_clearance", "compartment", "role", "decided_by")


def _with_counts(campaigns: QuerySet[ReviewCampaign]) -> QuerySet[ReviewCampaign]:
    return campaigns.annotate(
        item_count=Count("items"),
        pending_count=Count("items", filter=Q(items__decision=ItemDecision.PENDING)),
        revoked_count=Count("items", filter=Q(items__decision=ItemDecision.REVOKED)),
        flagged_count=Count("items", filter=Q(items__decision=ItemDecision.FLAGGED)),
        people_count=Count("items__person", distinct=True),
    )


def campaign_list(*, user: User) -> QuerySet[ReviewCampaign]:
    """The campaigns `user` may read, newest first, each with its counts of items by decision."""
    campaigns = visible_to(ReviewCampaign.objects.all(), user)
    return (
        _with_counts(campaigns)
        .select_related("created_by", "closed_by", "classification__scheme")
        .prefetch_related("compartments", "services")
        .order_by("-created_at")
    )


def campaign_get(*, user: User, pk: Any, request: Any = None) -> ReviewCampaign:
    """One campaign through the read rule (404 when unseen), with its counts."""
    campaigns = _with_counts(ReviewCampaign.objects.all()).select_related(
        "created_by", "closed_by", "classification__scheme"
    )
    return get_visible_or_404(campaigns.prefetch_related("compartments", "services"), user, pk, request=request)


def campaign_items(*, campaign: ReviewCampaign, decision: str = "") -> QuerySet[ReviewItem]:
    """A campaign's items (for those who may read the campaign), optionally of one decision."""
    items = ReviewItem.objects.filter(campaign=campaign).select_related(*ITEM_RELATED, "reviewer_service")
    if decision:
        items = items.filter(decision=decision)
    return items.order_by("person__alias", "kind", "compartment__code", "role__code", "pk")


def my_items(*, user: User, campaign: ReviewCampaign | None = None) -> QuerySet[ReviewItem]:
    """The items of open campaigns `user` may decide now (never about themselves), pending first."""
    campaigns = visible_to(ReviewCampaign.objects.filter(status=CampaignStatus.OPEN), user)
    items = ReviewItem.objects.filter(decidable_q(user), campaign__in=campaigns.values("pk"))
    if campaign is not None:
        items = items.filter(campaign=campaign)
    # The campaign comes with what its banner reads, so the page costs the same whatever the number of campaigns.
    items = items.select_related(*ITEM_RELATED, "campaign__classification__scheme")
    return items.prefetch_related("campaign__compartments").order_by(
        "campaign__due_on", "campaign_id", "person__alias", "kind", "compartment__code", "role__code", "pk"
    )


def my_campaign_get(*, user: User, pk: Any, request: Any = None) -> ReviewCampaign:
    """An open campaign in which `user` has items to decide; any other answers 404."""
    campaigns = ReviewCampaign.objects.filter(
        status=CampaignStatus.OPEN, pk__in=ReviewItem.objects.filter(decidable_q(user)).values("campaign_id")
    ).select_related("classification__scheme")
    return get_visible_or_404(campaigns.prefetch_related("compartments"), user, pk, request=request)


def my_item_get(*, user: User, pk: Any) -> ReviewItem:
    """One item `user` may decide, in an open campaign they may read; any other answers 404."""
    from django.http import Http404

    item = my_items(user=user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def national_levels() -> list[ClassificationLevel]:
    """The national ladder, lowest first: what a clearance may be lowered to."""
    return list(ClassificationLevel.objects.filter(scheme__is_national=True).select_related("scheme").order_by("rank"))
