"""Reads of the committee's reports by role: the security office reads every report, drafts included; the other
committee readers (head of office, management, audit) read approved reports only; anyone else reads none (404)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from liaison.accounts.models import User
from liaison.committee.models import CommitteeReport, CommitteeStatus
from liaison.policy.gates import has_any_role
from liaison.policy.security_office import COMMITTEE_READERS, SECURITY_OFFICE


def committee_report_list(*, user: User) -> QuerySet[CommitteeReport]:
    """The reports `user` may read, newest period first, without their PDF (read on download only)."""
    reports = CommitteeReport.objects.select_related("prepared_by", "approved_by").defer("pdf", "figures")
    if has_any_role(user, *SECURITY_OFFICE):
        return reports
    if has_any_role(user, *COMMITTEE_READERS):
        return reports.filter(status=CommitteeStatus.APPROVED)
    return reports.none()


def committee_report_get(*, user: User, pk: Any, with_pdf: bool = False) -> CommitteeReport:
    """One report `user` may read; any other answers 404."""
    reports = CommitteeReport.objects.select_related("prepared_by", "approved_by")
    if not with_pdf:
        reports = reports.defer("pdf")
    report = reports.filter(pk=pk, pk__in=committee_report_list(user=user).values("pk")).first()
    if report is None:
        raise Http404
    return report
