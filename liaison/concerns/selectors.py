"""Reads of concerns. A requester reads their own concerns; the security office handles them all and internal audit
reads them all; every signed-in colleague reads the published answers, which carry no requester, post, reference or
date but the publication's. Response times are measured against a target answer time per severity."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from liaison.accounts.models import RoleCode, User
from liaison.concerns.models import Concern, ConcernCategory, ConcernSeverity, ConcernStatus
from liaison.policy.gates import has_any_role
from liaison.policy.security_office import CONCERN_HANDLERS, CONCERN_READERS

# How long the security office gives itself to answer, by severity (docs/operations.md, "Security concerns").
ANSWER_TARGETS: dict[str, timedelta] = {
    ConcernSeverity.CRITICAL: timedelta(days=1),
    ConcernSeverity.HIGH: timedelta(days=3),
    ConcernSeverity.MEDIUM: timedelta(days=10),
    ConcernSeverity.LOW: timedelta(days=20),
}


def can_handle_concerns(user: Any) -> bool:
    return has_any_role(user, *CONCERN_HANDLERS)


def can_read_all_concerns(user: Any) -> bool:
    return has_any_role(user, *CONCERN_READERS)


def concerns_readable(concerns: QuerySet[Concern], user: Any) -> QuerySet[Concern]:
    """The concerns among `concerns` that `user` may read: all for the security office and audit, their own for
    anyone else signed in, none for an anonymous visitor."""
    if not getattr(user, "is_authenticated", False):
        return concerns.none()
    if can_read_all_concerns(user):
        return concerns
    return concerns.filter(requester=user)


def concern_list_mine(*, user: Any) -> QuerySet[Concern]:
    """The concerns `user` raised, newest first; one query whatever their number."""
    if not getattr(user, "is_authenticated", False):
        return Concern.objects.none()
    return Concern.objects.filter(requester=user).order_by("-created_at", "id")


def concern_get(*, user: Any, pk: Any) -> Concern:
    """A concern `user` may read, or 404 (another colleague's concern does not exist for them)."""
    found = (
        concerns_readable(Concern.objects.select_related("requester", "owner", "answered_by"), user)
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def concern_queue(
    *, user: Any, status: str = "", category: str = "", severity: str = "", handler: str = ""
) -> QuerySet[Concern]:
    """Every concern for the security office and audit, filtered, open ones first then newest first."""
    concerns = Concern.objects.select_related("owner") if can_read_all_concerns(user) else Concern.objects.none()
    if status:
        concerns = concerns.filter(status=status)
    if category:
        concerns = concerns.filter(category=category)
    if severity:
        concerns = concerns.filter(severity=severity)
    if handler:
        concerns = concerns.filter(owner_id=UUID(handler))
    return concerns.order_by("-created_at", "id")


def concern_status_counts(*, user: Any) -> dict[str, int]:
    """How many concerns are in each status (every status present, zero included): one query."""
    counts = dict.fromkeys(ConcernStatus.values, 0)
    if can_read_all_concerns(user):
        for row in Concern.objects.values("status").annotate(n=Count("id")).order_by():
            counts[row["status"]] = row["n"]
    return counts


def concern_handlers() -> QuerySet[User]:
    """The active security officers, who may be given a concern to handle."""
    return User.objects.filter(is_active=True, roles__code=RoleCode.SECURITY_OFFICER).distinct().order_by("alias")


@dataclass(frozen=True)
class PublishedAnswer:
    question: str
    answer: str
    outcome: str
    outcome_label: str
    published_at: datetime | None


@dataclass(frozen=True)
class PublishedCategory:
    category: str
    label: str
    answers: list[PublishedAnswer]


def published_answers() -> list[PublishedCategory]:
    """The published answers, grouped by category in the categories' order, newest publication first: one query,
    which reads only the published texts, the outcome and the publication date."""
    rows = (
        Concern.objects.filter(is_published=True)
        .order_by("-published_at", "id")
        .values_list("category", "published_question", "published_answer", "outcome", "published_at")
    )
    outcomes = dict(Concern._meta.get_field("outcome").flatchoices)
    grouped: dict[str, list[PublishedAnswer]] = {}
    for category, question, answer, outcome, published_at in rows:
        grouped.setdefault(category, []).append(
            PublishedAnswer(question, answer, outcome, str(outcomes.get(outcome, outcome)), published_at)
        )
    return [
        PublishedCategory(code, str(label), grouped[code]) for code, label in ConcernCategory.choices if code in grouped
    ]


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0 to 100) of `values` by linear interpolation between closest ranks (numpy's default);
    None for no value."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value / 3600, 1)


@dataclass
class ResponseStats:
    """Response times of the concerns received in a period, for one category or for all (category "")."""

    category: str
    label: str
    received: int = 0
    answered: int = 0
    open: int = 0
    first_response: list[float] = field(default_factory=list)  # seconds, triaged_at - created_at
    answer: list[float] = field(default_factory=list)  # seconds, answered_at - created_at
    within_target: int = 0
    with_target: int = 0

    @property
    def first_response_median_hours(self) -> float | None:
        return _hours(percentile(self.first_response, 50))

    @property
    def first_response_p90_hours(self) -> float | None:
        return _hours(percentile(self.first_response, 90))

    @property
    def answer_median_hours(self) -> float | None:
        return _hours(percentile(self.answer, 50))

    @property
    def answer_p90_hours(self) -> float | None:
        return _hours(percentile(self.answer, 90))

    @property
    def within_target_share(self) -> float | None:
        """The share (0 to 1) of answered concerns answered within their severity's target."""
        return self.within_target / self.with_target if self.with_target else None

    @property
    def within_target_percent(self) -> int | None:
        share = self.within_target_share
        return None if share is None else round(share * 100)

    def add(
        self, created_at: datetime, severity: str, triaged_at: datetime | None, answered_at: datetime | None
    ) -> None:
        self.received += 1
        if triaged_at is not None:
            self.first_response.append((triaged_at - created_at).total_seconds())
        if answered_at is None:
            self.open += 1
            return
        self.answered += 1
        taken = answered_at - created_at
        self.answer.append(taken.total_seconds())
        target = ANSWER_TARGETS.get(severity)
        if target is not None:
            self.with_target += 1
            self.within_target += taken <= target


@dataclass(frozen=True)
class ResponseReport:
    since: datetime
    until: datetime
    total: ResponseStats
    by_category: list[ResponseStats]


def concern_response_stats(*, since: datetime, until: datetime) -> ResponseReport:
    """Response times of the concerns received from `since` (included) to `until` (excluded): received, answered,
    still open, median and 90th percentile of the time to first response (triage) and to the answer, and the share
    answered within the target of their severity; overall and by category (every category, in order). One query."""
    rows = (
        Concern.objects.filter(Q(created_at__gte=since) & Q(created_at__lt=until))
        .order_by()
        .values_list("category", "created_at", "severity", "triaged_at", "answered_at")
    )
    total = ResponseStats("", "")
    by_category = {code: ResponseStats(code, str(label)) for code, label in ConcernCategory.choices}
    for category, created_at, severity, triaged_at, answered_at in rows:
        total.add(created_at, severity, triaged_at, answered_at)
        if category in by_category:
            by_category[category].add(created_at, severity, triaged_at, answered_at)
    return ResponseReport(since, until, total, list(by_category.values()))
