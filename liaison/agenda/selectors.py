"""What the agenda shows: exchanges, follow-up deadlines and consent answers due, each through the read rule, cut
into the days of the reader's time zone. A page runs the same few queries whatever it shows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.exchanges.models import Exchange, ExchangeKind
from liaison.exchanges.selectors import visible_partners
from liaison.followup.selectors import followup_list
from liaison.policy.access import visible_to

# An exchange records when it starts, not when it ends: the agenda gives each kind a usual length, so that an
# evening reception that runs past midnight also shows on the next morning.
DURATIONS = {
    ExchangeKind.MEETING: timedelta(minutes=90),
    ExchangeKind.CALL: timedelta(minutes=30),
    ExchangeKind.SECURE_MESSAGE: timedelta(minutes=15),
    ExchangeKind.VISIT: timedelta(hours=3),
    ExchangeKind.RECEPTION: timedelta(hours=2, minutes=30),
}
LONGEST = max(DURATIONS.values())
DEADLINE, CONSENT = "deadline", "consent"
KINDS = [*ExchangeKind.values, DEADLINE, CONSENT]
EVENING = time(18, 0)
ICONS = {
    ExchangeKind.MEETING: "●",
    ExchangeKind.CALL: "☎",
    ExchangeKind.SECURE_MESSAGE: "✉",
    ExchangeKind.VISIT: "✈",
    ExchangeKind.RECEPTION: "★",
    DEADLINE: "⚑",
    CONSENT: "✓",
}


def kind_choices() -> list[tuple[str, str]]:
    return [
        *((value, str(label)) for value, label in ExchangeKind.choices),
        (DEADLINE, _("follow-up deadline")),
        (CONSENT, _("consent answer due")),
    ]


@dataclass(frozen=True)
class Entry:
    """One thing in the agenda. `start`/`end` are aware UTC; a deadline has `end == start`; an all-day entry (a
    consent answer due on a day) has `day` and no times."""

    uid: str
    source: str
    kind: str
    kind_label: str
    title: str
    url: str
    start: datetime | None = None
    end: datetime | None = None
    day: date | None = None
    partners: str = ""
    owner: str = ""  # a follow-up's owner (alias), shown in the office view
    obj: Any = None

    @property
    def icon(self) -> str:
        return ICONS.get(self.kind, "●")

    @property
    def is_reception(self) -> bool:
        return self.kind == ExchangeKind.RECEPTION

    @property
    def is_deadline(self) -> bool:
        return self.source != "exchange"


@dataclass
class Segment:
    """The part of an entry that falls on one day of the reader's calendar."""

    entry: Entry
    start: datetime | None
    end: datetime | None
    continued: bool = False
    continues: bool = False
    is_evening: bool = False
    offset: str = ""  # the UTC offset at the start, e.g. +0100: printed on days when the clocks change

    @property
    def is_all_day(self) -> bool:
        return self.start is None


@dataclass
class Day:
    day: date
    start: datetime
    end: datetime
    segments: list[Segment] = field(default_factory=list)

    @property
    def has_clock_change(self) -> bool:
        """Whether the clocks change on this day (23 or 25 hours): times then show their UTC offset."""
        return self.start.utcoffset() != self.end.utcoffset()


def day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """Midnight to midnight in `zone`, as aware moments: 23, 24 or 25 hours long."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


def _mine_exchanges(user: User) -> Q:
    through = Exchange.participants.through
    return Q(created_by=user) | Q(pk__in=through.objects.filter(user=user).values("exchange_id"))


def _exchanges(user: User, start: datetime, end: datetime, mine: bool, kinds: set[str]) -> QuerySet[Exchange]:
    exchanges = visible_to(
        Exchange.objects.select_related("classification__scheme").prefetch_related(
            visible_partners(user), "compartments"
        ),
        user,
    ).filter(occurred_at__gte=start - LONGEST, occurred_at__lt=end, kind__in=kinds or ExchangeKind.values)
    if mine:
        exchanges = exchanges.filter(_mine_exchanges(user))
    return exchanges.order_by("occurred_at")


def _exchange_entries(exchanges: Iterable[Exchange], start: datetime) -> list[Entry]:
    entries = []
    for exchange in exchanges:
        ends = exchange.occurred_at + DURATIONS.get(ExchangeKind(exchange.kind), timedelta(hours=1))
        if ends <= start:
            continue
        entries.append(
            Entry(
                uid=f"exchange-{exchange.pk}",
                source="exchange",
                kind=exchange.kind,
                kind_label=exchange.get_kind_display(),
                title=exchange.title,
                url=reverse("exchanges:detail", args=[exchange.pk]),
                start=exchange.occurred_at,
                end=ends,
                partners=", ".join(p.acronym or p.name for p in exchange.partners.all()),
                obj=exchange,
            )
        )
    return entries


def _visible_partner_name(followup: Any) -> str:
    """The linked partner's acronym, only when the reader may see that partner (`partner_visible`)."""
    partner = followup.partner
    if partner is None or not getattr(followup, "partner_visible", False):
        return ""
    return str(partner.acronym or partner.name)


def _deadline_entries(user: User, start: datetime, end: datetime, mine: bool) -> list[Entry]:
    """Open follow-ups due in the window: the user's own, or every one they may read (a desk head's office view)."""
    followups = followup_list(user=user, owner=user if mine else None, open_only=True)
    return [
        Entry(
            uid=f"followup-{followup.pk}",
            source="followup",
            kind=DEADLINE,
            kind_label=str(_("follow-up deadline")),
            title=followup.title,
            url=reverse("followup:detail", args=[followup.pk]),
            start=followup.due_at,
            end=followup.due_at,
            partners=_visible_partner_name(followup),
            owner="" if mine else followup.owner.alias,
            obj=followup,
        )
        for followup in followups.filter(due_at__gte=start, due_at__lt=end)
    ]


def _consent_entries(user: User, start: datetime, end: datetime, zone: tzinfo, mine: bool) -> list[Entry]:
    """Consent requests still waiting for the originator, on the day their answer is expected."""
    from liaison.releases.models import ConsentRequest, ConsentRequestStatus

    first, last = start.astimezone(zone).date(), (end - timedelta(microseconds=1)).astimezone(zone).date()
    requests = visible_to(
        ConsentRequest.objects.select_related("classification").prefetch_related("compartments"), user
    ).filter(status=ConsentRequestStatus.OPEN, answer_due__gte=first, answer_due__lte=last)
    if mine:
        requests = requests.filter(created_by=user)
    return [
        Entry(
            uid=f"consent-{request.pk}",
            source="consent",
            kind=CONSENT,
            kind_label=str(_("consent answer due")),
            title=str(_("Consent request: answer expected")),
            url=reverse("releases:consent_request_detail", args=[request.pk]),
            day=request.answer_due,
            obj=request,
        )
        for request in requests.order_by("answer_due")
    ]


def agenda_entries(
    *, user: User, start: datetime, end: datetime, zone: tzinfo, mine: bool = True, kinds: Sequence[str] = ()
) -> list[Entry]:
    """Everything in [start, end) that the user may read: exchanges (the user's own unless `mine` is False),
    open follow-up deadlines and consent answers due. `kinds` narrows to some kinds (empty: all)."""
    wanted = set(kinds)
    entries: list[Entry] = []
    exchange_kinds = wanted & set(ExchangeKind.values)
    if not wanted or exchange_kinds:
        entries += _exchange_entries(_exchanges(user, start, end, mine, exchange_kinds), start)
    if not wanted or DEADLINE in wanted:
        entries += _deadline_entries(user, start, end, mine)
    if not wanted or CONSENT in wanted:
        entries += _consent_entries(user, start, end, zone, mine)
    return entries


def _segment(entry: Entry, day: Day, zone: tzinfo) -> Segment | None:
    if entry.day is not None:
        return Segment(entry, None, None) if entry.day == day.day else None
    assert entry.start is not None and entry.end is not None
    if entry.start == entry.end:
        if not day.start <= entry.start < day.end:
            return None
        return Segment(entry, entry.start, entry.end, offset=entry.start.astimezone(zone).strftime("%z"))
    start, end = max(entry.start, day.start), min(entry.end, day.end)
    if start >= end:
        return None
    return Segment(
        entry,
        start,
        end,
        continued=entry.start < day.start,
        continues=entry.end > day.end,
        is_evening=entry.start >= day.start and entry.start.astimezone(zone).time() >= EVENING,
        offset=start.astimezone(zone).strftime("%z"),
    )


def _sort_key(segment: Segment) -> tuple[int, datetime, str]:
    return (0 if segment.is_all_day else 1, segment.start or datetime.min.replace(tzinfo=UTC), segment.entry.title)


def lay_out(entries: Sequence[Entry], first: date, days: int, zone: tzinfo) -> list[Day]:
    """The `days` calendar days from `first` in `zone`, each with the parts of the entries that fall on it."""
    laid: list[Day] = []
    for n in range(days):
        current = first + timedelta(days=n)
        day = Day(current, *day_bounds(current, zone))
        day.segments = sorted(
            (segment for entry in entries if (segment := _segment(entry, day, zone)) is not None), key=_sort_key
        )
        laid.append(day)
    return laid


@dataclass
class Slot:
    """One hour of a day view, as the clock on the wall shows it (a day when the clocks go back has two 02:00)."""

    start: datetime
    offset: str = ""
    segments: list[Segment] = field(default_factory=list)


def hour_slots(day: Day, zone: tzinfo, first_hour: int = 7, last_hour: int = 21) -> list[Slot]:
    """The hours of `day` that the day view shows: the working day, and any hour where something starts. All-day
    entries and what continues from the day before sit in the first slot shown."""
    slots: list[Slot] = []
    moment = day.start.astimezone(UTC)
    while moment < day.end:
        slots.append(Slot(moment, moment.astimezone(zone).strftime("%z")))
        moment += timedelta(hours=1)
    for segment in day.segments:
        if segment.start is None or segment.continued:
            continue
        index = int((segment.start - day.start).total_seconds() // 3600)
        slots[min(index, len(slots) - 1)].segments.append(segment)
    shown = [s for s in slots if s.segments or first_hour <= s.start.astimezone(zone).hour <= last_hour]
    early = [s for s in day.segments if s.start is None or s.continued]
    if early and shown:
        shown[0].segments[:0] = early
    return shown


def calendar_feed_get(*, user: User) -> Any:
    """The user's own calendar feed settings, or None before a first address is issued."""
    from liaison.agenda.models import CalendarFeed

    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_by_token(*, token: str) -> Any:
    """The active feed a token opens, if its owner is still an active, unlocked user; None otherwise. The owner is
    read afresh at every fetch, so a deactivated account's feed stops at once."""
    from liaison.agenda.models import CalendarFeed
    from liaison.agenda.services import token_digest

    feed = CalendarFeed.objects.select_related("user").filter(token_hash=token_digest(token)).first()
    if feed is None or not feed.user.is_active or feed.user.is_locked:
        return None
    return feed
