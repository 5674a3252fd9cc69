"""Writes of the live indicators: their periodic computation (one sample per active indicator and period), a history
recorded at once (figures kept before Liaison computed them), and a threshold changed by the security office. Each
is audited once, in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from liaison.accounts.models import RoleCode, User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.exceptions import DomainError
from liaison.security.indicators.compute import indicator_figure
from liaison.security.models import Indicator, IndicatorCode, IndicatorSample

# Indicators that are a share in percent, and the one that is a yes/no (1 or 0): their thresholds stay in range.
PERCENTAGES = (IndicatorCode.SECOND_FACTOR_SHARE, IndicatorCode.PHISHING_RESISTANT_SHARE)
BOOLEANS = (IndicatorCode.AUDIT_CHAIN_INTACT,)
THRESHOLD_MAX = 1_000_000.0


def period_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The period of LIAISON_INDICATOR_INTERVAL seconds (aligned on the epoch, like the schedule's) holding `now`."""
    length = settings.LIAISON_INDICATOR_INTERVAL
    start = int(now.timestamp()) // length * length
    return datetime.fromtimestamp(start, tz=now.tzinfo), datetime.fromtimestamp(start + length, tz=now.tzinfo)


def indicators_compute(*, now: datetime) -> list[IndicatorSample]:
    """Compute every active indicator at `now` and keep one sample each (value, whether its threshold is met,
    detail), audited once as `security.indicators_computed`. Idempotent within a period: when the period holding
    `now` already has the samples, nothing is computed or written and those samples are returned."""
    start, end = period_bounds(now)
    with transaction.atomic():
        indicators = list(Indicator.objects.select_for_update().filter(is_active=True).order_by("code"))
        existing = list(
            IndicatorSample.objects.filter(indicator__in=indicators, computed_at__gte=start, computed_at__lt=end)
        )
        if existing or not indicators:
            return existing
        samples = []
        for indicator in indicators:
            value, detail = indicator_figure(indicator.code, now)
            samples.append(
                IndicatorSample(
                    indicator=indicator, computed_at=now, value=value, is_met=indicator.is_met(value), detail=detail
                )
            )
        IndicatorSample.objects.bulk_create(samples)
        record(
            actor=None,
            event=AuditEvent.INDICATORS_COMPUTED,
            extra={
                "computed_at": now.isoformat(),
                "values": {sample.indicator.code: sample.value for sample in samples},
                "met": sum(sample.is_met for sample in samples),
                "not_met": sum(not sample.is_met for sample in samples),
            },
        )
    return samples


def indicator_history_record(
    *, samples: Sequence[tuple[Indicator, datetime, float]], by: User | None = None, source: str = ""
) -> int:
    """Keep figures computed elsewhere or earlier (indicator, when, value), e.g. a plan's history from before
    Liaison computed it: each judged against the indicator's current threshold, all audited as one
    `security.indicator_history_recorded`. Returns how many were kept."""
    if not samples:
        return 0
    rows = [
        IndicatorSample(indicator=indicator, computed_at=at, value=value, is_met=indicator.is_met(value), detail={})
        for indicator, at, value in samples
    ]
    with transaction.atomic():
        IndicatorSample.objects.bulk_create(rows)
        record(
            actor=by,
            event=AuditEvent.INDICATOR_HISTORY_RECORDED,
            extra={
                "samples": len(rows),
                "first": min(row.computed_at for row in rows).isoformat(),
                "last": max(row.computed_at for row in rows).isoformat(),
                "source": source[:200],
            },
        )
    return len(rows)


def threshold_check(indicator: Indicator, threshold: float) -> None:
    """Refuse a threshold the indicator can never be judged against (with what to enter instead)."""
    if threshold != threshold or threshold in (float("inf"), float("-inf")):  # NaN or infinite
        raise DomainError(_("Enter a number for the threshold."))
    if indicator.code in PERCENTAGES and not 0 <= threshold <= 100:
        raise DomainError(_("This indicator is a share: enter a threshold between 0 and 100."))
    if indicator.code in BOOLEANS and threshold not in (0, 1):
        raise DomainError(_("This indicator is 1 (intact) or 0 (broken): enter 1 or 0."))
    if not 0 <= threshold <= THRESHOLD_MAX:
        raise DomainError(_("Enter a threshold between 0 and %(max)s.") % {"max": int(THRESHOLD_MAX)})


def indicator_threshold_set(
    *, indicator: Indicator, threshold: float, by: User, request: HttpRequest | None = None
) -> Indicator:
    """A security officer sets the threshold that makes the indicator green or red; samples already kept keep the
    judgement they were computed with. Audited as `security.indicator_threshold_set` with the old and new value."""
    if not by.has_role(RoleCode.SECURITY_OFFICER):
        raise DomainError(_("Only a security officer can change an indicator's threshold."))
    threshold_check(indicator, threshold)
    with transaction.atomic():
        current = Indicator.objects.select_for_update().get(pk=indicator.pk)
        old = current.threshold
        if old == threshold:
            return current
        current.threshold = threshold
        current.save(update_fields=["threshold", "updated_at"])
        record(
            actor=by,
            event=AuditEvent.INDICATOR_THRESHOLD_SET,
            target=current,
            extra={"indicator": current.code, "comparison": current.comparison, "old": old, "new": threshold},
            request=request,
        )
    indicator.threshold = threshold
    return current
