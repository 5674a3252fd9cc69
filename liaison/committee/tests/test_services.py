"""The committee report's workflow: periods validated, a draft commented and submitted, approved by another security
officer only (figures frozen, PDF signed in the report's language), one approved report per period and language."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from liaison.accounts.models import User
from liaison.audit.models import AuditEntry
from liaison.committee.models import CommitteeReport, CommitteeStatus
from liaison.committee.services import (
    committee_report_approve,
    committee_report_comment,
    committee_report_create,
    committee_report_submit,
    period_check,
)
from liaison.committee.tests.conftest import SEPTEMBER, at, sample, submitted
from liaison.core.exceptions import Conflict, DomainError, PolicyRefusal
from liaison.testing.cast import Cast

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("kind", "start", "end", "message"),
    [
        ("month", date(2027, 1, 1), None, "has not begun"),
        ("month", date(2026, 9, 30), date(2026, 9, 1), "ends before it starts"),
        ("month", date(2026, 9, 15), None, "first day"),
        ("quarter", date(2026, 8, 1), None, "1 July"),
        ("month", date(2026, 9, 1), date(2026, 10, 31), "2026-09-30"),
        ("week", date(2026, 9, 1), None, "month or a quarter"),
    ],
)
def test_a_period_that_cannot_be_reported_is_refused_with_what_to_give(kind, start, end, message) -> None:
    with pytest.raises(DomainError, match=message):
        period_check(kind=kind, start=start, end=end, today=TODAY)


def test_the_current_month_and_a_past_quarter_are_accepted() -> None:
    assert period_check(kind="month", start=date(2026, 12, 1), today=TODAY).end == date(2026, 12, 31)
    quarter = period_check(kind="quarter", start=date(2026, 7, 1), end=date(2026, 9, 30), today=TODAY)
    assert (quarter.start, quarter.end, quarter.previous().start) == (
        date(2026, 7, 1),
        date(2026, 9, 30),
        date(2026, 4, 1),
    )


def test_only_a_security_officer_prepares_a_report(cast: Cast) -> None:
    with pytest.raises(PolicyRefusal):
        committee_report_create(kind="month", start=SEPTEMBER, language="fr", by=cast.carol)
    assert not CommitteeReport.objects.exists()


def test_a_draft_is_created_commented_and_submitted_with_audit_entries(cast: Cast) -> None:
    report = submitted(cast.grace)
    assert report.submitted_at is not None and report.commentary.startswith("The plan")
    events = list(AuditEntry.objects.filter(target_id=str(report.pk)).values_list("event", flat=True))
    assert events == ["committee.report_created", "committee.report_changed", "committee.report_submitted"]


def test_a_draft_without_commentary_cannot_be_submitted(cast: Cast) -> None:
    report = committee_report_create(kind="month", start=SEPTEMBER, language="fr", by=cast.grace)
    with pytest.raises(DomainError, match="Write the commentary"):
        committee_report_submit(report=report, by=cast.grace)
    report.refresh_from_db()
    assert report.status == CommitteeStatus.DRAFT and report.submitted_at is None


def test_a_submitted_report_commentary_is_frozen(cast: Cast) -> None:
    report = submitted(cast.grace)
    with pytest.raises(Conflict):
        committee_report_comment(report=report, commentary="Changed after the fact", by=cast.grace)


def test_the_preparer_cannot_approve_their_own_report(cast: Cast) -> None:
    report = submitted(cast.grace)
    with pytest.raises(PolicyRefusal, match="another security officer"):
        committee_report_approve(report=report, by=cast.grace)
    report.refresh_from_db()
    assert report.status == CommitteeStatus.SUBMITTED and not report.pdf and report.figures == {}


def test_a_draft_cannot_be_approved(cast: Cast, deputy: User) -> None:
    report = committee_report_create(kind="month", start=SEPTEMBER, language="fr", by=cast.grace)
    with pytest.raises(Conflict):
        committee_report_approve(report=report, by=deputy)


@pytest.fixture
def approved(cast: Cast, deputy: User) -> CommitteeReport:
    sample("second_factor_share", at(date(2026, 9, 10)), 70)
    return committee_report_approve(report=submitted(cast.grace), by=deputy)


def test_approval_by_another_officer_freezes_the_figures_and_stores_the_signed_pdf(
    approved: CommitteeReport, deputy: User
) -> None:
    approved.refresh_from_db()
    assert approved.status == CommitteeStatus.APPROVED and approved.approved_by == deputy
    assert approved.figures["start"] == "2026-09-01"
    shares = [i for i in approved.figures["indicators"] if i["code"] == "second_factor_share"]
    assert shares[0]["value"] == 70
    pdf = bytes(approved.pdf)
    assert pdf.startswith(b"%PDF") and approved.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    entry = AuditEntry.objects.get(event="committee.report_approved", target_id=str(approved.pk))
    assert approved.pdf_sha256 in entry.extra


def test_frozen_figures_do_not_follow_later_data(approved: CommitteeReport) -> None:
    sample("second_factor_share", at(date(2026, 9, 20)), 99)
    approved.refresh_from_db()
    share = next(i for i in approved.figures["indicators"] if i["code"] == "second_factor_share")
    assert share["value"] == 70


def test_a_second_approved_report_for_the_same_period_and_language_is_refused(
    cast: Cast, deputy: User, approved: CommitteeReport
) -> None:
    with pytest.raises(Conflict, match="already approved"):
        committee_report_create(kind="month", start=SEPTEMBER, language="en", by=cast.grace)
    french = committee_report_create(kind="month", start=SEPTEMBER, language="fr", by=cast.grace)
    assert french.language == "fr"


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "committee.pdf"
    path.write_bytes(data)
    return path


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="pdfsig (poppler-utils) is not installed")
def test_poppler_pdfsig_says_the_signature_is_valid(approved: CommitteeReport, tmp_path: Path) -> None:
    out = subprocess.run(["pdfsig", str(_write(tmp_path, bytes(approved.pdf)))], capture_output=True, text=True).stdout
    assert "Signature is Valid." in out


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("fr", ["Rapport au comité de direction", "Plan de renforcement", "DIFFUSION RESTREINTE"], "Strengthening"),
        ("en", ["Report to the management committee", "Strengthening plan", "DIFFUSION RESTREINTE"], "Plan de"),
    ],
)
def test_the_pdf_is_in_the_reports_language_with_the_banner_on_every_page(
    cast: Cast, deputy: User, tmp_path: Path, language: str, expected: list[str], absent: str
) -> None:
    report = committee_report_approve(report=submitted(cast.grace, language=language), by=deputy)
    path = _write(tmp_path, bytes(report.pdf))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    for phrase in expected:
        assert phrase in text
    assert absent not in text
    pages = text.split("\f")
    assert all("DIFFUSION RESTREINTE" in page for page in pages if page.strip())


def test_a_submitted_report_returned_to_draft_can_be_reworked_and_submitted_again(cast: Cast, deputy: User) -> None:
    from liaison.committee.services import committee_report_return

    report = committee_report_return(report=submitted(cast.grace), by=deputy)
    assert report.status == CommitteeStatus.DRAFT and report.submitted_at is None
    committee_report_comment(report=report, commentary="Reworked after review.", by=cast.grace)
    report = committee_report_submit(report=report, by=cast.grace)
    assert report.status == CommitteeStatus.SUBMITTED
    assert AuditEntry.objects.filter(event="committee.report_returned", target_id=str(report.pk)).count() == 1


def test_an_approved_report_cannot_be_returned(approved: CommitteeReport, cast: Cast) -> None:
    from liaison.committee.services import committee_report_return

    with pytest.raises(Conflict):
        committee_report_return(report=approved, by=cast.grace)


def test_approval_reads_the_reports_state_from_the_database_not_the_callers_copy(cast: Cast, deputy: User) -> None:
    stale = committee_report_create(kind="month", start=SEPTEMBER, language="en", by=cast.grace)
    committee_report_comment(report=stale, commentary="Ready.", by=cast.grace)
    committee_report_submit(report=stale, by=cast.grace)
    assert stale.status == CommitteeStatus.DRAFT  # the caller's copy
    assert committee_report_approve(report=stale, by=deputy).status == CommitteeStatus.APPROVED
