"""My day: what waits for the user today, per role, each entry one click from its action. Every list is a read
through the selectors of its app (the read rule, in SQL, before any LIMIT), in a number of queries that depends on
the user's roles and never on how many rows there are."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import RoleCode, User
from liaison.exchanges.selectors import exchange_list
from liaison.followup.models import FollowUp, FollowUpKind, FollowUpStatus
from liaison.followup.selectors import followup_list
from liaison.policy.access import visible_to
from liaison.releases.models import ConsentRequestStatus
from liaison.releases.selectors import consent_request_list, release_list_to_approve
from liaison.reports.models import Report, ReportRecipient, ReportStatus
from liaison.reports.selectors import report_inbox, report_list, report_list_to_review

SHOWN = 8  # entries per section; one more is fetched to know whether to offer the full list


@dataclass(frozen=True)
class Entry:
    """One line of My day: what it is, when, and the link (or the form, when `post`) that acts on it."""

    obj: Any
    title: str
    url: str
    action: str
    when: datetime | None = None
    note: str = ""
    is_late: bool = False
    post: bool = False
    when_label: str = ""  # what the time is (due, submitted…); empty for a meeting's own time


@dataclass
class Section:
    key: str
    title: str
    empty: str
    entries: list[Entry] = field(default_factory=list)
    more_url: str = ""
    has_more: bool = False


@dataclass
class MyDay:
    user: User
    today: datetime
    sections: list[Section]

    @property
    def marked(self) -> list[Any]:
        """Everything the page names, for the classification banner."""
        return [entry.obj for section in self.sections for entry in section.entries]

    @property
    def waiting(self) -> int:
        return sum(len(section.entries) for section in self.sections)

    def section(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)


def _section(
    key: str,
    title: str,
    empty: str,
    rows: Iterable[Any],
    entry: Callable[[Any], Entry],
    more_url: str = "",
) -> Section:
    fetched = list(rows)
    return Section(
        key,
        title,
        empty,
        [entry(row) for row in fetched[:SHOWN]],
        more_url=more_url,
        has_more=len(fetched) > SHOWN,
    )


def _meetings(user: User, now: datetime, zone: ZoneInfo) -> Section:
    """The user's exchanges (author or participant) from the start of today to the end of tomorrow, local time."""
    start = timezone.localtime(now, zone).replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=2)  # wall-clock arithmetic: two local days, whatever a change of hour does
    mine = Q(created_by=user) | Q(pk__in=exchange_participations(user))
    rows = exchange_list(user=user).filter(mine, occurred_at__gte=start, occurred_at__lt=end).order_by("occurred_at")
    return _section(
        "meetings",
        _("Today and tomorrow"),
        _("No meeting today or tomorrow."),
        rows[: SHOWN + 1],
        lambda e: Entry(
            e,
            e.title,
            reverse("exchanges:detail", args=[e.pk]),
            _("Prepare the meeting"),
            when=e.occurred_at,
            note=", ".join(str(p) for p in e.partners.all()),
        ),
        more_url=reverse("exchanges:list"),
    )


def exchange_participations(user: User) -> Any:
    from liaison.exchanges.models import Exchange

    return Exchange.participants.through.objects.filter(user=user).values("exchange_id")


def _without_report(user: User, now: datetime) -> Section:
    """The user's past exchanges, older than the reporting delay, with no report the user can see."""
    days = settings.LIAISON_REPORT_DUE_DAYS
    reports = visible_to(Report.objects.filter(exchange=OuterRef("pk")), user)
    rows = (
        exchange_list(user=user)
        .filter(created_by=user, occurred_at__lt=now - timedelta(days=days))
        .exclude(Exists(reports))
        .order_by("-occurred_at")
    )
    return _section(
        "no_report",
        _("Exchanges without a report after %(days)d days") % {"days": days},
        _("Every exchange of yours has its report."),
        rows[: SHOWN + 1],
        lambda e: Entry(
            e,
            e.title,
            reverse("reports:create", args=[e.pk]),
            _("Write the report"),
            when=e.occurred_at,
            note=", ".join(str(p) for p in e.partners.all()),
            is_late=True,
            post=True,
        ),
    )


def _my_reports(user: User, status: str, key: str, title: str, empty: str, action: str, view: str) -> Section:
    rows = report_list(user=user, status=status).filter(created_by=user)
    return _section(
        key,
        title,
        empty,
        rows[: SHOWN + 1],
        lambda r: Entry(
            r,
            r.title,
            reverse(view, args=[r.pk]),
            action,
            when=r.submitted_at if status == ReportStatus.SUBMITTED else r.updated_at,
            when_label=_("submitted") if status == ReportStatus.SUBMITTED else _("last edited"),
        ),
        more_url=reverse("reports:list"),
    )


def _unacknowledged(user: User) -> Section:
    """The user's disseminated reports that a recipient service has not acknowledged yet."""
    pending = ReportRecipient.objects.filter(report=OuterRef("pk"), acknowledged_at__isnull=True)
    rows = (
        report_list(user=user, status=ReportStatus.DISSEMINATED)
        .filter(created_by=user)
        .filter(Exists(pending))
        .annotate(
            waiting=Count("recipients", filter=Q(recipients__acknowledged_at__isnull=True), distinct=True),
            overdue=Count(
                "recipients",
                filter=Q(recipients__acknowledged_at__isnull=True, recipients__due_at__lt=timezone.now()),
                distinct=True,
            ),
        )
        .order_by("disseminated_at")
    )
    return _section(
        "unacknowledged",
        _("My reports not yet acknowledged"),
        _("Every recipient acknowledged your reports."),
        rows[: SHOWN + 1],
        lambda r: Entry(
            r,
            r.title,
            reverse("reports:detail", args=[r.pk]),
            _("See who has not"),
            when=r.disseminated_at,
            when_label=_("disseminated"),
            note=_("%(n)d service(s) waiting") % {"n": r.waiting},
            is_late=r.overdue > 0,
        ),
    )


def _consents_pending(user: User) -> Section:
    rows = (
        consent_request_list(user=user, status=ConsentRequestStatus.OPEN)
        .filter(created_by=user)
        .prefetch_related("compartments")
        .order_by("answer_due", "created_at")
    )
    today = timezone.localdate()
    return _section(
        "consents",
        _("Consents pending"),
        _("No consent request waits for an originator."),
        rows[: SHOWN + 1],
        lambda c: Entry(
            c,
            str(c),
            reverse("releases:consent_request_detail", args=[c.pk]),
            _("Record the answer"),
            when=c.created_at,
            note=(_("answer expected by %(date)s") % {"date": c.answer_due.isoformat()}) if c.answer_due else "",
            is_late=c.answer_due is not None and c.answer_due < today,
        ),
        more_url=reverse("releases:consent_request_list"),
    )


def _to_review(user: User) -> Section:
    return _section(
        "to_review",
        _("Reports awaiting my approval"),
        _("No report waits for your approval."),
        report_list_to_review(user=user)[: SHOWN + 1],
        lambda r: Entry(
            r,
            r.title,
            reverse("reports:detail", args=[r.pk]),
            _("Review the report"),
            when=r.submitted_at,
            note=r.created_by.alias,
        ),
        more_url=reverse("reports:list") + "?status=submitted",
    )


def _to_acknowledge(user: User) -> Section:
    rows = report_inbox(user=user, pending_only=True).order_by("disseminated_at")
    return _section(
        "to_acknowledge",
        _("Reports to acknowledge"),
        _("Your service has acknowledged every report."),
        rows[: SHOWN + 1],
        lambda r: Entry(
            r, r.title, reverse("reports:detail", args=[r.pk]), _("Read and acknowledge"), when=r.disseminated_at
        ),
        more_url=reverse("reports:list"),
    )


def _releases_to_approve(user: User) -> Section:
    rows = release_list_to_approve(user=user).prefetch_related("compartments").order_by("submitted_at")
    return _section(
        "releases",
        _("Releases awaiting my approval"),
        _("No release waits for your approval."),
        rows[: SHOWN + 1],
        lambda r: Entry(
            r,
            str(r),
            reverse("releases:detail", args=[r.pk]),
            _("Check and decide"),
            when=r.submitted_at,
            note=r.created_by.alias,
        ),
        more_url=reverse("releases:list") + "?awaiting=1",
    )


def followup_url(followup: FollowUp) -> str:
    """The follow-up's own page, where it is acknowledged, answered or closed."""
    return reverse("followup:detail", args=[followup.pk])


def _followup_list_url(query: str = "") -> str:
    return reverse("followup:list") + (f"?{query}" if query else "")


def _followup_entry(followup: FollowUp, action: str, now: datetime, note: str = "") -> Entry:
    return Entry(
        followup,
        followup.title,
        followup_url(followup),
        action,
        when=followup.due_at,
        when_label=_("due by"),
        note=note or str(followup.get_kind_display()),
        is_late=followup.due_at < now,
    )


def _followups_due(user: User, now: datetime, zone: ZoneInfo) -> Section:
    """The user's open follow-ups overdue or due before the end of tomorrow (local time), RFIs still to
    acknowledge left to their own section."""
    start = timezone.localtime(now, zone).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (
        followup_list(user=user, owner=user, open_only=True)
        .filter(due_at__lt=start + timedelta(days=2))
        .exclude(kind=FollowUpKind.RFI_IN, status=FollowUpStatus.OPEN)
        .prefetch_related("compartments")
    )
    return _section(
        "followups",
        _("Follow-ups overdue or due by tomorrow"),
        _("No follow-up of yours is due before the day after tomorrow."),
        rows[: SHOWN + 1],
        lambda f: _followup_entry(f, _("Handle it"), now),
        more_url=_followup_list_url("scope=mine&status=open"),
    )


def _rfis_to_acknowledge(user: User, now: datetime) -> Section:
    """Partners' requests assigned to the user and not acknowledged yet: the partner waits for an estimate."""
    rows = (
        followup_list(user=user, owner=user, kind=FollowUpKind.RFI_IN)
        .filter(status=FollowUpStatus.OPEN)
        .prefetch_related("compartments")
    )
    return _section(
        "rfis",
        _("Partner requests to acknowledge"),
        _("No partner request waits for your acknowledgement."),
        rows[: SHOWN + 1],
        lambda f: _followup_entry(
            f, _("Acknowledge the request"), now, note=str(f.partner) if f.partner_id and f.partner_visible else ""
        ),
        more_url=_followup_list_url("scope=mine&kind=rfi_in&status=open"),
    )


def _team_overdue(user: User, now: datetime) -> Section:
    """Open follow-ups past their deadline owned by the desk head's service colleagues."""
    team: QuerySet[FollowUp]
    if user.service_id is None:
        team = FollowUp.objects.none()
    else:
        team = followup_list(user=user, overdue=True).filter(owner__service_id=user.service_id)
    rows = team.exclude(owner=user).prefetch_related("compartments")
    return _section(
        "team_overdue",
        _("My team's overdue follow-ups"),
        _("Nothing of your team's is overdue."),
        rows[: SHOWN + 1],
        lambda f: _followup_entry(f, _("Look into it"), now, note=f.owner.alias),
        more_url=_followup_list_url("scope=all&overdue=on"),
    )


def _questions_sent(user: User, now: datetime) -> Section:
    """The questions the user's service asked about reports: open ones first, then those closed in two weeks."""
    asked = followup_list(user=user, kind=FollowUpKind.RFI_INTERNAL) if user.service_id else FollowUp.objects.none()
    rows = (
        asked.filter(requested_by_service_id=user.service_id)
        .filter(
            Q(status__in=[FollowUpStatus.OPEN, FollowUpStatus.ACKNOWLEDGED])
            | Q(closed_at__gte=now - timedelta(days=14))
        )
        .prefetch_related("compartments")
        .order_by("closed_at", "due_at", "pk")
    )
    return _section(
        "questions",
        _("Questions sent by my service"),
        _("Your service has no question open."),
        rows[: SHOWN + 1],
        lambda f: Entry(
            f,
            f.title,
            followup_url(f),
            _("Follow the question"),
            when=f.closed_at or f.estimate_at or f.due_at,
            note=str(f.get_status_display()),
            is_late=f.is_open and f.due_at < now,
        ),
        more_url=_followup_list_url("scope=all&kind=rfi_internal&status="),
    )


def my_day(*, user: User, now: datetime | None = None) -> MyDay:
    """The sections of the user's home, in the order of their roles' work: first what only they can unblock."""
    now = now or timezone.now()
    zone = user.zone
    sections: list[Section] = []
    recording = user.has_role(RoleCode.LIAISON_OFFICER) or user.has_role(RoleCode.DESK_HEAD)
    if user.has_role(RoleCode.DESK_HEAD):
        sections += [_to_review(user), _team_overdue(user, now)]
    if user.has_role(RoleCode.RELEASE_AUTHORITY):
        sections.append(_releases_to_approve(user))
    if recording:
        sections.append(_meetings(user, now, zone))
    if user.has_role(RoleCode.LIAISON_OFFICER):
        sections += [
            _rfis_to_acknowledge(user, now),
            _followups_due(user, now, zone),
            _my_reports(
                user,
                ReportStatus.RETURNED,
                "returned",
                _("Returned to me"),
                _("No report was returned to you."),
                _("Revise the report"),
                "reports:edit",
            ),
            _without_report(user, now),
            _my_reports(
                user,
                ReportStatus.DRAFT,
                "drafts",
                _("Reports to write"),
                _("No draft in progress."),
                _("Continue"),
                "reports:edit",
            ),
            _my_reports(
                user,
                ReportStatus.SUBMITTED,
                "submitted",
                _("Awaiting approval"),
                _("None of your reports waits for approval."),
                _("Open the report"),
                "reports:detail",
            ),
            _unacknowledged(user),
            _consents_pending(user),
        ]
    if user.has_role(RoleCode.RECIPIENT):
        sections += [_to_acknowledge(user), _questions_sent(user, now)]
    return MyDay(user, timezone.localtime(now, zone), sections)
