"""Reads of reports: the author's, those to review, the service inbox, all through the read rule."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from liaison.accounts.models import RoleCode, User
from liaison.policy.access import get_visible_or_404, visible_to
from liaison.reports.models import Report, ReportQuote, ReportRecipient, ReportStatus


def _reports(user: User) -> QuerySet[Report]:
    """Visible reports with what a list and the page banner show (classification and its scheme, compartments,
    author, exchange) in a fixed number of queries."""
    return visible_to(
        Report.objects.select_related("classification__scheme", "exchange", "created_by").prefetch_related(
            "compartments"
        ),
        user,
    )


def report_list(*, user: User, status: str = "") -> QuerySet[Report]:
    reports = _reports(user)
    if status:
        reports = reports.filter(status=status)
    return reports.order_by("-updated_at")


def report_list_to_review(*, user: User) -> QuerySet[Report]:
    if not user.has_role(RoleCode.DESK_HEAD):
        return Report.objects.none()
    return _reports(user).filter(status=ReportStatus.SUBMITTED).exclude(created_by=user).order_by("submitted_at")


def report_inbox(*, user: User, pending_only: bool = False) -> QuerySet[Report]:
    """Reports disseminated to the user's service, with whether the service has acknowledged each."""
    if user.service_id is None:
        return Report.objects.none()
    recipient = ReportRecipient.objects.filter(report=OuterRef("pk"), service_id=user.service_id)
    acknowledged = recipient.filter(acknowledged_at__isnull=False)
    reports = _reports(user).filter(Exists(recipient))
    if pending_only:
        reports = reports.exclude(Exists(acknowledged))
    return reports.annotate(acknowledged=Exists(acknowledged)).order_by("-disseminated_at")


def report_get(*, user: User, pk: Any, request: Any = None) -> Report:
    """One report with what its page shows: the quotes with their items' classification, the history with who
    acted, the recipients with who acknowledged, each in one query."""
    quotes = ReportQuote.objects.select_related("item__classification__scheme")
    recipients = ReportRecipient.objects.select_related("service", "acknowledged_by")
    return get_visible_or_404(
        Report.objects.select_related(
            "classification__scheme", "exchange", "created_by", "approved_by"
        ).prefetch_related(
            "compartments",
            "caveats",
            "originators",
            "zones",
            Prefetch("quotes", queryset=quotes),
            "events__by",
            Prefetch("recipients", queryset=recipients),
        ),
        user,
        pk,
        request=request,
    )
