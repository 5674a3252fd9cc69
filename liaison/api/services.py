"""Writes and checks on personal API tokens: creation (the raw token is returned once, only its hash is kept),
revocation by its owner, and the check each API request makes."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import NoReturn

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.failures import (
    LAZY_SUMMARY_BATCH,
    address_throttle_check,
    auth_failure_record,
    failure_windows_summarise,
)
from liaison.accounts.models import User
from liaison.api.models import PREFIX_LENGTH, ApiToken
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.exceptions import Conflict, DomainError, PolicyRefusal

# How stale `last_used_at` may be: one write a minute at most, however busy the token.
LAST_USED_PRECISION = timedelta(minutes=1)
NAME_MAX_LENGTH = 100


class TokenRefused(DomainError):
    """The token in a request cannot authenticate it; the message says why and what to do."""


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token acting as `user`. The raw token is returned here and never again: only its hash is stored."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name that says what it is for."))
    if len(name) > NAME_MAX_LENGTH:
        raise DomainError(_("Keep the token name under %(max)d characters.") % {"max": NAME_MAX_LENGTH})
    if not user.is_active:
        raise PolicyRefusal("account", _("This account is inactive."))
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_prefix=raw[:PREFIX_LENGTH], key_hash=token_hash(raw))
        record(
            actor=user,
            event=AuditEvent.OBJECT_CREATED,
            target=token,
            extra={"prefix": token.key_prefix, "expires_at": token.expires_at.isoformat()},
        )
    return token, raw


def api_token_revoke(*, by: User, token: ApiToken) -> ApiToken:
    """Revoke a token; only its owner does. A revoked token never authenticates again."""
    if by.pk != token.user_id:
        raise PolicyRefusal("owner", _("Only the owner of a token revokes it."))
    if token.revoked_at is not None:
        raise Conflict(_("This token is already revoked."))
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        record(actor=by, event=AuditEvent.OBJECT_CHANGED, target=token, extra={"revoked": True})
    return token


def _refuse(request: HttpRequest | None, message: str, token: ApiToken | None = None, reason: str = "") -> NoReturn:
    """Count the failure against the address and, for a token that exists, against its account (not when the
    account's lock is the reason: that is no guess at it). Audited when it is the address's first of the window."""
    extra = {"method": "api-token", "reason": reason}
    if token is not None:
        extra["prefix"] = token.key_prefix
    account = token.user if token is not None and reason != "locked" else None
    auth_failure_record(request=request, event=AuditEvent.LOGIN_FAILED, target=token, extra=extra, user=account)
    failure_windows_summarise(limit=LAZY_SUMMARY_BATCH)
    raise TokenRefused(message)


def api_token_authenticate(*, raw: str, request: HttpRequest | None = None) -> tuple[User, ApiToken]:
    """The user a raw token acts as. An address past its failure limit is refused first (`AuthThrottled`), before
    the token is looked up. Unknown, revoked and expired tokens and inactive or locked accounts are refused (and
    counted, see `accounts.failures`); the token's last use is recorded at most once a minute."""
    address_throttle_check(request=request)
    token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(raw)).first()
    if token is None:
        _refuse(request, _("Invalid token. Check it, or create a new one from your API tokens page."), reason="unknown")
    if token.is_revoked:
        _refuse(
            request, _("This token has been revoked. Create a new one from your API tokens page."), token, "revoked"
        )
    if token.is_expired:
        _refuse(request, _("This token has expired. Create a new one from your API tokens page."), token, "expired")
    user = token.user
    if not user.is_active:
        _refuse(request, _("The account of this token is inactive."), token, "inactive")
    if user.is_locked:
        _refuse(request, _("The account of this token is locked. Ask an administrator to unlock it."), token, "locked")
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        # Conditional update: concurrent requests write at most once per minute between them.
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION)
        ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    failure_windows_summarise(limit=LAZY_SUMMARY_BATCH)
    return user, token
