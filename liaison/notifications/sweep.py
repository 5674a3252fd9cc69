"""The reminder sweep: one idempotent pass that turns the state of follow-ups and reports into notices for those
who must act, then e-mails the fresh ones. Run it twice, or kill it halfway and run it again: each notice exists
once (its key is unique per recipient and kind), and each e-mail is claimed before it is sent.

Recipients are chosen through the read rule (`users_who_can_see`): nobody is told about what they may not read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from liaison.accounts.models import RoleCode, User
from liaison.followup.models import OPEN_STATUSES, FollowUp, FollowUpKind
from liaison.notifications.models import NotificationKind
from liaison.notifications.services import notification_emails_send, notify
from liaison.policy.access import users_who_can_see
from liaison.policy.models import MarkedModel
from liaison.reports.models import Report, ReportAction, ReportRecipient, ReportStatus

# New assignments are announced for this long; older ones are history, not news (a first sweep on an old
# database does not flood anyone).
ASSIGNMENT_LOOKBACK = timedelta(days=7)
RFI_KINDS = (FollowUpKind.RFI_IN, FollowUpKind.RFI_OUT, FollowUpKind.RFI_INTERNAL)


@dataclass
class SweepResult:
    created: dict[str, int] = field(default_factory=dict)
    emailed: int = 0

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    def as_dict(self) -> dict[str, object]:
        return {"created": dict(sorted(self.created.items())), "emailed": self.emailed}


def _stamp(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _send(
    result: SweepResult,
    *,
    recipients: Iterable[User],
    kind: NotificationKind,
    target: MarkedModel,
    key: str,
    about_at: datetime | None,
) -> None:
    recipients = list(recipients)
    # One query for all of them: who among the recipients may read the target now (lost access since: never told).
    readers = set(users_who_can_see(target).filter(pk__in=[r.pk for r in recipients]).values_list("pk", flat=True))
    for recipient in recipients:
        if recipient.pk not in readers:
            continue
        _notification, created = notify(recipient=recipient, kind=kind, target=target, key=key, about_at=about_at)
        if created:
            result.count(kind)


def _open_followups() -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(status__in=OPEN_STATUSES).select_related("owner", "classification")


def followup_reminders(result: SweepResult, now: datetime) -> None:
    soon = now + timedelta(hours=settings.LIAISON_REMINDER_DUE_SOON_HOURS)
    for followup in _open_followups().filter(due_at__lte=soon).order_by("due_at", "pk"):
        kind = NotificationKind.OVERDUE if followup.due_at <= now else NotificationKind.DUE_SOON
        key = f"{followup.pk}:{_stamp(followup.due_at)}"  # a new deadline gets its own reminder
        _send(result, recipients=[followup.owner], kind=kind, target=followup, key=key, about_at=followup.due_at)
    assigned = _open_followups().filter(assigned_at__gte=now - ASSIGNMENT_LOOKBACK).order_by("assigned_at", "pk")
    for followup in assigned:
        if followup.owner_id == followup.created_by_id and followup.assigned_at - followup.created_at < timedelta(
            minutes=1
        ):
            continue  # written for oneself: nothing to announce
        key = f"{followup.pk}:{_stamp(followup.assigned_at)}"
        _send(
            result,
            recipients=[followup.owner],
            kind=NotificationKind.ASSIGNED,
            target=followup,
            key=key,
            about_at=followup.assigned_at,
        )
    slipping = _open_followups().filter(kind__in=RFI_KINDS, estimate_at__lt=now).order_by("estimate_at", "pk")
    for followup in slipping:
        key = f"{followup.pk}:{_stamp(followup.estimate_at)}"  # a re-estimate that slips again is news again
        _send(
            result,
            recipients=[followup.owner],
            kind=NotificationKind.RFI_SLIPPING,
            target=followup,
            key=key,
            about_at=followup.estimate_at,
        )


def report_reminders(result: SweepResult) -> None:
    submitted = Report.objects.filter(status=ReportStatus.SUBMITTED).select_related("created_by", "classification")
    for report in submitted.order_by("submitted_at", "pk"):
        reviewers = users_who_can_see(report).filter(roles__code=RoleCode.DESK_HEAD).exclude(pk=report.created_by_id)
        _send(
            result,
            recipients=list(reviewers),
            kind=NotificationKind.REPORT_TO_REVIEW,
            target=report,
            key=f"{report.pk}:{_stamp(report.submitted_at)}",
            about_at=report.submitted_at,
        )
    returned = Report.objects.filter(status=ReportStatus.RETURNED).select_related("created_by", "classification")
    for report in returned.order_by("updated_at", "pk"):
        event = report.events.filter(action=ReportAction.RETURNED).order_by("-at", "-pk").first()
        if event is None:
            continue
        _send(
            result,
            recipients=[report.created_by],
            kind=NotificationKind.REPORT_RETURNED,
            target=report,
            key=f"{report.pk}:{event.pk}",
            about_at=event.at,
        )
    pending = ReportRecipient.objects.filter(
        acknowledged_at__isnull=True, report__status=ReportStatus.DISSEMINATED
    ).select_related("report", "report__classification")
    for row in pending.order_by("added_at", "pk"):
        members = users_who_can_see(row.report).filter(service_id=row.service_id)
        _send(
            result,
            recipients=list(members),
            kind=NotificationKind.REPORT_TO_ACKNOWLEDGE,
            target=row.report,
            key=f"{row.report_id}:{row.service_id}",
            about_at=row.due_at,
        )


def reminder_sweep(now: datetime | None = None) -> SweepResult:
    """Create every notice the current state calls for (idempotent), then send the e-mails not yet sent."""
    now = now or timezone.now()
    result = SweepResult()
    followup_reminders(result, now)
    report_reminders(result)
    result.emailed = notification_emails_send()
    return result
