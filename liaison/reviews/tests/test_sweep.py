"""Overdue items: reminded to the managers after the due date, escalated to the managers' manager and the security
officers `LIAISON_REVIEW_ESCALATE_DAYS` after the reminder, each step once, audited, and notified."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from liaison.accounts.models import RoleCode, Service
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.core.exceptions import PolicyRefusal
from liaison.notifications.models import Notification, NotificationKind
from liaison.reviews.models import EntitlementKind, ReviewCampaign, ReviewItem
from liaison.reviews.selectors import my_items
from liaison.reviews.services import campaign_open, item_confirm
from liaison.reviews.sweep import review_sweep
from liaison.reviews.tests.conftest import item_of
from liaison.testing.cast import Cast, make_user, service
from liaison.testing.matrix import login_as


def _notified(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_nothing_happens_before_the_due_date(cast: Cast, campaign: ReviewCampaign) -> None:
    assert review_sweep(campaign.due_at - timedelta(minutes=1)).as_dict() == {
        "reminded": 0,
        "escalated": 0,
        "notices": 0,
    }
    assert not Notification.objects.exists()


def test_overdue_items_are_reminded_then_escalated_once(cast: Cast, campaign: ReviewCampaign, settings) -> None:
    settings.LIAISON_REVIEW_ESCALATE_DAYS = 3
    item_confirm(item=item_of(campaign, cast.bob, EntitlementKind.CLEARANCE), by=cast.carol)
    pending = ReviewItem.objects.filter(campaign=campaign, decision="pending").count()
    late = campaign.due_at + timedelta(hours=1)
    assert review_sweep(late).as_dict() == {"reminded": pending, "escalated": 0, "notices": 2}
    # carol for the office's people, grace (security officer) for those whose service has no other desk head.
    assert _notified(NotificationKind.REVIEW_OVERDUE) == {"carol", "grace"}
    assert review_sweep(late + timedelta(days=2)).as_dict() == {"reminded": 0, "escalated": 0, "notices": 0}
    alices = item_of(campaign, cast.alice, EntitlementKind.COMPARTMENT, "terrorism")
    assert not my_items(user=cast.grace).filter(pk=alices.pk).exists()

    result = review_sweep(late + timedelta(days=3))
    assert result.escalated == pending and result.reminded == 0
    assert _notified(NotificationKind.REVIEW_ESCALATED) == {"grace"}  # nobody heads a service above the office
    assert my_items(user=cast.grace).filter(pk=alices.pk).exists()  # escalated: the security officer may decide
    item_confirm(item=alices, by=cast.grace)
    assert review_sweep(late + timedelta(days=9)).as_dict() == {"reminded": 0, "escalated": 0, "notices": 0}
    reminded = AuditEntry.objects.get(event=AuditEvent.REVIEW_REMINDED)
    assert reminded.details["items"] == pending and reminded.target_id == str(campaign.pk)
    assert AuditEntry.objects.filter(event=AuditEvent.REVIEW_ESCALATED).count() == 1


def test_escalation_reaches_the_managers_manager(cast: Cast) -> None:
    direction = service("dg")
    Service.objects.filter(code="bci").update(parent=direction)
    zoe = make_user("zoe", (RoleCode.DESK_HEAD,), "dg", "ts", ("terrorism", "cyber"))
    due = timezone.localdate() + timedelta(days=1)
    campaign = campaign_open(name="Office", due_on=due, services=[service("bci")], by=cast.grace)
    alices = item_of(campaign, cast.alice, EntitlementKind.CLEARANCE)
    with pytest.raises(PolicyRefusal):  # the managers' manager decides only once the item is escalated
        item_confirm(item=alices, by=zoe)
    review_sweep(campaign.due_at + timedelta(hours=1))
    review_sweep(campaign.due_at + timedelta(days=10))
    assert "zoe" in _notified(NotificationKind.REVIEW_ESCALATED)
    item_confirm(item=alices, by=zoe)


def test_the_notice_names_the_campaign_and_leads_to_the_managers_items(
    cast: Cast, campaign: ReviewCampaign, client: Client
) -> None:
    review_sweep(campaign.due_at + timedelta(hours=1))
    login_as(client, cast.carol)
    html = client.get("/notifications/").content.decode()
    assert "Annual review" in html and f"/reviews/mine/{campaign.pk}/" in html


def test_the_sweep_command(cast: Cast, campaign: ReviewCampaign, capsys) -> None:
    call_command("reviews", "sweep")
    assert "review sweep" in capsys.readouterr().out
