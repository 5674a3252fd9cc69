"""Downloads of a report: a watermarked PDF (PAdES-signed once approved) or the signed JSON. Every export is
recorded with a unique code and audited; the report is fetched through the read rule first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from liaison.accounts.models import User
from liaison.core.exceptions import DomainError
from liaison.reports.exports import report_export_json, report_export_pdf
from liaison.reports.selectors import report_get


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report_pdf_view(request: HttpRequest, pk: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    report = report_get(user=user, pk=pk, request=request)
    data, export = report_export_pdf(by=user, report=report, request=request)
    return _download(data, "application/pdf", f"report-{export.code}.pdf")


@login_required
def report_json_view(request: HttpRequest, pk: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    report = report_get(user=user, pk=pk, request=request)
    try:
        data, export = report_export_json(by=user, report=report, request=request)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("reports:detail", pk=report.pk)
    return _download(data, "application/json", f"report-{export.code}.json")
