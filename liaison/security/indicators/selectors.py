"""Reads of the indicators' time series: the latest sample of each, a series since a date, weekly averages for
sparklines and charts, and the trend (the last 30 days against the 30 before), each in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone

from liaison.security.models import Comparison, Indicator, IndicatorCode, IndicatorSample

TREND_DAYS = 30
# A change of the mean smaller than this share of the earlier mean (or than STEADY_FLOOR in absolute value, for
# figures near zero) is steady.
STEADY_SHARE = 0.05
STEADY_FLOOR = 0.5
SPARK_WEEKS = 12


def latest_samples(indicators: Iterable[Indicator]) -> dict[object, IndicatorSample]:
    """The last computation of each indicator that has one, keyed by indicator id, in one query."""
    ids = [indicator.pk for indicator in indicators]
    last = IndicatorSample.objects.filter(indicator=OuterRef("indicator")).order_by("-computed_at").values("pk")[:1]
    samples = IndicatorSample.objects.filter(indicator_id__in=ids, pk=Subquery(last))
    return {sample.indicator_id: sample for sample in samples}


def indicator_list() -> list[Indicator]:
    """Every indicator, in the order IndicatorCode declares them (accounts, audit, reports, exports, reviews)."""
    order = {code: index for index, code in enumerate(IndicatorCode.values)}
    return sorted(Indicator.objects.all(), key=lambda indicator: order.get(indicator.code, len(order)))


def indicator_get(code: str) -> Indicator | None:
    return Indicator.objects.filter(code=code).first()


def indicator_series(indicator: Indicator, since: datetime) -> QuerySet[IndicatorSample]:
    """The indicator's samples computed at or after `since`, newest first."""
    return IndicatorSample.objects.filter(indicator=indicator, computed_at__gte=since).order_by("-computed_at")


@dataclass(frozen=True)
class Trend:
    """How the indicator moved: `direction` "rising", "falling" or "steady" ("" without samples in both spans),
    and whether that is `better`, worse or neither given the comparison (at least: rising is better)."""

    direction: str
    recent: float | None
    earlier: float | None
    good_direction: str = "rising"

    @property
    def better(self) -> bool | None:
        return None if self.direction in ("", "steady") else self.direction == self.good_direction

    @property
    def worse(self) -> bool:
        return self.better is False


def trend_of(comparison: str, recent: float | None, earlier: float | None) -> Trend:
    """The trend from the mean of the recent span and that of the span before it."""
    good = "rising" if comparison == Comparison.AT_LEAST else "falling"
    if recent is None or earlier is None:
        return Trend("", recent, earlier, good)
    if abs(recent - earlier) <= max(STEADY_FLOOR, abs(earlier) * STEADY_SHARE):
        return Trend("steady", recent, earlier, good)
    return Trend("rising" if recent > earlier else "falling", recent, earlier, good)


def indicator_trends(indicators: Iterable[Indicator], *, now: datetime) -> dict[object, Trend]:
    """Each indicator's trend: its mean over the last TREND_DAYS days against the TREND_DAYS before, in one query."""
    indicators = list(indicators)
    middle, start = now - timedelta(days=TREND_DAYS), now - timedelta(days=2 * TREND_DAYS)
    recent, earlier = Q(computed_at__gt=middle), Q(computed_at__lte=middle)
    rows = (
        IndicatorSample.objects.filter(indicator__in=indicators, computed_at__gt=start, computed_at__lte=now)
        .values("indicator_id")
        .annotate(
            recent=Avg("value", filter=recent),
            earlier=Avg("value", filter=earlier),
            n=Count("pk"),
        )
        .order_by()
    )
    means = {row["indicator_id"]: (row["recent"], row["earlier"]) for row in rows}
    return {
        indicator.pk: trend_of(indicator.comparison, *means.get(indicator.pk, (None, None))) for indicator in indicators
    }


def weekly_means(indicators: Iterable[Indicator], *, since: datetime) -> dict[object, list[tuple[date, float]]]:
    """Each indicator's weekly mean since `since` (weeks start on Monday), oldest first, in one query."""
    zone = timezone.get_default_timezone()
    rows = (
        IndicatorSample.objects.filter(indicator__in=list(indicators), computed_at__gte=since)
        .annotate(week=TruncWeek("computed_at", tzinfo=zone))
        .values("indicator_id", "week")
        .annotate(mean=Avg("value"))
        .order_by("indicator_id", "week")
    )
    series: dict[object, list[tuple[date, float]]] = {}
    for row in rows:
        week = row["week"]
        series.setdefault(row["indicator_id"], []).append(
            (week.date() if isinstance(week, datetime) else week, row["mean"])
        )
    return series
