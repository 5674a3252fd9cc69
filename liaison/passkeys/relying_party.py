"""Who the instance is to a security key (the WebAuthn relying party: its id and the origins its pages are served
from) and which roles must log in with a key. Read from settings; demo and development derive the relying party
from the host that served the page, production from its settings or, failing those, from LIAISON_BASE_URL.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

from liaison.accounts.models import User


def _demo_or_debug() -> bool:
    return bool(settings.DEMO or settings.DEBUG)


def rp_id(request: HttpRequest) -> str:
    """The relying party id: a domain name the origins belong to (never an address, never a port)."""
    if settings.LIAISON_WEBAUTHN_RP_ID:
        return str(settings.LIAISON_WEBAUTHN_RP_ID)
    if _demo_or_debug():
        return urlsplit("//" + request.get_host()).hostname or ""
    return urlsplit(settings.LIAISON_BASE_URL).hostname or ""


def origins(request: HttpRequest) -> list[str]:
    """The origins a response may come from: a page of this instance, as the browser names it."""
    if settings.LIAISON_WEBAUTHN_ORIGINS:
        return [str(origin).rstrip("/") for origin in settings.LIAISON_WEBAUTHN_ORIGINS]
    if _demo_or_debug():
        return [f"{request.scheme}://{request.get_host()}"]
    parts = urlsplit(settings.LIAISON_BASE_URL)
    return [f"{parts.scheme}://{parts.netloc}"]


def rp_name() -> str:
    return str(settings.LIAISON_ORGANISATION)


def is_address(host: str) -> bool:
    """An IP address cannot be a relying party id: the browser refuses keys on such a page."""
    return ":" in host or host.replace(".", "").isdigit()


def key_required(user: User) -> bool:
    """Whether the user's roles oblige them to log in with a security key (LIAISON_KEY_REQUIRED_ROLES)."""
    required = set(settings.LIAISON_KEY_REQUIRED_ROLES)
    return bool(required & user.role_codes())


def second_step(user: User) -> str:
    """The URL name of the login step that follows the password for `user`: their key when they hold one; for a
    role that requires a key and has none yet, the code (if enrolled) and then the enrolment of a key; otherwise the
    authenticator app's code, or its enrolment."""
    from liaison.passkeys.selectors import has_active_key

    if has_active_key(user):
        return "passkeys:login"
    if key_required(user):
        return "accounts:second_factor" if user.has_second_factor else "passkeys:login_enrol"
    return "accounts:second_factor" if user.has_second_factor else "accounts:enrol"


def code_allowed(user: User) -> bool:
    """Whether an authenticator app's code may be the second step: the user has one enrolled, and their role does not
    require the key they hold (a code is phishable; once such a user has a key, only the key opens a session)."""
    from liaison.passkeys.selectors import has_active_key

    return user.has_second_factor and not (key_required(user) and has_active_key(user))
