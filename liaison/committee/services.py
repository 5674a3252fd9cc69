"""Writes of the committee's report: a security officer creates it for a month or a quarter, writes the commentary
and submits it; another security officer approves it, which freezes its figures and stores its signed PDF. Each
service is atomic and audited, and refuses a mistake with a message saying what to do."""

from __future__ import annotations

import hashlib
from datetime import date

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.committee.figures import committee_figures, figures_document
from liaison.committee.models import CommitteeReport, CommitteeStatus, PeriodKind, ReportLanguage
from liaison.committee.pdf import render_committee_pdf
from liaison.committee.periods import Period, is_period_start, period_of
from liaison.core.exceptions import Conflict, DomainError, PolicyRefusal
from liaison.policy.gates import has_any_role
from liaison.policy.security_office import SECURITY_OFFICE

COMMENTARY_MAX = 20000


def _require_officer(by: User) -> None:
    if not has_any_role(by, *SECURITY_OFFICE):
        raise PolicyRefusal(
            "committee.officer", _("Only a security officer prepares and approves the committee's report.")
        )


def period_check(*, kind: str, start: date, end: date | None = None, today: date | None = None) -> Period:
    """The month or quarter asked for, or a refusal saying what to give: a known kind, a first day of a month (of a
    quarter: January, April, July or October), an end on the last day of that period, not before its start, and a
    period that has begun (figures of the future do not exist yet)."""
    if kind not in PeriodKind.values:
        raise DomainError(_("Choose a month or a quarter."))
    if end is not None and end < start:
        raise DomainError(_("The period ends before it starts: give an end date after the start date."))
    if not is_period_start(kind, start):
        if kind == PeriodKind.QUARTER:
            raise DomainError(_("A quarter starts on 1 January, 1 April, 1 July or 1 October: choose one of them."))
        raise DomainError(_("A month starts on its first day: choose the 1st of the month."))
    period = period_of(kind, start)
    if end is not None and end != period.end:
        raise DomainError(
            _("This period ends on %(end)s: leave the end date empty or give that day.")
            % {"end": period.end.isoformat()}
        )
    if period.start > (today or timezone.localdate()):
        raise DomainError(_("This period has not begun: choose the current period or an earlier one."))
    return period


def committee_report_create(
    *,
    kind: str,
    start: date,
    end: date | None = None,
    language: str,
    by: User,
    request: HttpRequest | None = None,
) -> CommitteeReport:
    """A draft report for a month or a quarter in French or English, its figures read live until approval."""
    _require_officer(by)
    if language not in ReportLanguage.values:
        raise DomainError(_("Choose French or English."))
    period = period_check(kind=kind, start=start, end=end)
    if CommitteeReport.objects.filter(
        status=CommitteeStatus.APPROVED, period_kind=kind, period_start=period.start, language=language
    ).exists():
        raise Conflict(_("A report for this period in this language is already approved: open it from the list."))
    with transaction.atomic():
        report = CommitteeReport.objects.create(
            period_kind=kind, period_start=period.start, period_end=period.end, language=language, prepared_by=by
        )
        record(
            actor=by,
            event=AuditEvent.COMMITTEE_REPORT_CREATED,
            target=report,
            extra={
                "kind": kind,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "language": language,
            },
            request=request,
        )
    return report


def _locked(report: CommitteeReport) -> CommitteeReport:
    return CommitteeReport.objects.select_for_update().get(pk=report.pk)


def committee_report_comment(
    *, report: CommitteeReport, commentary: str, by: User, request: HttpRequest | None = None
) -> CommitteeReport:
    """Replace the security head's commentary of a draft."""
    _require_officer(by)
    commentary = commentary.strip()
    if len(commentary) > COMMENTARY_MAX:
        raise DomainError(_("Keep the commentary under %(max)d characters.") % {"max": COMMENTARY_MAX})
    with transaction.atomic():
        report = _locked(report)
        if not report.is_draft:
            raise Conflict(_("Only a draft's commentary can be changed; this report has been submitted."))
        report.commentary = commentary
        report.save(update_fields=["commentary", "updated_at"])
        record(
            actor=by,
            event=AuditEvent.COMMITTEE_REPORT_CHANGED,
            target=report,
            extra={"characters": len(commentary)},
            request=request,
        )
    return report


def committee_report_submit(
    *, report: CommitteeReport, by: User, request: HttpRequest | None = None
) -> CommitteeReport:
    """Send a draft with its commentary to another security officer for approval."""
    _require_officer(by)
    with transaction.atomic():
        report = _locked(report)
        if not report.is_draft:
            raise Conflict(_("This report has already been submitted."))
        if not report.commentary.strip():
            raise DomainError(_("Write the commentary before submitting: the committee reads the figures with it."))
        report.status = CommitteeStatus.SUBMITTED
        report.submitted_at = timezone.now()
        report.save(update_fields=["status", "submitted_at", "updated_at"])
        record(actor=by, event=AuditEvent.COMMITTEE_REPORT_SUBMITTED, target=report, request=request)
    return report


def _refuse_second_approval(report: CommitteeReport) -> None:
    if CommitteeReport.objects.filter(
        status=CommitteeStatus.APPROVED,
        period_kind=report.period_kind,
        period_start=report.period_start,
        language=report.language,
    ).exists():
        raise Conflict(_("A report for this period in this language is already approved."))


def committee_report_approve(
    *, report: CommitteeReport, by: User, request: HttpRequest | None = None
) -> CommitteeReport:
    """Approve a submitted report (four eyes: never by the officer who prepared it): its figures are read one last
    time and frozen, and its PDF is rendered in its language, signed and stored with its SHA-256."""
    _require_officer(by)
    report = CommitteeReport.objects.get(pk=report.pk)  # its state now, not as the caller last read it
    if report.prepared_by_id == by.pk:
        raise PolicyRefusal("committee.four_eyes", _("You prepared this report: another security officer approves it."))
    if not report.is_submitted:
        raise Conflict(_("Only a submitted report can be approved."))
    _refuse_second_approval(report)
    # Reading the figures and rendering and signing the PDF take a moment: they happen before the transaction, which
    # then checks the report again under its lock (a concurrent approval or return wins, this one is refused).
    approved_at = timezone.now()
    figures = figures_document(committee_figures(period_of(report.period_kind, report.period_start)))
    report.approved_by, report.approved_at = by, approved_at
    pdf = render_committee_pdf(report=report, figures=figures)
    with transaction.atomic():
        report = _locked(report)
        if not report.is_submitted:
            raise Conflict(_("Only a submitted report can be approved."))
        _refuse_second_approval(report)
        report.status = CommitteeStatus.APPROVED
        report.approved_by = by
        report.approved_at = approved_at
        report.figures = figures
        report.pdf = pdf
        report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError as error:
            raise Conflict(_("A report for this period in this language is already approved.")) from error
        record(
            actor=by,
            event=AuditEvent.COMMITTEE_REPORT_APPROVED,
            target=report,
            extra={"sha256": report.pdf_sha256, "prepared_by": report.prepared_by.alias},
            request=request,
        )
    return report


def committee_report_return(
    *, report: CommitteeReport, by: User, request: HttpRequest | None = None
) -> CommitteeReport:
    """Send a submitted report back to draft, so its commentary can be reworked (by its preparer, who withdraws it, or
    by the officer who would approve it)."""
    _require_officer(by)
    with transaction.atomic():
        report = _locked(report)
        if not report.is_submitted:
            raise Conflict(_("Only a submitted report can be returned to draft."))
        report.status = CommitteeStatus.DRAFT
        report.submitted_at = None
        report.save(update_fields=["status", "submitted_at", "updated_at"])
        record(actor=by, event=AuditEvent.COMMITTEE_REPORT_RETURNED, target=report, request=request)
    return report


def committee_pdf_download(*, report: CommitteeReport, by: User, request: HttpRequest | None = None) -> bytes:
    """The signed PDF of an approved report, its download recorded in the audit log."""
    if not report.is_approved or not report.pdf:
        raise Conflict(_("Only an approved report has a signed PDF."))
    data = bytes(report.pdf)
    record(
        actor=by,
        event=AuditEvent.OBJECT_EXPORTED,
        target=report,
        extra={"format": "pdf", "sha256": report.pdf_sha256},
        request=request,
    )
    return data
