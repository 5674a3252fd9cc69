"""Federal partner accounts are outsiders: they read the advisories sent to their administration and acknowledge
them, and nothing else of the product exists for them (404). The rest of the product gates pages for any signed-in
user, so the confinement is one rule here rather than a test in every view."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from liaison.accounts.models import RoleCode

# What a federal partner account may reach: its advisories page and acknowledgements, the CSAF provider location,
# logging in and out with its second factor, its profile, the language switch and static files.
PARTNER_PATHS = (
    "/advisories/mine/",
    "/advisories/sent/",
    "/.well-known/csaf/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/profile/",
    "/accounts/keys/",
    "/i18n/",
    "/static/",
)


def is_partner_only(user: object) -> bool:
    """Whether `user` is a federal partner account holding no other role."""
    if not getattr(user, "is_authenticated", False):
        return False
    # role_codes() is cached on the user for the request: the navigation and the gates reuse it.
    return bool(user.role_codes() == {RoleCode.FEDERAL_PARTNER})  # type: ignore[attr-defined]


class FederalPartnerConfinementMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_partner_only(request.user) and not request.path.startswith(PARTNER_PATHS):
            if request.path == "/":
                return redirect("advisories:mine")
            raise Http404
        return self.get_response(request)
