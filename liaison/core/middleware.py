"""Response headers that every page carries: a strict Content-Security-Policy and a no-store cache policy.

The platform runs on closed networks: nothing is loaded from anywhere but the instance, no inline script runs.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from liaison.core.http import is_api_request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), usb=()")
        if not request.path.startswith("/static/"):
            # Protected pages must not linger in shared caches or the browser's back-forward cache.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


# Set in the WSGI environ by `liaison serve` when the server refused a body over its limit without reading it.
REQUEST_TOO_LARGE = "liaison.request_too_large"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "")


class RequestShapeMiddleware:
    """Answers, in the product's words and the reader's language, requests that no page can take: a body the server
    refused as too large, and a body that is not a form posted to a page (a JSON body there used to come back as a
    blank form with no message). The API under /api/v1/ reads JSON and answers its own errors in JSON."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from liaison.core import views

        if request.META.get(REQUEST_TOO_LARGE):
            return views.request_too_large(request)
        if (
            request.method in ("POST", "PUT", "PATCH")
            and not is_api_request(request)
            and request.content_type not in FORM_CONTENT_TYPES
        ):
            return views.unsupported_form_body(request)
        return self.get_response(request)
