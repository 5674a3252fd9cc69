"""Reads of the indicators' time series."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from liaison.security.models import Indicator, IndicatorSample


def latest_samples(indicators: Iterable[Indicator]) -> dict[object, IndicatorSample]:
    """The last computation of each indicator that has one, keyed by indicator id, in one query."""
    ids = [indicator.pk for indicator in indicators]
    last = IndicatorSample.objects.filter(indicator=OuterRef("indicator")).order_by("-computed_at").values("pk")[:1]
    samples = IndicatorSample.objects.filter(indicator_id__in=ids, pk=Subquery(last))
    return {sample.indicator_id: sample for sample in samples}
