"""Reads of the strengthening plan, through the office's policy (`policy.security_office`): the plan's readers see
every measure, anyone else only the measures they own. Each list fetches with its rows what its page prints, so a
page runs the same number of queries whatever the size of the plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from liaison.accounts.models import User
from liaison.policy.security_office import can_read_plan
from liaison.security.indicators.selectors import latest_samples
from liaison.security.models import (
    LEVEL_ORDER,
    CsfFunction,
    Framework,
    FrameworkControl,
    Indicator,
    IndicatorSample,
    LineOfDefence,
    Measure,
    MeasureEvidence,
    MeasureStatus,
    MeasureUpdate,
    Objective,
)

CLOSED = (MeasureStatus.DONE, MeasureStatus.ABANDONED)


def measures_for(user: User) -> QuerySet[Measure]:
    """The measures `user` may read: all of them for the plan's readers, their own for anyone else."""
    measures = Measure.objects.all()
    if can_read_plan(user):
        return measures
    return measures.filter(owner=user, owner__is_active=True)


def overdue_q(today: date | None = None) -> Q:
    return Q(due_on__lt=today or timezone.localdate()) & ~Q(status__in=CLOSED)


@dataclass(frozen=True)
class PlanFilters:
    line: int | None = None
    status: str = ""
    owner: str = ""

    @classmethod
    def from_query(cls, query: Any) -> PlanFilters:
        """Filters from a query string; a value that is not one of the choices is ignored (the page shows all)."""
        line_text = query.get("line", "")
        line = int(line_text) if line_text.isdigit() and int(line_text) in LineOfDefence.values else None
        status = query.get("status", "")
        owner = query.get("owner", "")
        return cls(
            line=line,
            status=status if status in MeasureStatus.values else "",
            owner=owner if _is_uuid(owner) else "",
        )

    def q(self) -> Q:
        q = Q()
        if self.line is not None:
            q &= Q(line=self.line)
        if self.status:
            q &= Q(status=self.status)
        if self.owner:
            q &= Q(owner_id=self.owner)
        return q


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _annotated(measures: QuerySet[Measure], today: date) -> QuerySet[Measure]:
    return measures.select_related("owner").annotate(
        is_overdue=Exists(Measure.objects.filter(overdue_q(today), pk=OuterRef("pk")))
    )


def plan_overview(*, filters: PlanFilters) -> list[Objective]:
    """The objectives in order, each with its measures matching `filters` (`shown_measures`), flagged overdue."""
    today = timezone.localdate()
    measures = _annotated(Measure.objects.filter(filters.q()), today).order_by("reference")
    return list(
        Objective.objects.annotate(measure_count=Count("measures"))
        .order_by("position", "reference")  # Meta.ordering does not apply to a grouped query
        .prefetch_related(Prefetch("measures", queryset=measures, to_attr="shown_measures"))
    )


@dataclass(frozen=True)
class LineProgress:
    line: int
    label: str
    measures: int
    done: int
    overdue: int
    progress: int


def progress_by_line() -> list[LineProgress]:
    """Per line of defence: the measures still in the plan (not abandoned), how many are done and overdue, and
    their mean progress."""
    rows = {
        row["line"]: row
        for row in Measure.objects.exclude(status=MeasureStatus.ABANDONED)
        .values("line")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=MeasureStatus.DONE)),
            overdue=Count("pk", filter=overdue_q()),
            mean=Avg("progress"),
        )
        .order_by()
    }
    result = []
    for line, label in LineOfDefence.choices:
        row = rows.get(line, {})
        result.append(
            LineProgress(
                line=line,
                label=str(label),
                measures=row.get("total", 0),
                done=row.get("done", 0),
                overdue=row.get("overdue", 0),
                progress=round(row.get("mean") or 0),
            )
        )
    return result


def plan_owners() -> QuerySet[User]:
    """The people who own at least one measure (for the owner filter)."""
    return User.objects.filter(Exists(Measure.objects.filter(owner=OuterRef("pk")))).order_by("alias")


def user_owns_measures(*, user: User) -> bool:
    """Whether `user` owns a measure of the plan that is neither done nor abandoned (one query)."""
    return Measure.objects.filter(owner=user).exclude(status__in=[MeasureStatus.DONE, MeasureStatus.ABANDONED]).exists()


def my_measures(*, user: User) -> list[Measure]:
    """The measures `user` owns, open ones first by due date."""
    measures = _annotated(Measure.objects.filter(owner=user), timezone.localdate()).select_related("objective")
    return sorted(measures, key=lambda m: (m.status in CLOSED, m.due_on, m.reference))


def measure_get(*, user: User, pk: Any) -> Measure:
    """One measure `user` may read (404 otherwise), with its objective and owner."""
    measure = (
        _annotated(measures_for(user), timezone.localdate()).select_related("objective", "created_by").filter(pk=pk)
    ).first()
    if measure is None:
        raise Http404
    return measure


def objective_get(*, pk: Any) -> Objective:
    objective = Objective.objects.filter(pk=pk).first()
    if objective is None:
        raise Http404
    return objective


@dataclass(frozen=True)
class IndicatorState:
    indicator: Indicator
    sample: IndicatorSample | None


@dataclass
class MeasurePage:
    updates: list[MeasureUpdate]
    evidence: list[MeasureEvidence]
    controls: list[FrameworkControl]
    indicators: list[IndicatorState]


def measure_page(*, measure: Measure) -> MeasurePage:
    """What a measure's page shows: its history, evidence, controls, and indicators with their last computation."""
    indicators = list(measure.indicators.all())
    samples = latest_samples(indicators)
    return MeasurePage(
        updates=list(measure.updates.select_related("author").order_by("-created_at")),
        evidence=list(measure.evidence.select_related("uploaded_by").defer("ciphertext", "wrapped_key", "nonce")),
        controls=list(measure.controls.select_related("framework").order_by("framework__code", "position")),
        indicators=[IndicatorState(i, samples.get(i.pk)) for i in indicators],
    )


def evidence_get(*, user: User, pk: Any) -> MeasureEvidence:
    """One piece of evidence of a measure `user` may read (404 otherwise)."""
    evidence = MeasureEvidence.objects.filter(pk=pk, measure__in=measures_for(user).values("pk")).first()
    if evidence is None:
        raise Http404
    return evidence


@dataclass(frozen=True)
class LevelFrameworks:
    framework: Framework
    by_level: dict[str, int]
    total: int


def framework_list() -> list[LevelFrameworks]:
    """The imported frameworks, each with its count of controls by assurance level."""
    frameworks = Framework.objects.select_related("imported_by").annotate(
        **{f"n_{level}": Count("controls", filter=Q(controls__level=level)) for level in LEVEL_ORDER},
        n_total=Count("controls"),
    )
    return [
        LevelFrameworks(f, {str(level): getattr(f, f"n_{level}") for level in LEVEL_ORDER}, f.n_total)  # type: ignore[attr-defined]
        for f in frameworks
    ]


@dataclass
class CoverageRow:
    key: str
    label: str
    controls: int = 0
    mapped: int = 0
    done: int = 0

    @property
    def mapped_percent(self) -> int:
        return round(100 * self.mapped / self.controls) if self.controls else 0

    @property
    def done_percent(self) -> int:
        return round(100 * self.done / self.controls) if self.controls else 0


@dataclass
class FrameworkCoverage:
    framework: Framework
    levels: list[CoverageRow] = field(default_factory=list)
    functions: list[CoverageRow] = field(default_factory=list)
    uncovered: list[FrameworkControl] = field(default_factory=list)


def coverage() -> list[FrameworkCoverage]:
    """Per framework: per assurance level (cumulative: IMPORTANT counts BASIC's controls too) and per CSF function,
    how many controls are mapped to at least one measure still in the plan (not abandoned) and to a done measure;
    and the controls no measure covers. Two queries whatever the size of the catalogues."""
    live = Measure.objects.filter(controls=OuterRef("pk")).exclude(status=MeasureStatus.ABANDONED)
    controls = (
        FrameworkControl.objects.annotate(
            is_mapped=Exists(live), is_done=Exists(live.filter(status=MeasureStatus.DONE))
        )
        .select_related("framework")
        .order_by("framework__code", "framework__version", "position")
    )
    result: dict[Any, FrameworkCoverage] = {}
    for framework in Framework.objects.all():
        result[framework.pk] = _empty_coverage(framework)
    rank = {str(level): n for n, level in enumerate(LEVEL_ORDER)}
    for control in controls:
        entry = result[control.framework_id]
        for row in entry.levels:
            if rank[row.key] >= rank[control.level]:
                _count(row, control)
        for row in entry.functions:
            if row.key == control.function:
                _count(row, control)
        if not control.is_mapped:
            entry.uncovered.append(control)
    return list(result.values())


def _empty_coverage(framework: Framework) -> FrameworkCoverage:
    return FrameworkCoverage(
        framework=framework,
        levels=[CoverageRow(str(level), str(level.label)) for level in LEVEL_ORDER],
        functions=[CoverageRow(value, f"{value} — {label}") for value, label in CsfFunction.choices],
    )


def _count(row: CoverageRow, control: Any) -> None:
    row.controls += 1
    row.mapped += int(control.is_mapped)
    row.done += int(control.is_done)
