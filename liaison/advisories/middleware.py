"""Federal partner accounts are outsiders: they read the advisories sent to their administration and acknowledge
them, and nothing else of the product exists for them (404). The rest of the product gates pages for any signed-in
user, so the confinement is one rule here rather than a test in every view."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from liaison.policy.security_office import PARTNER_PATHS, is_partner_only


class FederalPartnerConfinementMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_partner_only(request.user) and not request.path.startswith(PARTNER_PATHS):
            if request.path == "/":
                return redirect("advisories:mine")
            raise Http404
        return self.get_response(request)
