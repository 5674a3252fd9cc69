"""The demo office's live indicators a year into the plan: a weekly figure for each of the 52 weeks before the day
the demo is built, kept as history by the security officer (the second-factor share rising from 70 % to today's
real figure, once most demo accounts have enrolled an authenticator app; failed logins and overdue reports easing; an
access review campaign that ran late in the spring), then one real computation over the demo data. Deterministic
for a given seed (dates are relative to the build day)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, time, timedelta

import pyotp
from django.http import HttpRequest
from django.utils import timezone

from liaison.accounts.models import User
from liaison.accounts.services import second_factor_enroll, totp_new_secret
from liaison.passkeys.selectors import has_active_key
from liaison.security.indicators.compute import indicator_figure
from liaison.security.indicators.services import indicator_history_record, indicators_compute
from liaison.security.models import Indicator, IndicatorCode

WEEKS = 52
OFFICER = "security.officer"
# Demo mode exempts demo accounts from the second factor; outside it every account must enrol one. Most demo
# accounts enrolled an authenticator app anyway (the plan's measure), a few have not yet.
ENROLLED_SHARE = 0.85


def _enrol_authenticators(rng: random.Random, users: list[User]) -> int:
    """Enrol TOTP, through the accounts' service and a code of the new secret, for about ENROLLED_SHARE of the active
    accounts without a second factor."""
    enrolled = 0
    for user in sorted(users, key=lambda user: user.username):
        if not user.is_active or user.has_second_factor or has_active_key(user) or rng.random() >= ENROLLED_SHARE:
            continue
        secret = totp_new_secret()
        code = pyotp.TOTP(secret).at(timezone.now())
        second_factor_enroll(request=HttpRequest(), user=user, secret=secret, code=code)
        enrolled += 1
    return enrolled


def _rising(start: float, end: float, noise: float) -> Callable[[float, random.Random], float]:
    """From `start` a year ago to `end` last week, with a little week-to-week noise, within 0-100."""
    return lambda t, rng: round(min(100.0, max(0.0, start + (end - start) * t + rng.uniform(-noise, noise))), 1)


def _counts(high: int, low: int) -> Callable[[float, random.Random], float]:
    """Whole counts drifting from around `high` a year ago to around `low` lately."""
    return lambda t, rng: float(max(0, round(high + (low - high) * t + rng.uniform(-high / 3, high / 3))))


def _review_backlog(t: float, rng: random.Random) -> float:
    # The spring campaign's items ran a few weeks late; otherwise the managers answered in time.
    return float(rng.randint(3, 9)) if 0.35 <= t <= 0.45 else 0.0


def _curves(now: datetime) -> dict[str, Callable[[float, random.Random], float]]:
    """Each indicator's history, ending near its real figure at `now`."""
    second = indicator_figure(IndicatorCode.SECOND_FACTOR_SHARE, now)[0]
    keys = indicator_figure(IndicatorCode.PHISHING_RESISTANT_SHARE, now)[0]
    return {
        # A year ago 70 % (or, should today's share be lower, 60 % of it) had a second factor.
        IndicatorCode.SECOND_FACTOR_SHARE: _rising(min(70.0, 0.6 * second), second, 1.0),
        IndicatorCode.PHISHING_RESISTANT_SHARE: _rising(0.3 * keys, keys, 0.5),
        IndicatorCode.LOCKED_ACCOUNTS: _counts(4, 1),
        IndicatorCode.FAILED_LOGINS: _counts(70, 20),
        IndicatorCode.AUDIT_CHAIN_INTACT: lambda t, rng: 1.0,
        IndicatorCode.AUDIT_VERIFICATION_AGE: lambda t, rng: float(rng.randint(2, 30)),
        IndicatorCode.REPORTS_UNACKNOWLEDGED: _counts(4, 0),
        IndicatorCode.EXPORTS_ABOVE_USUAL: lambda t, rng: float(rng.random() < 0.08),
        IndicatorCode.REVIEWS_OVERDUE: _review_backlog,
    }


def load_indicators_demo(*, rng: random.Random, users: list[User]) -> dict[str, int]:
    enrolled = _enrol_authenticators(rng, users)
    now = timezone.now()
    officer = next((user for user in users if user.username == OFFICER), None)
    zone = timezone.get_default_timezone()
    monday = timezone.localdate(now) - timedelta(days=timezone.localdate(now).weekday())
    curves = _curves(now)
    indicators = list(Indicator.objects.filter(is_active=True).order_by("code"))
    history = []
    for weeks_ago in range(WEEKS, 0, -1):
        at = datetime.combine(monday - timedelta(weeks=weeks_ago), time(6, 0), zone)
        progress = (WEEKS - weeks_ago) / (WEEKS - 1)
        history += [(indicator, at, curves[indicator.code](progress, rng)) for indicator in indicators]
    kept = indicator_history_record(
        samples=history, by=officer, source="weekly figures kept by the security office before Liaison computed them"
    )
    computed = indicators_compute(now=now)
    return {"indicator_samples": kept + len(computed), "second_factors_enrolled": enrolled}
