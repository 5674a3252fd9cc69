"""The reciprocity ledger: per partner and per month, what the office received and what it gave, with the
evaluation of what was received. Everything is counted in SQL over the reader's readable querysets only (the read
rule of `liaison.policy.access`), in a fixed number of grouped queries whatever the number of partners.

What is counted, per partner P and per month of the display time zone:

- received: information items received whose originator is P, dated by their exchange;
  their share rated A or B (source reliability) and 1 or 2 (information credibility);
- requests answered by P: our consent requests to P (as originator) answered, dated by their answer — the records
  hold no requests for information yet, so these are the only requests the ledger can count;
- given: items the office provided in exchanges with P, dated by their exchange, plus the items (and tearline)
  of releases to P approved and still released, dated by their approval; recalled releases are counted apart and
  not in what was given;
- imbalance: received minus given (positive: P gave more than it got);
- proactive share: of the exchanges with P, those where P gave at least one item and the office gave none in that
  exchange (P gave without a counterpart). The records do not say who asked for an exchange, so this is the
  measure of initiative they support; P is flagged proactive from 50 % over at least 3 exchanges.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, DateField, Max, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from liaison.exchanges.models import Exchange, InformationItem, ItemDirection, OriginatorKind
from liaison.partners.models import Partner
from liaison.policy.access import visible_to
from liaison.policy.classification import national_level_for_rank
from liaison.policy.models import ClassificationLevel, Compartment
from liaison.releases.ledger_period import DEFAULT_SORT, Period, sort_parse
from liaison.releases.models import ConsentRequest, ConsentRequestStatus, Release, ReleaseItem, ReleaseStatus

if TYPE_CHECKING:
    from liaison.accounts.models import User

PROACTIVE_SHARE = 50  # percent of exchanges
PROACTIVE_MIN_EXCHANGES = 3
GOOD_SOURCES = ("A", "B")
GOOD_INFORMATION = ("1", "2")


# ---------------------------------------------------------------- the figures


@dataclass
class Figures:
    """What was received from and given to one partner, over a month or the whole period."""

    received: int = 0
    received_ab: int = 0
    received_12: int = 0
    requests_answered: int = 0
    provided: int = 0
    released: int = 0
    released_items: int = 0
    recalled: int = 0
    recalled_items: int = 0
    exchanges: int = 0
    spontaneous_exchanges: int = 0

    def add(self, other: Figures) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def given(self) -> int:
        return self.provided + self.released_items

    @property
    def imbalance(self) -> int:
        return self.received - self.given

    @property
    def share_ab(self) -> int | None:
        return _percent(self.received_ab, self.received)

    @property
    def share_12(self) -> int | None:
        return _percent(self.received_12, self.received)

    @property
    def proactive_share(self) -> int | None:
        return _percent(self.spontaneous_exchanges, self.exchanges)

    @property
    def is_proactive(self) -> bool:
        share = self.proactive_share
        return self.exchanges >= PROACTIVE_MIN_EXCHANGES and share is not None and share >= PROACTIVE_SHARE

    def as_dict(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "received_ab": self.received_ab,
            "received_12": self.received_12,
            "requests_answered": self.requests_answered,
            "provided": self.provided,
            "released": self.released,
            "released_items": self.released_items,
            "recalled": self.recalled,
            "recalled_items": self.recalled_items,
            "given": self.given,
            "imbalance": self.imbalance,
            "share_ab": self.share_ab,
            "share_12": self.share_12,
            "exchanges": self.exchanges,
            "spontaneous_exchanges": self.spontaneous_exchanges,
            "proactive_share": self.proactive_share,
            "is_proactive": self.is_proactive,
        }


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class PartnerRow:
    partner: Partner
    totals: Figures
    by_month: dict[date, Figures]

    def series(self, months: list[date], name: str) -> list[int]:
        return [getattr(self.by_month.get(month) or Figures(), name) for month in months]


@dataclass
class ThemeRow:
    code: str
    name: str
    received: int = 0
    given: int = 0


@dataclass
class LedgerMarking:
    """The highest classification and the union of compartments of what the figures were counted from: the
    ledger is derived data and carries the markings of its sources (duck-typed for the page banner)."""

    classification: ClassificationLevel | None
    compartment_list: list[Compartment] = field(default_factory=list)

    @property
    def compartments(self) -> LedgerMarking:
        return self

    def all(self) -> list[Compartment]:
        return self.compartment_list


@dataclass
class Ledger:
    period: Period
    rows: list[PartnerRow]
    totals: Figures
    by_month: dict[date, Figures]
    marking: LedgerMarking
    themes: list[ThemeRow] = field(default_factory=list)

    @property
    def marked(self) -> list[Any]:
        """What the page banner is computed from: nothing when nothing was counted."""
        return [self.marking] if self.marking.classification is not None else []

    def series(self, name: str) -> list[int]:
        return [getattr(self.by_month.get(month) or Figures(), name) for month in self.period.months]


class _Sources:
    """The readable querysets the ledger counts from, restricted to the period and to the partners asked for."""

    def __init__(self, user: User, period: Period, partners: QuerySet[Partner], shown: list[Partner]) -> None:
        start, end = period.starts_at, period.ends_at
        self.partners = partners
        self.partner_ids = {str(partner.pk) for partner in shown}
        self.items = visible_to(InformationItem.objects.all(), user)
        self.exchanges = visible_to(Exchange.objects.all(), user).filter(
            occurred_at__gte=start, occurred_at__lt=end, partners__in=partners.values("pk")
        )
        in_period = Q(exchange__occurred_at__gte=start, exchange__occurred_at__lt=end)
        self.received = self.items.filter(
            in_period,
            direction=ItemDirection.RECEIVED,
            originator_kind=OriginatorKind.PARTNER,
            originator_partner__in=partners.values("pk"),
        )
        self.provided = self.items.filter(
            in_period, direction=ItemDirection.PROVIDED, exchange__partners__in=partners.values("pk")
        )
        self.releases = visible_to(Release.objects.all(), user).filter(
            status__in=[ReleaseStatus.RELEASED, ReleaseStatus.RECALLED],
            decided_at__gte=start,
            decided_at__lt=end,
            partner__in=partners.values("pk"),
        )
        self.answered = visible_to(ConsentRequest.objects.all(), user).filter(
            status=ConsentRequestStatus.ANSWERED,
            originator_kind=OriginatorKind.PARTNER,
            originator_partner__in=partners.values("pk"),
            closed_at__gte=start,
            closed_at__lt=end,
        )


def _month(expression: str) -> TruncMonth:
    return TruncMonth(expression, output_field=DateField())


def _counts(sources: _Sources) -> tuple[dict[tuple[str, date], Figures], int]:
    """Figures per (partner id, month), and the highest classification rank counted; five grouped queries."""
    cells: dict[tuple[str, date], Figures] = defaultdict(Figures)
    top = 0

    def cell(partner_id: Any, month: date) -> Figures:
        return cells[(str(partner_id), month)]

    # Exchanges in which the office gave something: an exchange where the partner gave and these did not is
    # spontaneous on the partner's side.
    gave_back = sources.provided.values("exchange_id")
    received = (
        sources.received.annotate(month=_month("exchange__occurred_at"))
        .values("originator_partner_id", "month")
        .annotate(
            n=Count("pk", distinct=True),
            ab=Count("pk", distinct=True, filter=Q(source_reliability__in=GOOD_SOURCES)),
            good=Count("pk", distinct=True, filter=Q(information_credibility__in=GOOD_INFORMATION)),
            spontaneous=Count(
                "exchange_id",
                distinct=True,
                filter=Q(exchange__in=sources.exchanges.values("pk")) & ~Q(exchange_id__in=gave_back),
            ),
            top=Max("classification__rank"),
        )
        .order_by()
    )
    for row in received:
        figures = cell(row["originator_partner_id"], row["month"])
        figures.received, figures.received_ab, figures.received_12 = row["n"], row["ab"], row["good"]
        figures.spontaneous_exchanges = row["spontaneous"]
        top = max(top, row["top"] or 0)

    # One row per (partner, month): an item provided in an exchange with two partners was given to both.
    provided = (
        sources.provided.annotate(month=_month("exchange__occurred_at"))
        .values("exchange__partners", "month")
        .annotate(n=Count("pk", distinct=True), top=Max("classification__rank"))
        .order_by()
    )
    for row in provided:
        if str(row["exchange__partners"]) in sources.partner_ids:
            cell(row["exchange__partners"], row["month"]).provided = row["n"]
            top = max(top, row["top"] or 0)

    exchanges = (
        sources.exchanges.annotate(month=_month("occurred_at"))
        .values("partners", "month")
        .annotate(n=Count("pk", distinct=True), top=Max("classification__rank"))
        .order_by()
    )
    for row in exchanges:
        if str(row["partners"]) in sources.partner_ids:
            cell(row["partners"], row["month"]).exchanges = row["n"]
            top = max(top, row["top"] or 0)

    readable_links = ReleaseItem.objects.filter(item__in=sources.items.values("pk"))
    releases = (
        sources.releases.annotate(month=_month("decided_at"))
        .values("partner_id", "month", "status")
        .annotate(
            n=Count("pk", distinct=True),
            links=Count("item_links", distinct=True, filter=Q(item_links__in=readable_links.values("pk"))),
            tearlines=Count("tearline", distinct=True),
            top=Max("classification__rank"),
        )
        .order_by()
    )
    for row in releases:
        figures = cell(row["partner_id"], row["month"])
        carried = row["links"] + row["tearlines"]
        if row["status"] == ReleaseStatus.RELEASED:
            figures.released, figures.released_items = row["n"], carried
        else:
            figures.recalled, figures.recalled_items = row["n"], carried
        top = max(top, row["top"] or 0)

    answered = (
        sources.answered.annotate(month=_month("closed_at"))
        .values("originator_partner_id", "month")
        .annotate(n=Count("pk", distinct=True), top=Max("classification__rank"))
        .order_by()
    )
    for row in answered:
        cell(row["originator_partner_id"], row["month"]).requests_answered = row["n"]
        top = max(top, row["top"] or 0)
    return cells, top


def _marking(sources: _Sources, top: int, partners: Iterable[Partner]) -> LedgerMarking:
    """The highest classification and every compartment of the records counted and the partners shown."""
    shown = list(partners)
    top = max([top, *(p.classification.rank for p in shown)])
    if not top:
        return LedgerMarking(None)
    counted = (
        Q(pk__in=sources.received.values("compartments"))
        | Q(pk__in=sources.provided.values("compartments"))
        | Q(pk__in=sources.exchanges.values("compartments"))
        | Q(pk__in=sources.releases.values("compartments"))
        | Q(pk__in=sources.answered.values("compartments"))
        | Q(pk__in=sources.partners.values("compartments"))
    )
    return LedgerMarking(national_level_for_rank(top), list(Compartment.objects.filter(counted).order_by("code")))


def _build(user: User, period: Period, partners: QuerySet[Partner]) -> tuple[list[PartnerRow], _Sources, int]:
    shown = list(partners)
    sources = _Sources(user, period, partners, shown)
    cells, top = _counts(sources)
    rows = []
    for partner in shown:
        by_month = {month: figures for (pid, month), figures in cells.items() if pid == str(partner.pk)}
        totals = Figures()
        for figures in by_month.values():
            totals.add(figures)
        rows.append(PartnerRow(partner, totals, by_month))
    return rows, sources, top


def _sort_key(column: str) -> Any:
    if column == "partner":
        return lambda row: str(row.partner).casefold()
    return lambda row: getattr(row.totals, column)


def _sorted(rows: list[PartnerRow], sort: str) -> list[PartnerRow]:
    """Rows by `sort`; partners without a value (a share of nothing) always come last, then by name."""
    column = sort.removeprefix("-")
    descending = sort.startswith("-")
    key = _sort_key(column)
    by_name = sorted(rows, key=lambda row: str(row.partner).casefold())
    valued = [row for row in by_name if key(row) is not None]
    empty = [row for row in by_name if key(row) is None]
    return sorted(valued, key=key, reverse=descending) + empty


def _sum(rows: list[PartnerRow]) -> tuple[Figures, dict[date, Figures]]:
    totals, by_month = Figures(), defaultdict[date, Figures](Figures)
    for row in rows:
        totals.add(row.totals)
        for month, figures in row.by_month.items():
            by_month[month].add(figures)
    return totals, dict(by_month)


def ledger_office(*, user: User, period: Period, sort: str = DEFAULT_SORT) -> Ledger:
    """One row per partner the reader may see, with the figures of the period counted over what they may read,
    sorted by `sort` (see `SORT_COLUMNS`)."""
    partners = visible_to(Partner.objects.select_related("classification"), user).order_by("name")
    rows, sources, top = _build(user, period, partners)
    totals, by_month = _sum(rows)
    marking = _marking(sources, top, [row.partner for row in rows])
    return Ledger(period, _sorted(rows, sort_parse(sort)), totals, by_month, marking)


def ledger_partner(*, user: User, partner: Partner, period: Period) -> Ledger:
    """The ledger of one partner the reader may see (fetch it with `partner_get` first): the figures of the
    period month by month, and what was received and given theme by theme (an item counts under each of its
    compartments, or under no theme)."""
    partners = visible_to(Partner.objects.select_related("classification").filter(pk=partner.pk), user)
    rows, sources, top = _build(user, period, partners)
    totals, by_month = _sum(rows)
    marking = _marking(sources, top, [row.partner for row in rows])
    return Ledger(period, rows, totals, by_month, marking, themes=_themes(sources))


def _themes(sources: _Sources) -> list[ThemeRow]:
    """Received and given per compartment (theme): items received, items provided, items of releases out."""
    themes: dict[str, ThemeRow] = {}
    names = {c.code: c.name for c in Compartment.objects.all()}

    def theme(code: str | None) -> ThemeRow:
        key = code or ""
        if key not in themes:
            themes[key] = ThemeRow(key, names.get(key, "") if key else _("no theme"))
        return themes[key]

    for row in sources.received.values("compartments__code").annotate(n=Count("pk", distinct=True)).order_by():
        theme(row["compartments__code"]).received += row["n"]
    for row in sources.provided.values("compartments__code").annotate(n=Count("pk", distinct=True)).order_by():
        theme(row["compartments__code"]).given += row["n"]
    released = ReleaseItem.objects.filter(
        release__in=sources.releases.filter(status=ReleaseStatus.RELEASED).values("pk"),
        item__in=sources.items.values("pk"),
    )
    for row in released.values("item__compartments__code").annotate(n=Count("pk", distinct=True)).order_by():
        theme(row["item__compartments__code"]).given += row["n"]
    return sorted(themes.values(), key=lambda row: (not row.code, -(row.received + row.given), row.name))
