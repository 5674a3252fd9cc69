"""The committee report's figures against recounts made another way: the plan as it stood at the end of the period,
framework coverage by cumulative level, indicators over the period, concerns and their response times, and the
office's activity counted by the management statistics."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from liaison.committee.figures import (
    activity_figures,
    committee_figures,
    concern_figures,
    figures_document,
    indicator_figures,
    plan_figures,
)
from liaison.committee.periods import period_of
from liaison.committee.tests.conftest import (
    SEPTEMBER,
    at,
    concern,
    control,
    framework,
    measure,
    sample,
    stamp,
    update,
)
from liaison.exchanges.models import Exchange
from liaison.policy.statistics import OfficeActivity
from liaison.reports.models import Report, ReportRecipient
from liaison.testing.cast import Cast

PERIOD = period_of("month", SEPTEMBER)


@pytest.fixture
def plan(cast: Cast) -> dict[str, object]:
    g = cast.grace
    m1 = measure(g, "M1", line=1, status="done", progress=100, due_on=date(2026, 9, 30), created=at(date(2026, 8, 1)))
    update(m1, g, status="in_progress", progress=40, when=at(date(2026, 8, 10)))
    update(m1, g, status="done", progress=100, when=at(date(2026, 9, 20)))
    m2 = measure(
        g, "M2", line=1, status="in_progress", progress=50, due_on=date(2026, 9, 15), created=at(date(2026, 8, 1))
    )
    m3 = measure(g, "M3", line=2, status="in_progress", progress=30, due_on=date(2026, 12, 31), created=at(SEPTEMBER))
    update(m3, g, status="in_progress", progress=30, when=at(date(2026, 10, 3)))
    m4 = measure(g, "M4", line=3, status="planned", progress=0, due_on=date(2026, 9, 1), created=at(date(2026, 10, 10)))
    measure(g, "M5", line=2, status="abandoned", progress=10, due_on=date(2026, 8, 1), created=at(date(2026, 8, 1)))
    fw = framework()
    b1, b2 = control(fw, "B1", "basic", 1), control(fw, "B2", "basic", 2)
    i1, e1 = control(fw, "I1", "important", 3), control(fw, "E1", "essential", 4)
    m1.controls.add(b1)
    m2.controls.add(i1)
    m3.controls.add(b2)
    m4.controls.add(e1)
    return {"fw": fw}


def test_each_line_counts_its_measures_as_they_stood_at_the_end_of_the_period(plan) -> None:
    lines = {line.line: line for line in plan_figures(PERIOD, today=date(2026, 12, 7)).lines}
    # M1 done by its September update, M2 never updated (its current state), M4 created after the period.
    assert lines[1].measures == 2 and lines[1].by_status == {"in_progress": 1, "done": 1}
    assert lines[1].mean_progress == 75.0 and lines[1].overdue == 1
    # M3's only update came in October: still planned at the end of September; M5 abandoned, out of the mean.
    assert lines[2].by_status == {"planned": 1, "abandoned": 1}
    assert lines[2].mean_progress == 0.0 and lines[2].overdue == 0
    assert lines[3].measures == 0 and lines[3].mean_progress is None


def test_a_measure_due_later_this_month_is_not_yet_overdue(cast: Cast) -> None:
    today = date(2026, 9, 10)
    measure(cast.grace, "SOON", line=1, status="planned", progress=0, due_on=date(2026, 9, 20), created=at(SEPTEMBER))
    measure(cast.grace, "LATE", line=1, status="planned", progress=0, due_on=date(2026, 9, 9), created=at(SEPTEMBER))
    assert plan_figures(PERIOD, today=today).lines[0].overdue == 1


def test_framework_levels_are_cumulative_and_count_covered_and_done_controls(plan) -> None:
    levels = {level.level: level for level in plan_figures(PERIOD).levels}
    assert (levels["basic"].controls, levels["basic"].covered, levels["basic"].done) == (2, 2, 1)
    assert (levels["important"].controls, levels["important"].covered, levels["important"].done) == (3, 3, 1)
    # E1 is mapped only to a measure created after the period.
    assert (levels["essential"].controls, levels["essential"].covered, levels["essential"].done) == (4, 3, 1)


def test_an_indicator_shows_its_last_value_in_the_period_the_one_before_and_a_value_a_day(cast: Cast) -> None:
    code = "second_factor_share"
    sample(code, at(date(2026, 8, 30)), 60)
    sample(code, at(date(2026, 9, 10)), 70)
    sample(code, at(date(2026, 9, 28), 8), 80)
    sample(code, at(date(2026, 9, 28), 16), 82)
    sample(code, datetime(2026, 9, 30, 23, 0, tzinfo=UTC), 95)  # already 1 October in Paris
    figures = {f.code: f for f in indicator_figures(PERIOD)}
    share = figures[code]
    assert (share.value, share.previous, share.series) == (82, 60, [70, 82])
    assert share.computed_at == "2026-09-28T16:00:00+00:00"
    assert figures["locked_accounts"].value is None and figures["locked_accounts"].series == []


def test_concerns_received_answered_and_response_times_by_category(cast: Cast) -> None:
    concern(cast.ivy, "C1", "device", raised=at(date(2026, 9, 2)), answered=at(date(2026, 9, 3)))
    concern(cast.ivy, "C2", "device", raised=at(date(2026, 8, 25)), answered=at(date(2026, 9, 5)))
    concern(cast.ivy, "C3", "access", raised=at(date(2026, 9, 10)))
    # 1 September, 00:30 in Paris: in September; answered two hours later.
    concern(
        cast.ivy,
        "C4",
        "travel",
        raised=datetime(2026, 8, 31, 22, 30, tzinfo=UTC),
        answered=datetime(2026, 9, 1, 0, 30, tzinfo=UTC),
    )
    concern(cast.ivy, "C5", "other", raised=datetime(2026, 9, 30, 23, 30, tzinfo=UTC))  # 1 October in Paris
    figures = concern_figures(PERIOD)
    assert (figures.received, figures.answered) == (3, 3)
    delays = sorted([24.0, 11 * 24.0, 2.0])
    assert figures.median_hours == delays[1]
    assert figures.p90_hours == delays[-1]  # nearest rank: the 3rd of 3
    assert {(c.category, c.received, c.answered, c.median_hours) for c in figures.by_category} == {
        ("device", 1, 2, (24.0 + 264.0) / 2),
        ("access", 1, 0, None),
        ("travel", 1, 1, 2.0),
    }


def _recount(first: datetime, after: datetime) -> dict[str, int]:
    """The activity counted object by object in Python, in the office's local time."""
    zone = ZoneInfo(settings.TIME_ZONE)

    def inside(moment: datetime | None) -> bool:
        return moment is not None and first <= moment.astimezone(zone) < after

    reports = list(Report.objects.all())
    return {
        "exchanges": sum(inside(e.occurred_at) for e in Exchange.objects.all()),
        "reports_created": sum(inside(r.created_at) for r in reports),
        "reports_approved": sum(inside(r.approved_at) for r in reports),
        "reports_disseminated": sum(inside(r.disseminated_at) for r in reports),
    }


def test_the_office_activity_matches_a_recount_for_the_period_and_the_one_before(cast: Cast) -> None:
    sent = cast.sent_report
    stamp(
        sent,
        created_at=at(date(2026, 8, 20)),
        submitted_at=at(date(2026, 9, 2), 10),
        approved_at=at(date(2026, 9, 3), 16),
        disseminated_at=at(date(2026, 9, 4), 10),
    )
    ReportRecipient.objects.filter(report=sent).update(acknowledged_at=at(date(2026, 9, 5), 10))
    stamp(cast.submitted_report, created_at=at(date(2026, 9, 8)))
    Exchange.objects.filter(pk=cast.exchange.pk).update(occurred_at=at(date(2026, 9, 1), 9))
    zone = ZoneInfo(settings.TIME_ZONE)
    september = (datetime(2026, 9, 1, tzinfo=zone), datetime(2026, 10, 1, tzinfo=zone))
    august = (datetime(2026, 8, 1, tzinfo=zone), september[0])
    figures = activity_figures(PERIOD)
    for activity, bounds in ((figures.current, september), (figures.previous, august)):
        assert {key: getattr(activity, key) for key in _recount(*bounds)} == _recount(*bounds)
    assert figures.current.reports_approved == 1 and figures.previous.reports_created >= 1
    assert figures.current.median_approval_hours == 30.0
    assert figures.current.median_acknowledgement_hours == 24.0
    assert figures.current.acknowledgements == ReportRecipient.objects.filter(report=sent).count()


def test_management_statistics_name_no_object() -> None:
    """A number per period: every field of the office's activity is a count or a delay, never a name."""
    for field in OfficeActivity.__dataclass_fields__.values():
        assert field.type in ("int", "float | None"), field.name


def test_the_figures_document_is_plain_json(plan, cast: Cast) -> None:
    import json

    document = figures_document(committee_figures(PERIOD))
    assert json.loads(json.dumps(document)) == document
    assert document["kind"] == "month" and document["start"] == "2026-09-01" and document["end"] == "2026-09-30"


def test_each_section_runs_a_fixed_number_of_queries(plan, cast: Cast, django_assert_num_queries) -> None:
    with django_assert_num_queries(5):
        plan_figures(PERIOD)
    with django_assert_num_queries(2):
        indicator_figures(PERIOD)
    with django_assert_num_queries(1):
        concern_figures(PERIOD)
    with django_assert_num_queries(8):
        activity_figures(PERIOD)
    for n in range(5):
        measure(
            cast.grace,
            f"X{n}",
            line=2,
            status="planned",
            progress=0,
            due_on=date(2026, 9, 1),
            created=at(SEPTEMBER) - timedelta(days=n),
        )
    with django_assert_num_queries(5):
        plan_figures(PERIOD)
