"""The role matrix of the management committee's report (rows like `matrix.ROUTES`).

Approved reports are read by the committee's readers: grace (security officer), carol (desk head, the head of
office), erin (auditor); management holds no cast member. Drafts and submitted reports are the security office's
only: everyone else gets 404, the PDF of a report not approved answers 404 to all. The reports are built when a row
asks for them: a draft and an approved report by grace, and a report submitted by a second security officer (SASHA)
that grace may approve.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.utils import timezone

from liaison.accounts.models import RoleCode, User
from liaison.committee.models import CommitteeReport, CommitteeStatus
from liaison.testing.cast import Cast, make_user
from liaison.testing.matrix import Route

READERS = {"grace": 200, "carol": 200, "erin": 200}
OFFICE = {"grace": 200}


def _deputy(cast: Cast) -> User:
    cached: User | None = getattr(cast, "_committee_deputy", None)
    if cached is None:
        cached = make_user("sasha", (RoleCode.SECURITY_OFFICER,), "ssi", "s")
        cast._committee_deputy = cached  # type: ignore[attr-defined]
    return cached


def _report(cast: Cast, status: str) -> CommitteeReport:
    key = f"_committee_{status}"
    cached: CommitteeReport | None = getattr(cast, key, None)
    if cached is not None:
        return cached
    starts = {"draft": date(2026, 10, 1), "submitted": date(2026, 9, 1), "approved": date(2026, 7, 1)}
    ends = {"draft": date(2026, 10, 31), "submitted": date(2026, 9, 30), "approved": date(2026, 9, 30)}
    kind = "quarter" if status == "approved" else "month"
    now = timezone.now()
    report = CommitteeReport.objects.create(
        period_kind=kind,
        period_start=starts[status],
        period_end=ends[status],
        language="fr",
        status=status,
        commentary="Le plan avance.",
        prepared_by=_deputy(cast) if status == CommitteeStatus.SUBMITTED else cast.grace,
        submitted_at=now if status != CommitteeStatus.DRAFT else None,
    )
    if status == CommitteeStatus.APPROVED:
        from liaison.committee.figures import committee_figures, figures_document
        from liaison.committee.periods import period_of

        report.figures = figures_document(committee_figures(period_of(kind, report.period_start)))
        report.approved_by, report.approved_at = _deputy(cast), now
        report.pdf, report.pdf_sha256 = b"%PDF-1.7 signed", "0" * 64
        report.save()
    setattr(cast, key, report)
    return report


def _draft(cast: Cast) -> list[Any]:
    return [_report(cast, CommitteeStatus.DRAFT).pk]


def _submitted(cast: Cast) -> list[Any]:
    return [_report(cast, CommitteeStatus.SUBMITTED).pk]


def _approved(cast: Cast) -> list[Any]:
    return [_report(cast, CommitteeStatus.APPROVED).pk]


NEW = {"kind": "month", "start": "2026-08-01", "language": "en"}

COMMITTEE_ROUTES: list[Route] = [
    Route("committee:list", READERS),
    Route("committee:create", OFFICE),
    Route("committee:create", {"grace": 302}, method="post", data=NEW, label="create a draft"),
    Route("committee:create", {"grace": 400}, method="post", data={"kind": "month"}, label="incomplete"),
    Route("committee:detail", OFFICE, args=_draft, label="draft"),
    Route("committee:detail", OFFICE, args=_submitted, label="submitted"),
    Route("committee:detail", READERS, args=_approved, label="approved"),
    Route("committee:detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    Route("committee:commentary", {"grace": 302}, args=_draft, method="post", data={"commentary": "On track."}),
    Route("committee:submit", {"grace": 302}, args=_draft, method="post"),
    Route("committee:approve", {"grace": 302}, args=_submitted, method="post"),
    Route("committee:approve", {"grace": 302}, args=_approved, method="post", label="already approved"),
    Route("committee:return", {"grace": 302}, args=_submitted, method="post"),
    Route("committee:return", {}, args=lambda c: [uuid.uuid4()], method="post", label="unknown id"),
    Route("committee:pdf", READERS, args=_approved, label="approved"),
    Route("committee:pdf", {}, args=_draft, label="draft"),
    Route("committee:pdf", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
]
