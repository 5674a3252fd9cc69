"""The indicators' actions of `liaison security`: `indicators` prints the latest value of each indicator with its
threshold and whether it is met; `compute-indicators` computes them now (once per period, like the worker)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from liaison.security.indicators.selectors import indicator_list, latest_samples
from liaison.security.indicators.services import indicators_compute

Write = Callable[[str], object]


def print_indicators(write: Write) -> None:
    indicators = list(indicator_list())
    latest = latest_samples(indicators)
    for indicator in indicators:
        sample = latest.get(indicator.pk)
        sign = ">=" if indicator.comparison == "at_least" else "<="
        if sample is None:
            state, value, when = "not computed", "-", "-"
        else:
            state = "met" if sample.is_met else "NOT MET"
            value, when = f"{sample.value:g}", sample.computed_at.isoformat(timespec="minutes")
        write(f"{indicator.code:26} {value:>8}  (threshold {sign} {indicator.threshold:g})  {state:12} {when}")


def compute_indicators(write: Write) -> None:
    samples = indicators_compute(now=timezone.now())
    not_met = [sample.indicator.code for sample in samples if not sample.is_met]
    at = samples[0].computed_at.isoformat(timespec="seconds") if samples else "-"
    write(f"indicators: {len(samples)} sample(s) for the period of {at}; not met: {', '.join(not_met) or 'none'}")


ACTIONS: dict[str, Callable[[Write], None]] = {
    "indicators": print_indicators,
    "compute-indicators": compute_indicators,
}
