"""The indicators' computation, history, threshold and trend: one sample per indicator and period, judged against
the threshold on both comparisons, audited once; thresholds only a security officer sets, in range."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.core.exceptions import DomainError
from liaison.security.indicators.selectors import indicator_series, indicator_trends, trend_of
from liaison.security.indicators.services import (
    indicator_history_record,
    indicator_threshold_set,
    indicators_compute,
    period_bounds,
)
from liaison.security.models import Comparison, Indicator, IndicatorCode, IndicatorSample
from liaison.testing.cast import Cast

NOW = datetime(2026, 11, 30, 10, 15, tzinfo=UTC)


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def test_a_computation_keeps_one_sample_per_active_indicator_and_is_audited_once(cast: Cast) -> None:
    Indicator.objects.filter(code=IndicatorCode.REVIEWS_OVERDUE).update(is_active=False)
    samples = indicators_compute(now=NOW)
    active = Indicator.objects.filter(is_active=True).count()
    assert len(samples) == active == IndicatorSample.objects.filter(computed_at=NOW).count() == len(IndicatorCode) - 1
    assert not IndicatorSample.objects.filter(indicator__code=IndicatorCode.REVIEWS_OVERDUE).exists()
    entry = AuditEntry.objects.get(event=AuditEvent.INDICATORS_COMPUTED)
    assert entry.details["met"] + entry.details["not_met"] == active
    assert set(entry.details["values"]) == {s.indicator.code for s in samples}


def test_computing_twice_in_a_period_writes_nothing_the_second_time(cast: Cast) -> None:
    first = indicators_compute(now=NOW)
    start, end = period_bounds(NOW)
    again = indicators_compute(now=NOW + timedelta(minutes=30))
    assert end - start == timedelta(hours=1) and start <= NOW + timedelta(minutes=30) < end
    assert {s.pk for s in again} == {s.pk for s in first}
    assert IndicatorSample.objects.count() == len(first)
    assert AuditEntry.objects.filter(event=AuditEvent.INDICATORS_COMPUTED).count() == 1
    indicators_compute(now=end)
    assert IndicatorSample.objects.count() == 2 * len(first)


def test_the_job_computes_once_per_period(cast: Cast) -> None:
    from liaison.tasks.jobs import indicators_compute_job

    result = indicators_compute_job.call()
    assert result["samples"] == Indicator.objects.filter(is_active=True).count()
    assert indicators_compute_job.call()["samples"] == result["samples"]
    assert IndicatorSample.objects.count() == result["samples"]


@pytest.mark.parametrize(
    ("comparison", "threshold", "value", "is_met"),
    [
        (Comparison.AT_LEAST, 95.0, 95.0, True),
        (Comparison.AT_LEAST, 95.0, 94.9, False),
        (Comparison.AT_MOST, 3.0, 3.0, True),
        (Comparison.AT_MOST, 3.0, 4.0, False),
    ],
)
def test_a_sample_is_met_on_the_right_side_of_its_threshold(
    cast: Cast, comparison: str, threshold: float, value: float, is_met: bool
) -> None:
    Indicator.objects.filter(code=IndicatorCode.FAILED_LOGINS).update(comparison=comparison, threshold=threshold)
    indicator_history_record(samples=[(indicator(IndicatorCode.FAILED_LOGINS), NOW, value)], by=cast.grace)
    assert IndicatorSample.objects.get().is_met is is_met


def test_a_computation_judges_each_figure_against_its_threshold(cast: Cast) -> None:
    # The cast's chain is intact (at least 1 is met) and no report is overdue now (at most 0 is met); a threshold
    # of at least 101 % can never be met.
    Indicator.objects.filter(code=IndicatorCode.SECOND_FACTOR_SHARE).update(threshold=101)
    samples = {s.indicator.code: s for s in indicators_compute(now=NOW)}
    assert samples[IndicatorCode.AUDIT_CHAIN_INTACT].is_met is True
    assert samples[IndicatorCode.REPORTS_UNACKNOWLEDGED].value == 0
    assert samples[IndicatorCode.REPORTS_UNACKNOWLEDGED].is_met is True
    assert samples[IndicatorCode.SECOND_FACTOR_SHARE].is_met is False


def test_a_security_officer_sets_a_threshold_audited_with_the_old_and_new_value(cast: Cast) -> None:
    failed = indicator(IndicatorCode.FAILED_LOGINS)
    indicator_threshold_set(indicator=failed, threshold=20, by=cast.grace)
    assert indicator(IndicatorCode.FAILED_LOGINS).threshold == 20
    entry = AuditEntry.objects.get(event=AuditEvent.INDICATOR_THRESHOLD_SET)
    assert entry.actor_id == str(cast.grace.pk)
    assert entry.details == {"indicator": "failed_logins", "comparison": "at_most", "old": 50.0, "new": 20}


def test_nobody_else_sets_a_threshold(cast: Cast) -> None:
    with pytest.raises(DomainError, match="security officer"):
        indicator_threshold_set(indicator=indicator(IndicatorCode.FAILED_LOGINS), threshold=20, by=cast.erin)
    assert indicator(IndicatorCode.FAILED_LOGINS).threshold == 50
    assert not AuditEntry.objects.filter(event=AuditEvent.INDICATOR_THRESHOLD_SET).exists()


@pytest.mark.parametrize(
    ("code", "threshold", "message"),
    [
        (IndicatorCode.SECOND_FACTOR_SHARE, 120, "between 0 and 100"),
        (IndicatorCode.AUDIT_CHAIN_INTACT, 0.5, "enter 1 or 0"),
        (IndicatorCode.FAILED_LOGINS, -1, "between 0 and"),
        (IndicatorCode.FAILED_LOGINS, float("nan"), "Enter a number"),
    ],
)
def test_a_threshold_out_of_the_indicators_range_is_refused(
    cast: Cast, code: str, threshold: float, message: str
) -> None:
    before = indicator(code).threshold
    with pytest.raises(DomainError, match=message):
        indicator_threshold_set(indicator=indicator(code), threshold=threshold, by=cast.grace)
    assert indicator(code).threshold == before


def test_history_is_kept_and_audited_once(cast: Cast) -> None:
    share = indicator(IndicatorCode.SECOND_FACTOR_SHARE)
    weeks = [(share, NOW - timedelta(weeks=n), 70.0 + n) for n in range(10)]
    assert indicator_history_record(samples=weeks, by=cast.grace, source="previous tool") == 10
    assert indicator_series(share, NOW - timedelta(weeks=4)).count() == 5
    entry = AuditEntry.objects.get(event=AuditEvent.INDICATOR_HISTORY_RECORDED)
    assert entry.details["samples"] == 10 and entry.details["source"] == "previous tool"


def test_the_trend_is_better_or_worse_according_to_the_comparison() -> None:
    assert trend_of(Comparison.AT_LEAST, 90, 80).direction == "rising"
    assert trend_of(Comparison.AT_LEAST, 90, 80).better is True
    assert trend_of(Comparison.AT_MOST, 9, 2).better is False
    assert trend_of(Comparison.AT_MOST, 2, 9).better is True
    assert trend_of(Comparison.AT_LEAST, 80.2, 80).direction == "steady"
    assert trend_of(Comparison.AT_LEAST, 80.2, 80).better is None
    assert trend_of(Comparison.AT_LEAST, 80, None).direction == ""


def test_the_trend_compares_the_last_30_days_with_the_30_before(cast: Cast) -> None:
    share, failed = indicator(IndicatorCode.SECOND_FACTOR_SHARE), indicator(IndicatorCode.FAILED_LOGINS)
    history = [(share, NOW - timedelta(days=d), 80.0) for d in (35, 45, 55)]
    history += [(share, NOW - timedelta(days=d), 90.0) for d in (5, 15)]
    history += [(failed, NOW - timedelta(days=d), 10.0) for d in (40, 50)]
    history += [(failed, NOW - timedelta(days=d), 30.0) for d in (2,)]
    history += [(share, NOW - timedelta(days=70), 0.0)]  # older than both spans: ignored
    indicator_history_record(samples=history, by=cast.grace)
    trends = indicator_trends([share, failed, indicator(IndicatorCode.LOCKED_ACCOUNTS)], now=NOW)
    assert (trends[share.pk].direction, trends[share.pk].better) == ("rising", True)
    assert trends[share.pk].earlier == 80.0
    assert (trends[failed.pk].direction, trends[failed.pk].better) == ("rising", False)
    assert trends[indicator(IndicatorCode.LOCKED_ACCOUNTS).pk].direction == ""


def test_the_command_computes_then_prints_the_indicators(cast: Cast, capsys) -> None:
    call_command("security", "indicators")
    assert "not computed" in capsys.readouterr().out
    call_command("security", "compute-indicators")
    assert f"indicators: {Indicator.objects.filter(is_active=True).count()} sample(s)" in capsys.readouterr().out
    call_command("security", "indicators")
    out = capsys.readouterr().out
    assert "audit_chain_intact" in out and "(threshold >= 1)" in out and "not computed" not in out
