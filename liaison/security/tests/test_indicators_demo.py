"""The demo's indicators: a year of weekly history ending at the real figure, then one real computation."""

from __future__ import annotations

import random

from django.utils import timezone

from liaison.accounts.models import User
from liaison.security.indicators.demo import WEEKS, load_indicators_demo
from liaison.security.models import Indicator, IndicatorCode, IndicatorSample
from liaison.testing.cast import Cast


def _values() -> list[tuple[str, float]]:
    return list(
        IndicatorSample.objects.order_by("computed_at", "indicator__code").values_list("indicator__code", "value")
    )


def test_the_demo_keeps_a_year_of_weekly_history_then_computes_the_real_figures(cast: Cast) -> None:
    active = Indicator.objects.filter(is_active=True).count()
    counts = load_indicators_demo(rng=random.Random(1), users=list(User.objects.all()))
    assert counts["indicator_samples"] == (WEEKS + 1) * active
    assert counts["second_factors_enrolled"] > 0
    share = IndicatorSample.objects.filter(indicator__code=IndicatorCode.SECOND_FACTOR_SHARE).order_by("computed_at")
    first, last_week, now = share[0], share[WEEKS - 1], share[WEEKS]
    assert (now.computed_at - first.computed_at).days >= 360 and now.computed_at <= timezone.now()
    assert first.value < last_week.value and abs(last_week.value - now.value) <= 1.0
    assert now.value == round(
        100 * User.objects.filter(totp_confirmed_at__isnull=False).count() / User.objects.count(), 1
    )


def test_the_demo_history_is_the_same_for_the_same_seed(cast: Cast) -> None:
    load_indicators_demo(rng=random.Random(3), users=[])
    first = _values()[: WEEKS * 3]
    IndicatorSample.objects.all().delete()
    load_indicators_demo(rng=random.Random(3), users=[])
    assert _values()[: WEEKS * 3] == first
