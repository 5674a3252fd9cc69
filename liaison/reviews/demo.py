"""Access reviews in the demo office: a campaign over two directorates, decided and closed five weeks ago with one
revocation (an analyst's foreign-interference compartment) and its signed result; and this year's campaign over the
cooperation office, opened three days ago, in which the desk head for Europe has confirmed his officer and the head
of office still has items to decide. Written through the services under a demo clock, so that every date, audit
entry and the signed result agree."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from liaison.accounts.models import Service, User
from liaison.home.demo import demo_clock
from liaison.reviews.models import EntitlementKind, ItemDecision, ReviewItem
from liaison.reviews.selectors import my_items
from liaison.reviews.services import campaign_close, campaign_open, item_revoke, items_confirm_rest


def _confirm_all(manager: User, campaign_items: Sequence[ReviewItem]) -> None:
    ids = [item.pk for item in campaign_items if item.decision == ItemDecision.PENDING]
    if ids:
        items_confirm_rest(campaign=campaign_items[0].campaign, item_ids=ids, by=manager)


def load_reviews_demo(*, users: list[User]) -> dict[str, int]:
    by = {user.username: user for user in users}
    officer, head_ct, head_europe = by["security.officer"], by["head.ct"], by["head.europe"]
    services = {s.code: s for s in Service.objects.filter(code__in=["dct", "dce", "bci"])}
    now = timezone.now()
    with demo_clock() as clock:
        clock.at(now - timedelta(days=60))
        closed = campaign_open(
            name="Revue semestrielle des habilitations — directions",
            due_on=timezone.localdate(now - timedelta(days=40)),
            services=[services["dct"], services["dce"]],
            by=officer,
        )
        clock.at(now - timedelta(days=44))
        interference = ReviewItem.objects.get(
            campaign=closed,
            person=by["analyst.ce"],
            kind=EntitlementKind.COMPARTMENT,
            compartment__code="interference",
        )
        item_revoke(
            item=interference,
            by=officer,
            reason="Affectée au seul contre-espionnage depuis septembre : l'ingérence ne relève plus d'elle.",
        )
        for manager in (head_ct, officer):
            clock.at(clock.moment + timedelta(hours=3))
            _confirm_all(manager, list(my_items(user=manager, campaign=closed)))
        clock.at(now - timedelta(days=38))
        campaign_close(campaign=closed, by=officer)

        clock.at(now - timedelta(days=3))
        current = campaign_open(
            name="Revue annuelle des habilitations — bureau de la coopération internationale",
            due_on=timezone.localdate(now + timedelta(days=11)),
            services=[services["bci"]],
            by=officer,
        )
        clock.at(now - timedelta(days=1))
        europe = [i for i in my_items(user=head_europe, campaign=current) if i.person_id == by["officer.europe"].pk]
        _confirm_all(head_europe, europe)
    return {"review_campaigns": 2, "review_items": ReviewItem.objects.count()}
