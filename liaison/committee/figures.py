"""The committee report's figures, read from the other apps' models: the strengthening plan by line of defence and by
framework level, the indicators over the period, colleagues' concerns and the liaison office's activity (counted by
`liaison.policy.statistics`). Pure reads returning dataclasses, one function per section, each with a fixed number of
queries whatever the number of rows; `committee_figures` gathers them and `figures_document` turns them into the
JSON frozen at approval."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from liaison.committee.periods import Period
from liaison.concerns.models import Concern, ConcernCategory
from liaison.policy.statistics import OfficeActivity, median, office_activity, percentile
from liaison.security.models import (
    LEVEL_ORDER,
    Framework,
    FrameworkControl,
    Indicator,
    IndicatorSample,
    LineOfDefence,
    Measure,
    MeasureStatus,
    MeasureUpdate,
)

CLOSED = (MeasureStatus.DONE, MeasureStatus.ABANDONED)


@dataclasses.dataclass(frozen=True)
class LineFigures:
    """The measures of one line of defence as they stood at the end of the period."""

    line: int
    measures: int
    by_status: dict[str, int]
    mean_progress: float | None  # over the measures not abandoned
    overdue: int  # past their due date and neither done nor abandoned


@dataclasses.dataclass(frozen=True)
class LevelFigures:
    """One framework at one assurance level, cumulative (IMPORTANT counts the BASIC controls too)."""

    framework: str
    framework_name_fr: str
    framework_name_en: str
    level: str
    controls: int
    covered: int  # by at least one measure
    done: int  # by at least one measure done at the end of the period


@dataclasses.dataclass(frozen=True)
class PlanFigures:
    lines: list[LineFigures]
    levels: list[LevelFigures]


@dataclasses.dataclass(frozen=True)
class IndicatorFigures:
    code: str
    comparison: str
    threshold: float
    value: float | None  # the last computation in the period
    computed_at: str | None
    is_met: bool | None
    previous: float | None  # the last computation in the period before
    series: list[float]  # the last computation of each day of the period that has one


@dataclasses.dataclass(frozen=True)
class CategoryFigures:
    category: str
    received: int
    answered: int
    median_hours: float | None  # raised → answered, over this category's answers given in the period


@dataclasses.dataclass(frozen=True)
class ConcernFigures:
    received: int
    answered: int  # answers given in the period, whenever the concern was raised
    median_hours: float | None  # raised → answered, over the answers given in the period
    p90_hours: float | None
    by_category: list[CategoryFigures]


@dataclasses.dataclass(frozen=True)
class ActivityFigures:
    current: OfficeActivity
    previous: OfficeActivity


@dataclasses.dataclass(frozen=True)
class CommitteeFigures:
    kind: str
    start: str
    end: str
    computed_at: str
    plan: PlanFigures
    indicators: list[IndicatorFigures]
    concerns: ConcernFigures
    activity: ActivityFigures


def _measure_states(after: datetime) -> dict[Any, tuple[str, int, int, date]]:
    """Each measure created before `after` as (status, progress, line, due date) at `after`: its last update before
    then; a measure never updated has its current state, one whose updates all came later was still planned. Two
    queries: the measures, their updates."""
    measures = Measure.objects.filter(created_at__lt=after).values_list("pk", "status", "progress", "line", "due_on")
    states = {pk: (status, progress, line, due_on) for pk, status, progress, line, due_on in measures}
    steps = (
        MeasureUpdate.objects.filter(measure__created_at__lt=after)
        .order_by("created_at", "pk")
        .values_list("measure_id", "created_at", "status", "progress")
    )
    seen: set[Any] = set()
    for pk, created_at, status, progress in steps:
        _status, _progress, line, due_on = states[pk]
        if pk not in seen:
            seen.add(pk)
            states[pk] = (MeasureStatus.PLANNED.value, 0, line, due_on)
        if created_at < after:
            states[pk] = (status, progress, line, due_on)
    return states


def plan_figures(period: Period, *, today: date | None = None) -> PlanFigures:
    """Measures by line of defence and framework coverage by level, as they stood at the end of the period. Five
    queries."""
    _first, after = period.bounds()
    today = today or timezone.localdate()
    cutoff = min(period.end + timedelta(days=1), today)
    states = _measure_states(after)
    per_line: dict[int, list[tuple[str, int, int, date]]] = defaultdict(list)
    for state in states.values():
        per_line[state[2]].append(state)
    lines = []
    for line in LineOfDefence.values:
        measures = per_line.get(line, [])
        active = [progress for status, progress, _l, _d in measures if status != MeasureStatus.ABANDONED]
        lines.append(
            LineFigures(
                line=line,
                measures=len(measures),
                by_status={s: n for s in MeasureStatus.values if (n := sum(1 for m in measures if m[0] == s))},
                mean_progress=round(sum(active) / len(active), 1) if active else None,
                overdue=sum(1 for status, _p, _l, due in measures if status not in CLOSED and due < cutoff),
            )
        )
    return PlanFigures(lines=lines, levels=_levels(states, after))


def _levels(states: dict[Any, tuple[str, int, int, date]], after: datetime) -> list[LevelFigures]:
    """Three queries: frameworks, controls, the measures (created before `after`) mapped to each control."""
    links = Measure.controls.through.objects.filter(measure__created_at__lt=after).values_list(
        "frameworkcontrol_id", "measure_id"
    )
    covered: set[Any] = set()
    done: set[Any] = set()
    for control_id, measure_id in links:
        covered.add(control_id)
        if states[measure_id][0] == MeasureStatus.DONE:
            done.add(control_id)
    controls: dict[Any, list[tuple[Any, str]]] = defaultdict(list)
    for pk, framework_id, level in FrameworkControl.objects.values_list("pk", "framework_id", "level"):
        controls[framework_id].append((pk, level))
    figures = []
    for framework in Framework.objects.order_by("code", "version"):
        for rank, level in enumerate(LEVEL_ORDER):
            included = [pk for pk, lvl in controls[framework.pk] if lvl in LEVEL_ORDER[: rank + 1]]
            figures.append(
                LevelFigures(
                    framework=framework.code,
                    framework_name_fr=framework.name_fr,
                    framework_name_en=framework.name_en,
                    level=str(level),
                    controls=len(included),
                    covered=sum(1 for pk in included if pk in covered),
                    done=sum(1 for pk in included if pk in done),
                )
            )
    return figures


def indicator_figures(period: Period) -> list[IndicatorFigures]:
    """Each computed indicator: its last value in the period against its threshold, its last value in the period
    before, and the last value of each day of the period. Two queries."""
    first, after = period.bounds()
    previous_first, _previous_after = period.previous().bounds()
    indicators = list(Indicator.objects.filter(is_active=True).order_by("code"))
    samples = (
        IndicatorSample.objects.filter(
            indicator__is_active=True, computed_at__gte=previous_first, computed_at__lt=after
        )
        .order_by("computed_at", "pk")
        .values_list("indicator_id", "computed_at", "value", "is_met")
    )
    zone = ZoneInfo(settings.TIME_ZONE)
    last: dict[Any, tuple[datetime, float, bool]] = {}
    before: dict[Any, float] = {}
    daily: dict[Any, dict[date, float]] = defaultdict(dict)
    for indicator_id, computed_at, value, is_met in samples:
        if computed_at < first:
            before[indicator_id] = value
            continue
        last[indicator_id] = (computed_at, value, is_met)
        daily[indicator_id][computed_at.astimezone(zone).date()] = value
    figures = []
    for indicator in indicators:
        latest = last.get(indicator.pk)
        figures.append(
            IndicatorFigures(
                code=indicator.code,
                comparison=indicator.comparison,
                threshold=indicator.threshold,
                value=latest[1] if latest else None,
                computed_at=latest[0].astimezone(UTC).isoformat() if latest else None,
                is_met=latest[2] if latest else None,
                previous=before.get(indicator.pk),
                series=[value for _day, value in sorted(daily[indicator.pk].items())],
            )
        )
    return figures


def concern_figures(period: Period) -> ConcernFigures:
    """Concerns raised in the period, answers given in it and how long after the concern was raised (median and
    90th percentile, in hours), by category. One query."""
    first, after = period.bounds()
    rows = Concern.objects.filter(created_at__gte=first, created_at__lt=after) | Concern.objects.filter(
        answered_at__gte=first, answered_at__lt=after
    )
    received: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    delays: dict[str, list[float]] = defaultdict(list)
    for category, created_at, answered_at in rows.values_list("category", "created_at", "answered_at"):
        if first <= created_at < after:
            received[category] += 1
        if answered_at is not None and first <= answered_at < after:
            answered[category] += 1
            delays[category].append(max(0.0, (answered_at - created_at).total_seconds() / 3600))
    every = [delay for values in delays.values() for delay in values]
    return ConcernFigures(
        received=sum(received.values()),
        answered=sum(answered.values()),
        median_hours=_round(median(every)),
        p90_hours=_round(percentile(every, 0.9)),
        by_category=[
            CategoryFigures(
                category=c, received=received[c], answered=answered[c], median_hours=_round(median(delays[c]))
            )
            for c in ConcernCategory.values
            if received[c] or answered[c]
        ],
    )


def activity_figures(period: Period) -> ActivityFigures:
    """The liaison office's activity in the period and in the one before (management statistics: counts and delays
    only, see liaison/policy/statistics.py). Eight queries."""
    first, after = period.bounds()
    previous_first, previous_after = period.previous().bounds()
    return ActivityFigures(
        current=office_activity(first=first, after=after),
        previous=office_activity(first=previous_first, after=previous_after),
    )


def committee_figures(period: Period) -> CommitteeFigures:
    return CommitteeFigures(
        kind=period.kind,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        computed_at=timezone.now().astimezone(UTC).replace(microsecond=0).isoformat(),
        plan=plan_figures(period),
        indicators=indicator_figures(period),
        concerns=concern_figures(period),
        activity=activity_figures(period),
    )


def figures_document(figures: CommitteeFigures) -> dict[str, Any]:
    """The figures as plain JSON values (what approval freezes, and what the pages and the PDF render)."""
    return dataclasses.asdict(figures)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
