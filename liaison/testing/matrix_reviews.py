"""The role matrix of the access reviews' pages (rows like `matrix.ROUTES`).

One campaign over every user of the cast, opened by grace (security officer), is built when a row asks for it. The
items of the office's people (alice, bob, heidi) go to carol, its desk head; those of people whose service has no
other desk head (carol herself, dave, erin, grace, frank) go to the security officers (grace, never about herself).
Campaign pages are for the security officer and the administrator, read-only for the auditor; "my reviews" is for
desk heads and security officers.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.utils import timezone

from liaison.reviews.models import EntitlementKind, ReviewCampaign, ReviewItem
from liaison.reviews.services import campaign_open
from liaison.testing.cast import Cast
from liaison.testing.matrix import Route

READERS = {"grace": 200, "frank": 200, "erin": 200}  # security officer, administrator, auditor (read only)
OWNERS = {"grace": 200, "frank": 200}
MANAGERS = {"carol": 200, "grace": 200}


def review_campaign(cast: Cast) -> ReviewCampaign:
    cached: ReviewCampaign | None = getattr(cast, "_review_campaign", None)
    if cached is None:
        cached = campaign_open(name="Annual review", due_on=timezone.localdate() + timedelta(days=14), by=cast.grace)
        cast._review_campaign = cached  # type: ignore[attr-defined]
    return cached


def alices_compartment(cast: Cast) -> ReviewItem:
    return ReviewItem.objects.get(
        campaign=review_campaign(cast),
        person=cast.alice,
        kind=EntitlementKind.COMPARTMENT,
        compartment__code="terrorism",
    )


def _campaign(cast: Cast) -> list[object]:
    return [review_campaign(cast).pk]


REVIEWS_ROUTES: list[Route] = [
    Route("reviews:list", READERS),
    Route("reviews:open", OWNERS),
    Route("reviews:detail", READERS, args=_campaign),
    Route("reviews:detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    # Grace closes it; every item still unanswered is then revoked (the default), frank's administrator role among
    # them, so frank, next in the cast's order, no longer reaches the page.
    Route("reviews:close", {"grace": 302}, args=_campaign, method="post", data={"confirm": "on"}),
    Route("reviews:mine", MANAGERS),
    Route("reviews:mine_in", MANAGERS, args=_campaign),
    Route("reviews:mine_in", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    Route("reviews:confirm_rest", dict.fromkeys(MANAGERS, 302), args=_campaign, method="post", data={"checked": "on"}),
    # Alice's compartment: carol decides it; grace is a manager, but not alice's (404 like any item not hers).
    Route(
        "reviews:decide",
        {"carol": 302},
        args=lambda c: [alices_compartment(c).pk],
        method="post",
        data={"decision": "confirm"},
    ),
    Route("reviews:decide", {}, args=lambda c: [uuid.uuid4()], method="post", label="unknown id"),
]
