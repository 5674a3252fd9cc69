"""Management statistics: the liaison office's activity as office-wide numbers per period, for the management
committee's report.

The rule: a management statistic is a count or a delay over the whole office for one period, and it names no
object — no title, partner, theme, zone, service or person, and no breakdown by any of them. It is computed outside
the read rule (the committee reads how busy the office was, not what it did), which is why this module lives with the
policy: it is the only place allowed to count marked objects for readers who may not see them, and what it returns is
released only to COMMITTEE_READERS (liaison/policy/security_office.py). A new figure added here must keep to the rule.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from liaison.exchanges.models import Exchange
from liaison.reports.models import Report, ReportRecipient


@dataclass(frozen=True)
class OfficeActivity:
    """The office's activity in one period: counts, and delays in hours (None when nothing was measured)."""

    exchanges: int
    reports_created: int
    reports_approved: int
    reports_disseminated: int
    approval_delays: int  # how many approvals the median is taken over
    median_approval_hours: float | None  # submitted → approved
    acknowledgements: int  # how many acknowledgements the median is taken over
    median_acknowledgement_hours: float | None  # disseminated → acknowledged


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile (`share` in 0..1]: the smallest value with at least that share at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(share * len(ordered)) - 1)])


def _hours(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds() / 3600


def office_activity(*, first: datetime, after: datetime) -> OfficeActivity:
    """The office's activity between `first` (included) and `after` (excluded), every object counted whoever may read
    it: exchanges held, reports created, approved and disseminated, the median delay from submission to approval of
    the reports approved in the period, and from dissemination to acknowledgement of the acknowledgements received
    in it. Four queries."""
    exchanges = Exchange.objects.filter(occurred_at__gte=first, occurred_at__lt=after).count()
    counts = Report.objects.aggregate(
        created=Count("pk", filter=Q(created_at__gte=first, created_at__lt=after)),
        approved=Count("pk", filter=Q(approved_at__gte=first, approved_at__lt=after)),
        disseminated=Count("pk", filter=Q(disseminated_at__gte=first, disseminated_at__lt=after)),
    )
    approvals = [
        hours
        for submitted, approved in Report.objects.filter(approved_at__gte=first, approved_at__lt=after).values_list(
            "submitted_at", "approved_at"
        )
        if (hours := _hours(submitted, approved)) is not None
    ]
    acknowledgements = [
        hours
        for disseminated, acknowledged in ReportRecipient.objects.filter(
            acknowledged_at__gte=first, acknowledged_at__lt=after
        ).values_list("report__disseminated_at", "acknowledged_at")
        if (hours := _hours(disseminated, acknowledged)) is not None
    ]
    return OfficeActivity(
        exchanges=exchanges,
        reports_created=counts["created"],
        reports_approved=counts["approved"],
        reports_disseminated=counts["disseminated"],
        approval_delays=len(approvals),
        median_approval_hours=median(approvals),
        acknowledgements=len(acknowledgements),
        median_acknowledgement_hours=median(acknowledgements),
    )
