"""The watchtower (tour de guet): the office at a glance for its desk heads, across zones, themes and partners.

Every figure is counted in SQL over the reader's readable querysets (`visible_to`), so a record the reader may not
read changes no number; the figures are derived data and carry the highest markings of what they were counted from.
What is counted, over a period of whole weeks in the reader's time zone:

- activity: exchanges, their information items and their reports, dated by the exchange;
- per zone (of the partners of an exchange): the same, the reports approved and the partners gone silent;
- workload: per owner, open follow-ups, those overdue, and those due in the coming week (now, not in the period);
- partners' requests (RFI in) created in the period: time to acknowledge, and the share answered by the deadline;
- partners gone silent: active partners with no exchange for the chosen number of weeks (up to now);
- reports approved in the period: the delay from submission to approval; acknowledgements recorded in the
  period: the delay from dissemination to acknowledgement.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core.exceptions import InputFieldError
from liaison.exchanges.models import Exchange, InformationItem
from liaison.followup.models import OPEN_STATUSES, FollowUp, FollowUpKind, FollowUpStatus
from liaison.partners.models import Partner, PartnerStatus
from liaison.policy.access import visible_to
from liaison.policy.classification import national_level_for_rank
from liaison.policy.models import Compartment, Zone
from liaison.releases.ledger import LedgerMarking
from liaison.reports.models import Report, ReportRecipient

if TYPE_CHECKING:
    from liaison.accounts.models import User

DEFAULT_WEEKS = 12
MAX_WEEKS = 104
MAX_SILENT_WEEKS = 104


class WatchtowerInputError(InputFieldError):
    """A filter the watchtower cannot use."""


# ---------------------------------------------------------------- the filter


@dataclass(frozen=True)
class Weeks:
    """Whole weeks, Monday to Sunday, from the week of `first` to the week of `last` (both Mondays)."""

    first: date
    last: date

    @property
    def mondays(self) -> list[date]:
        count = (self.last - self.first).days // 7 + 1
        return [self.first + timedelta(weeks=n) for n in range(count)]

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, datetime.min.time()))

    @property
    def ends_at(self) -> datetime:
        """The first moment after the period (Monday after the last week, midnight local time)."""
        return timezone.make_aware(datetime.combine(self.last + timedelta(weeks=1), datetime.min.time()))


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_parse(first: date | None, last: date | None, *, today: date | None = None) -> Weeks:
    """The weeks of `first` to `last` (any days of those weeks). Without `last`, up to this week; without `first`,
    the 12 weeks up to `last`. At most 104 weeks; `first` after `last` is refused."""
    today = today or timezone.localdate()
    end = monday(last or today)
    start = monday(first) if first else end - timedelta(weeks=DEFAULT_WEEKS - 1)
    if start > end:
        raise WatchtowerInputError("from", _("The first day comes after the last one: give a first day before it."))
    if (end - start).days // 7 + 1 > MAX_WEEKS:
        raise WatchtowerInputError(
            "from", _("The period covers more than %(max)d weeks: give a shorter one.") % {"max": MAX_WEEKS}
        )
    return Weeks(start, end)


@dataclass(frozen=True)
class Scope:
    """What the reader asked to look at: a period, and optionally one zone, one theme, one partner."""

    weeks: Weeks
    zone: Zone | None = None
    theme: Compartment | None = None
    partner: Partner | None = None
    silent_weeks: int = 8

    def exchanges(self, user: User) -> QuerySet[Exchange]:
        """The readable exchanges of the scope, at any date (with the partner, zone and theme asked for)."""
        exchanges = visible_to(Exchange.objects.all(), user)
        if self.partner is not None:
            exchanges = exchanges.filter(
                pk__in=Exchange.partners.through.objects.filter(partner=self.partner).values("exchange_id")
            )
        if self.zone is not None:
            linked = Exchange.partners.through.objects.filter(partner__zone=self.zone).values("exchange_id")
            zoned = Exchange.zones.through.objects.filter(zone=self.zone).values("exchange_id")
            exchanges = exchanges.filter(Q(pk__in=linked) | Q(pk__in=zoned))
        if self.theme is not None:
            exchanges = exchanges.filter(
                pk__in=Exchange.compartments.through.objects.filter(compartment=self.theme).values("exchange_id")
            )
        return exchanges

    def in_period(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.weeks.starts_at, f"{field_name}__lt": self.weeks.ends_at})

    def partners(self, user: User) -> QuerySet[Partner]:
        partners = visible_to(Partner.objects.select_related("zone", "classification"), user)
        if self.partner is not None:
            partners = partners.filter(pk=self.partner.pk)
        if self.zone is not None:
            partners = partners.filter(zone=self.zone)
        if self.theme is not None:
            partners = partners.filter(
                pk__in=Partner.compartments.through.objects.filter(compartment=self.theme).values("partner_id")
            )
        return partners

    def followups(self, user: User) -> QuerySet[FollowUp]:
        followups = visible_to(FollowUp.objects.all(), user)
        if self.partner is not None:
            followups = followups.filter(partner=self.partner)
        if self.zone is not None:
            followups = followups.filter(Q(partner__zone=self.zone) | Q(exchange__in=self.exchanges(user).values("pk")))
        if self.theme is not None:
            followups = followups.filter(
                pk__in=FollowUp.compartments.through._default_manager.filter(compartment=self.theme).values(
                    "followup_id"
                )
            )
        return followups


# ---------------------------------------------------------------- the figures


@dataclass
class WeekRow:
    monday: date
    exchanges: int = 0
    items: int = 0
    reports: int = 0


@dataclass
class ZoneRow:
    zone: Zone
    exchanges: int = 0
    items: int = 0
    reports: int = 0
    approved: int = 0
    partners: int = 0
    silent: int = 0


@dataclass
class OfficerRow:
    alias: str
    open: int = 0
    overdue: int = 0
    due_this_week: int = 0


@dataclass
class SilentPartner:
    partner: Partner
    last_exchange_at: datetime | None


@dataclass
class Delay:
    """How many records, their average delay, and (where there is a deadline) how many met it."""

    count: int = 0
    average: timedelta | None = None
    on_time: int | None = None
    late: int = 0

    @property
    def average_hours(self) -> float | None:
        return None if self.average is None else round(self.average.total_seconds() / 3600, 1)

    @property
    def on_time_share(self) -> int | None:
        if self.on_time is None or not self.count:
            return None
        return round(100 * self.on_time / self.count)


@dataclass
class Watchtower:
    scope: Scope
    weeks: list[WeekRow]
    zones: list[ZoneRow]
    officers: list[OfficerRow]
    silent: list[SilentPartner]
    rfi_acknowledgement: Delay
    rfi_answer: Delay
    rfi_open: int
    approval: Delay
    acknowledgement: Delay
    marking: LedgerMarking
    totals: WeekRow = field(default_factory=lambda: WeekRow(date.min))

    @property
    def marked(self) -> list[Any]:
        return [self.marking] if self.marking.classification is not None else []


def _week(expression: str) -> Any:
    from django.db.models.functions import TruncWeek

    return TruncWeek(expression, output_field=DateTimeField())


def _as_monday(value: Any) -> date:
    """TruncWeek gives a datetime (aware, in the current zone) or a date depending on the database."""
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


class _Counter:
    """The readable querysets of one watchtower, and the highest classification met while counting."""

    def __init__(self, user: User, scope: Scope) -> None:
        self.user = user
        self.scope = scope
        self.top = 0
        every = scope.exchanges(user)
        self.exchanges = every.filter(scope.in_period("occurred_at"))
        self.items = visible_to(InformationItem.objects.all(), user).filter(exchange__in=self.exchanges.values("pk"))
        self.reports = visible_to(Report.objects.all(), user).filter(exchange__in=self.exchanges.values("pk"))
        scoped_reports = visible_to(Report.objects.all(), user).filter(exchange__in=every.values("pk"))
        self.approved = scoped_reports.filter(scope.in_period("approved_at"), submitted_at__isnull=False)
        self.acknowledged = ReportRecipient.objects.filter(
            report__in=scoped_reports.values("pk"), acknowledged_at__isnull=False
        ).filter(scope.in_period("acknowledged_at"))
        self.acknowledged_reports = scoped_reports.filter(pk__in=self.acknowledged.values("report_id"))
        self.followups = scope.followups(user)
        self.open_followups = self.followups.filter(status__in=OPEN_STATUSES)
        self.rfis = self.followups.filter(kind=FollowUpKind.RFI_IN).filter(scope.in_period("created_at"))
        self.partners = scope.partners(user)

    def seen(self, rank: int | None) -> None:
        self.top = max(self.top, rank or 0)


def _activity(counter: _Counter) -> list[WeekRow]:
    """Exchanges, items and reports per week of their exchange; three grouped queries."""
    rows = {m: WeekRow(m) for m in counter.scope.weeks.mondays}
    for name, queryset, date_field in (
        ("exchanges", counter.exchanges, "occurred_at"),
        ("items", counter.items, "exchange__occurred_at"),
        ("reports", counter.reports, "exchange__occurred_at"),
    ):
        grouped = (
            queryset.annotate(week=_week(date_field))
            .values("week")
            .annotate(n=Count("pk", distinct=True), top=Max("classification__rank"))
            .order_by()
        )
        for row in grouped:
            week = rows.get(_as_monday(row["week"]))
            if week is not None:
                setattr(week, name, row["n"])
            counter.seen(row["top"])
    return list(rows.values())


def _silent(counter: _Counter, now: datetime) -> tuple[list[SilentPartner], dict[Any, int], dict[Any, int]]:
    """Active partners with no readable exchange in the last `silent_weeks` weeks; and partners per zone."""
    last = (
        visible_to(Exchange.objects.all(), counter.user)
        .filter(partners=OuterRef("pk"), occurred_at__lte=now)
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    partners = counter.partners.filter(status=PartnerStatus.ACTIVE).annotate(last_exchange_at=Subquery(last))
    since = now - timedelta(weeks=counter.scope.silent_weeks)
    silent, per_zone, silent_per_zone = [], defaultdict[Any, int](int), defaultdict[Any, int](int)
    for partner in partners.order_by("zone__code", "name"):
        counter.seen(partner.classification.rank)
        per_zone[partner.zone_id] += 1
        if partner.last_exchange_at is None or partner.last_exchange_at < since:
            silent.append(SilentPartner(partner, partner.last_exchange_at))
            silent_per_zone[partner.zone_id] += 1
    silent.sort(key=lambda row: (row.last_exchange_at is not None, row.last_exchange_at or now, row.partner.name))
    return silent, per_zone, silent_per_zone


def _zones(counter: _Counter, per_zone: dict[Any, int], silent_per_zone: dict[Any, int]) -> list[ZoneRow]:
    """The figures of each zone (the zone of an exchange's partners; an exchange with partners in two zones counts
    in both); four grouped queries."""
    zones = Zone.objects.all().order_by("code")
    if counter.scope.zone is not None:
        zones = zones.filter(pk=counter.scope.zone.pk)
    rows = {zone.pk: ZoneRow(zone) for zone in zones}
    for name, queryset, path in (
        ("exchanges", counter.exchanges, "partners__zone"),
        ("items", counter.items, "exchange__partners__zone"),
        ("reports", counter.reports, "exchange__partners__zone"),
        ("approved", counter.approved, "exchange__partners__zone"),
    ):
        for row in queryset.values(path).annotate(n=Count("pk", distinct=True)).order_by():
            if row[path] in rows:
                setattr(rows[row[path]], name, row["n"])
    for pk, row in rows.items():
        row.partners = per_zone.get(pk, 0)
        row.silent = silent_per_zone.get(pk, 0)
    return list(rows.values())


def _workload(counter: _Counter, now: datetime) -> list[OfficerRow]:
    """Open follow-ups per owner (alias): all, overdue, due within seven days; one grouped query."""
    grouped = (
        counter.open_followups.values("owner__alias")
        .annotate(
            n=Count("pk", distinct=True),
            overdue=Count("pk", distinct=True, filter=Q(due_at__lt=now)),
            soon=Count("pk", distinct=True, filter=Q(due_at__gte=now, due_at__lt=now + timedelta(days=7))),
            top=Max("classification__rank"),
        )
        .order_by()
    )
    rows = []
    for row in grouped:
        rows.append(OfficerRow(row["owner__alias"], row["n"], row["overdue"], row["soon"]))
        counter.seen(row["top"])
    return sorted(rows, key=lambda r: (-r.overdue, -r.open, r.alias))


def _duration(end: str, start: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _rfis(counter: _Counter) -> tuple[Delay, Delay, int]:
    """Partners' requests of the period: time to acknowledge; answered or refused by their deadline; still open."""
    acknowledged = counter.rfis.filter(acknowledged_at__isnull=False).aggregate(
        n=Count("pk"), average=Avg(_duration("acknowledged_at", "created_at")), top=Max("classification__rank")
    )
    closed = counter.rfis.filter(
        status__in=[FollowUpStatus.ANSWERED, FollowUpStatus.REFUSED], closed_at__isnull=False
    ).aggregate(
        n=Count("pk"),
        average=Avg(_duration("closed_at", "created_at")),
        on_time=Count("pk", filter=Q(closed_at__lte=F("due_at"))),
        top=Max("classification__rank"),
    )
    still_open = counter.rfis.filter(status__in=OPEN_STATUSES).aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(due_at__lt=timezone.now())), top=Max("classification__rank")
    )
    for row in (acknowledged, closed, still_open):
        counter.seen(row["top"])
    answer = Delay(closed["n"], closed["average"], closed["on_time"], late=still_open["late"])
    return Delay(acknowledged["n"], acknowledged["average"]), answer, still_open["n"]


def _report_delays(counter: _Counter) -> tuple[Delay, Delay]:
    approval = counter.approved.aggregate(
        n=Count("pk"), average=Avg(_duration("approved_at", "submitted_at")), top=Max("classification__rank")
    )
    acknowledgement = counter.acknowledged.aggregate(
        n=Count("pk"),
        average=Avg(_duration("acknowledged_at", "report__disseminated_at")),
        on_time=Count("pk", filter=Q(acknowledged_at__lte=F("due_at"))),
    )
    counter.seen(approval["top"])
    counter.seen(counter.acknowledged_reports.aggregate(top=Max("classification__rank"))["top"])
    return (
        Delay(approval["n"], approval["average"]),
        Delay(acknowledgement["n"], acknowledgement["average"], acknowledgement["on_time"]),
    )


def _marking(counter: _Counter) -> LedgerMarking:
    """The highest classification and every compartment of what was counted (derived data is marked so)."""
    if not counter.top:
        return LedgerMarking(None)
    counted = (
        Q(pk__in=counter.exchanges.values("compartments"))
        | Q(pk__in=counter.items.values("compartments"))
        | Q(pk__in=counter.reports.values("compartments"))
        | Q(pk__in=counter.approved.values("compartments"))
        | Q(pk__in=counter.acknowledged_reports.values("compartments"))
        | Q(pk__in=counter.open_followups.values("compartments"))
        | Q(pk__in=counter.rfis.values("compartments"))
        | Q(pk__in=counter.partners.values("compartments"))
    )
    return LedgerMarking(
        national_level_for_rank(counter.top), list(Compartment.objects.filter(counted).order_by("code"))
    )


def watchtower(*, user: User, scope: Scope, now: datetime | None = None) -> Watchtower:
    """The watchtower of `scope` as `user` may see it: a fixed number of grouped queries whatever the volume."""
    now = now or timezone.now()
    counter = _Counter(user, scope)
    weeks = _activity(counter)
    silent, per_zone, silent_per_zone = _silent(counter, now)
    zones = _zones(counter, per_zone, silent_per_zone)
    officers = _workload(counter, now)
    rfi_ack, rfi_answer, rfi_open = _rfis(counter)
    approval, acknowledgement = _report_delays(counter)
    totals = WeekRow(scope.weeks.first)
    for week in weeks:
        totals.exchanges += week.exchanges
        totals.items += week.items
        totals.reports += week.reports
    return Watchtower(
        scope=scope,
        weeks=weeks,
        zones=zones,
        officers=officers,
        silent=silent,
        rfi_acknowledgement=rfi_ack,
        rfi_answer=rfi_answer,
        rfi_open=rfi_open,
        approval=approval,
        acknowledgement=acknowledgement,
        marking=_marking(counter),
        totals=totals,
    )
