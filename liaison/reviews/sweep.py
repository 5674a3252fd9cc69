"""The periodic look at open campaigns past their due date: items still pending are reminded to their managers,
then, `LIAISON_REVIEW_ESCALATE_DAYS` after the reminder, escalated to the managers' manager and the security
officers, who may then decide them too. Each step is stamped on the items in the transaction of its notices and
audit entry, so a second run, or a run after a crash, repeats nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.notifications.models import NotificationKind
from liaison.notifications.services import notify
from liaison.reviews.managers import managers_of, security_officers
from liaison.reviews.models import CampaignStatus, ItemDecision, ReviewCampaign, ReviewItem


@dataclass
class SweepResult:
    reminded: int = 0
    escalated: int = 0
    notices: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"reminded": self.reminded, "escalated": self.escalated, "notices": self.notices}


def _notify_all(
    campaign: ReviewCampaign, recipients: dict[str, User], kind: NotificationKind, items: list[ReviewItem]
) -> list[str]:
    """Notify each recipient who has at least one of `items` that is not about themselves."""
    notified = []
    for recipient in recipients.values():
        if any(item.person_id != recipient.pk for item in items):
            notify(
                recipient=recipient, kind=kind, target=campaign, key=f"review:{campaign.pk}", about_at=campaign.due_at
            )
            notified.append(str(recipient.pk))
    return notified


def _step(
    campaign: ReviewCampaign, items: list[ReviewItem], *, escalate: bool, now: datetime, result: SweepResult
) -> None:
    groups: dict[object, list[ReviewItem]] = defaultdict(list)
    for item in items:
        groups[item.escalation_service_id if escalate else item.reviewer_service_id].append(item)
    notified: list[str] = []
    for service_id, group in groups.items():
        recipients: dict[str, User] = {}
        service = group[0].escalation_service if escalate else group[0].reviewer_service
        if service_id is not None:
            recipients |= {str(u.pk): u for u in managers_of(service=service)}
        if escalate or service_id is None:
            recipients |= {str(u.pk): u for u in security_officers()}
        kind = NotificationKind.REVIEW_ESCALATED if escalate else NotificationKind.REVIEW_OVERDUE
        notified += _notify_all(campaign, recipients, kind, group)
    ids = [item.pk for item in items]
    if escalate:
        ReviewItem.objects.filter(pk__in=ids).update(escalated_at=now)
        result.escalated += len(ids)
    else:
        ReviewItem.objects.filter(pk__in=ids).update(reminded_at=now)
        result.reminded += len(ids)
    result.notices += len(notified)
    record(
        actor=None,
        event=AuditEvent.REVIEW_ESCALATED if escalate else AuditEvent.REVIEW_REMINDED,
        target=campaign,
        extra={"items": len(ids), "recipients": sorted(set(notified))},
    )


def review_sweep(now: datetime | None = None) -> SweepResult:
    """Remind, then escalate, the pending items of every open campaign past its due date."""
    now = now or timezone.now()
    result = SweepResult()
    escalate_after = timedelta(days=settings.LIAISON_REVIEW_ESCALATE_DAYS)
    for campaign in ReviewCampaign.objects.filter(status=CampaignStatus.OPEN).order_by("created_at"):
        if now < campaign.due_at:
            continue
        pending = ReviewItem.objects.filter(campaign=campaign, decision=ItemDecision.PENDING).select_related(
            "reviewer_service", "escalation_service"
        )
        with transaction.atomic():
            to_remind = list(pending.filter(reminded_at__isnull=True).select_for_update(of=("self",)))
            if to_remind:
                _step(campaign, to_remind, escalate=False, now=now, result=result)
        with transaction.atomic():
            to_escalate = list(
                pending.filter(reminded_at__lte=now - escalate_after, escalated_at__isnull=True).select_for_update(
                    of=("self",)
                )
            )
            if to_escalate:
                _step(campaign, to_escalate, escalate=True, now=now, result=result)
    return result
