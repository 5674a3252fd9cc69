"""The markings reference, the instance keys and the error pages."""

from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from liaison.core.http import api_error_response, is_api_request


def _error(request: HttpRequest, status: int, title: str, message: str, code: str) -> HttpResponse:
    if is_api_request(request):
        return api_error_response(status, code, message)
    return render(request, "error.html", {"status": status, "title": title, "message": message}, status=status)


def request_too_large(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        413,
        _("Request too large"),
        _("What you sent is larger than this instance accepts. Send a smaller file or less data at once."),
        "request_too_large",
    )


def unsupported_form_body(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        415,
        _("Not a form"),
        _(
            "This page takes a form (application/x-www-form-urlencoded or multipart/form-data). Fill it in from "
            "the page, or use the API under /api/v1/ to send JSON."
        ),
        "unsupported_media_type",
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return request_too_large(request)
    return _error(
        request,
        400,
        _("Bad request"),
        _("The request could not be understood. Go back, reload the page and retry."),
        "bad_request",
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("Not allowed"), _("You are not allowed to do this."), "permission_denied")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return api_error_response(404, "not_found", _("Not found, or not visible to you."))
    return _error(
        request,
        404,
        _("Not found"),
        _("There is nothing here that you can see. Check the address, or go back to the dashboard."),
        "not_found",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if _keys_unavailable(sys.exc_info()[1]):
        return _error(
            request,
            503,
            _("Keys unavailable"),
            _(
                "The instance's keys cannot be used right now (its hardware security module is unreachable or "
                "refused access). Nothing was saved; try again later, and tell the administrator if it lasts."
            ),
            "keys_unavailable",
        )
    return _error(
        request,
        500,
        _("Unexpected error"),
        _("Something went wrong on our side. Nothing was saved; try again."),
        "server_error",
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("Form expired"),
        _("This form expired or your browser blocked its security cookie. Reload the page and submit it again."),
        "csrf_failed",
    )


def _keys_unavailable(exc: BaseException | None) -> bool:
    """Whether the request failed on the key backend's token (the log has the operator's message)."""
    if not isinstance(exc, ImproperlyConfigured):
        return False
    from liaison.keys.hsm import TokenError

    return isinstance(exc, TokenError)


@login_required
def public_key_view(request: HttpRequest) -> HttpResponse:
    """The instance's Ed25519 public key: anyone holding it can check a signed report offline."""
    from liaison.keys.store import get_signer

    response = HttpResponse(get_signer().public_key_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="liaison-instance-ed25519.pub.pem"'
    return response


@login_required
def ca_certificate_view(request: HttpRequest) -> HttpResponse:
    """The instance CA certificate that PDF signatures chain to (add it to a PDF reader's trusted roots)."""
    from liaison.keys.store import ca_cert_path

    response = HttpResponse(ca_cert_path().read_bytes(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="liaison-instance-ca.pem"'
    return response
