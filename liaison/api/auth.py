"""`Authorization: Token <raw>`: the request runs as the token's user, through the same policy as their pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.request import Request

from liaison.accounts.failures import AuthThrottled
from liaison.accounts.models import User
from liaison.api.models import ApiToken
from liaison.api.services import TokenRefused, api_token_authenticate

KEYWORD = "Token"


class AuthenticationThrottled(Throttled):
    """429 for an address past its failure limit: DRF's exception handler adds `Retry-After` from `wait`."""

    def __init__(self, refusal: AuthThrottled) -> None:
        super().__init__(detail=refusal.message)  # no `wait` here: the message already says when to come back
        self.wait = refusal.retry_after


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # not ours: session authentication may still apply
        if len(parts) != 2:
            raise AuthenticationFailed(_("Invalid token header: send exactly 'Authorization: Token <token>'."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Invalid token header: the token has characters a token never has.")) from None
        try:
            return api_token_authenticate(raw=raw, request=request._request)
        except AuthThrottled as refusal:
            raise AuthenticationThrottled(refusal) from None
        except TokenRefused as refusal:
            raise AuthenticationFailed(refusal.message) from None

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (with WWW-Authenticate) rather than 403 to requests without credentials.
        return KEYWORD
