"""Pages of the committee's report: the list (committee readers; drafts for the security office only), creating a
report, a report's page with its figures and charts (live for a draft, frozen once approved), the commentary, submit
and approve steps, and the signed PDF's download. Each view parses, calls one selector or service, and renders; a
report a user may not read answers 404."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.audit.events import AuditEvent
from liaison.audit.services import record_list_read, record_read
from liaison.committee import services
from liaison.committee.figures import committee_figures, figures_document
from liaison.committee.forms import CommentaryForm, ReportCreateForm
from liaison.committee.models import CommitteeReport
from liaison.committee.periods import Period, period_of
from liaison.committee.present import present
from liaison.committee.selectors import committee_report_get, committee_report_list
from liaison.core.exceptions import DomainError
from liaison.policy.gates import has_any_role, request_user, roles_required
from liaison.policy.security_office import COMMITTEE_READERS, SECURITY_OFFICE

REPORTS_SHOWN = 200


@roles_required(*COMMITTEE_READERS)
def report_list_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    reports = list(committee_report_list(user=user)[:REPORTS_SHOWN])
    record_list_read(actor=user, objects=reports, view="committee:list", request=request)
    return render(
        request,
        "committee/report_list.html",
        {
            "reports": reports,
            "can_prepare": has_any_role(user, *SECURITY_OFFICE),
            "limited": len(reports) == REPORTS_SHOWN,
        },
    )


@roles_required(*SECURITY_OFFICE)
def report_create_view(request: HttpRequest) -> HttpResponse:
    form = ReportCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.committee_report_create(
                kind=data["kind"],
                start=data["start"],
                end=data["end"],
                language=data["language"],
                by=request_user(request),
                request=request,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Draft created: its figures are read live until it is approved."))
            return redirect("committee:detail", pk=report.pk)
    return render(request, "committee/report_form.html", {"form": form}, status=400 if form.errors else 200)


@roles_required(*COMMITTEE_READERS)
def report_detail_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    report = committee_report_get(user=user, pk=pk)
    record_read(actor=user, event=AuditEvent.OBJECT_READ, target=report, request=request)
    figures = report.figures if report.is_approved else figures_document(committee_figures(_period(report)))
    is_officer = has_any_role(user, *SECURITY_OFFICE)
    return render(
        request,
        "committee/report_detail.html",
        {
            "report": report,
            "shown": present(figures),
            "is_live": not report.is_approved,
            "can_edit": is_officer and report.is_draft,
            "can_approve": is_officer and report.is_submitted and report.prepared_by_id != user.pk,
            "can_return": is_officer and report.is_submitted,
            "commentary_form": CommentaryForm(initial={"commentary": report.commentary}),
        },
    )


def _period(report: CommitteeReport) -> Period:
    return period_of(report.period_kind, report.period_start)


@require_POST
@roles_required(*SECURITY_OFFICE)
def report_comment_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    report = committee_report_get(user=user, pk=pk)
    form = CommentaryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The commentary is too long: shorten it and save again."))
        return redirect("committee:detail", pk=report.pk)
    try:
        services.committee_report_comment(
            report=report, commentary=form.cleaned_data["commentary"], by=user, request=request
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Commentary saved."))
    return redirect("committee:detail", pk=report.pk)


@require_POST
@roles_required(*SECURITY_OFFICE)
def report_submit_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _step(request, pk, services.committee_report_submit, _("Submitted: another security officer approves it."))


@require_POST
@roles_required(*SECURITY_OFFICE)
def report_approve_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _step(
        request, pk, services.committee_report_approve, _("Approved: the figures are frozen and the PDF is signed.")
    )


@require_POST
@roles_required(*SECURITY_OFFICE)
def report_return_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _step(
        request,
        pk,
        services.committee_report_return,
        _("Returned to draft: the commentary can be reworked and submitted again."),
    )


@roles_required(*COMMITTEE_READERS)
def report_pdf_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    report = committee_report_get(user=user, pk=pk, with_pdf=True)
    if not report.is_approved:
        raise Http404
    data = services.committee_pdf_download(report=report, by=user, request=request)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"committee-{report.period_kind}-{report.period_start:%Y-%m}-{report.language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _step(request: HttpRequest, pk: str, step: Callable[..., object], done: str) -> HttpResponse:
    """One step of the workflow on a report the user may handle: the service's refusal, or `done`, as a message."""
    user = request_user(request)
    report = committee_report_get(user=user, pk=pk)
    try:
        step(report=report, by=user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("committee:detail", pk=report.pk)
