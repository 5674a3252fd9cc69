"""Response times against a hand computation: medians, 90th percentiles and the share answered within target."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from liaison.concerns.models import Concern
from liaison.concerns.selectors import concern_response_stats, percentile
from liaison.concerns.services import concern_answer, concern_submit, concern_triage
from liaison.testing.cast import Cast
from liaison.testing.clock import Clock

START = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def _concern(
    cast: Cast, clock: Clock, category: str, severity: str, triage_h: float | None, answer_h: float | None
) -> Concern:
    clock.now = START
    concern = concern_submit(
        by=cast.ivy, category=category, subject="s", description="d", post_or_service="Nairobi post"
    )
    if triage_h is not None:
        clock.now = START + timedelta(hours=triage_h)
        concern = concern_triage(concern=concern, by=cast.grace, severity=severity, owner=cast.grace)
    if answer_h is not None:
        clock.now = START + timedelta(hours=answer_h)
        concern = concern_answer(concern=concern, by=cast.grace, outcome="advice", answer="a")
    return concern


def test_percentile_interpolates_between_closest_ranks() -> None:
    assert percentile([], 50) is None
    assert percentile([4.0], 90) == 4.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([10.0, 20.0, 30.0, 40.0, 50.0], 90) == 46.0


def test_response_stats_match_a_hand_computation(cast: Cast, clock: Clock) -> None:
    # device: triaged after 2, 4 and 10 hours; answered after 20 h (high: target 72 h), 100 h (high: late), not yet.
    _concern(cast, clock, "device", "high", 2, 20)
    _concern(cast, clock, "device", "high", 4, 100)
    _concern(cast, clock, "device", "low", 10, None)
    # travel: one waiting for triage, one critical answered after 30 h (target 24 h: late).
    _concern(cast, clock, "travel", "", None, None)
    _concern(cast, clock, "travel", "critical", 1, 30)
    stats = concern_response_stats(since=START - timedelta(days=1), until=START + timedelta(days=1))
    by = {row.category: row for row in stats.by_category}

    device = by["device"]
    assert (device.received, device.answered, device.open) == (3, 2, 1)
    assert device.first_response_median_hours == 4.0
    assert device.first_response_p90_hours == 8.8  # 4 + (10 - 4) * 0.8
    assert device.answer_median_hours == 60.0  # (20 + 100) / 2
    assert device.answer_p90_hours == 92.0  # 20 + 80 * 0.9
    assert device.within_target_share == 0.5

    travel = by["travel"]
    assert (travel.received, travel.answered, travel.open, travel.within_target_share) == (2, 1, 1, 0.0)
    assert travel.first_response_median_hours == 1.0

    total = stats.total
    assert (total.received, total.answered, total.open) == (5, 3, 2)
    assert total.first_response_median_hours == 3.0  # 1, 2, 4, 10
    assert total.answer_median_hours == 30.0  # 20, 30, 100
    assert total.within_target_percent == 33
    assert by["rule"].received == 0 and by["rule"].answer_median_hours is None


def test_concerns_outside_the_period_are_not_counted(cast: Cast, clock: Clock) -> None:
    _concern(cast, clock, "device", "high", 2, 20)
    stats = concern_response_stats(since=START + timedelta(seconds=1), until=START + timedelta(days=30))
    assert stats.total.received == 0
    stats = concern_response_stats(since=START - timedelta(days=30), until=START)
    assert stats.total.received == 0
