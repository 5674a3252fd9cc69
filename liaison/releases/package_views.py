"""Downloads of what a partner was given: the signed package PDF, the manifest and its detached signature, the
recall message and its signature. The release is fetched through the read rule first (404 when unseen); every
download is audited like an export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.core.exceptions import DomainError
from liaison.releases.package import (
    MANIFEST,
    MANIFEST_SIGNATURE,
    PACKAGE_PDF,
    RECALL,
    RECALL_SIGNATURE,
    Download,
    release_download,
)
from liaison.releases.selectors import release_get


def attachment_response(download: Download) -> HttpResponse:
    response = HttpResponse(download.data, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _download(request: HttpRequest, pk: str, what: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    release = release_get(user=user, pk=pk, request=request)
    try:
        download = release_download(by=user, release=release, what=what, request=request)
    except DomainError as error:  # the stored package failed its integrity check
        context = {"status": 409, "title": _("Download refused"), "message": error.message}
        return render(request, "error.html", context, status=409)
    return attachment_response(download)


@login_required
def package_pdf_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _download(request, pk, PACKAGE_PDF)


@login_required
def package_manifest_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _download(request, pk, MANIFEST)


@login_required
def package_signature_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _download(request, pk, MANIFEST_SIGNATURE)


@login_required
def recall_message_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _download(request, pk, RECALL)


@login_required
def recall_signature_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _download(request, pk, RECALL_SIGNATURE)
