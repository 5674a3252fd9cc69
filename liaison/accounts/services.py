"""Account actions: the two login steps with lockout, second-factor enrolment and checks, user creation, audited
reveal of a civil identity, unlocking. Every action writes its audit entry in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import available_timezones

import pyotp
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.failures import (
    LAZY_SUMMARY_BATCH,
    address_throttle_check,
    auth_failure_record,
    failure_windows_summarise,
    login_name_failure,
    login_name_locked_minutes,
    minutes_left,
)
from liaison.accounts.models import Role, RoleCode, Service, User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.crypto import seal, unseal
from liaison.core.exceptions import Conflict, DomainError, PolicyRefusal
from liaison.passkeys.relying_party import code_allowed
from liaison.policy.models import ClassificationLevel, Compartment, Zone

TOTP_PURPOSE = "totp-secret"
JUSTIFICATION_MIN_LENGTH = 20


class LoginRefused(DomainError):
    pass


def _bad_credentials() -> LoginRefused:
    return LoginRefused(_("Wrong login name or password. Check both and try again."))


def _locked_for(minutes: int) -> LoginRefused:
    return LoginRefused(
        _(
            "This account is locked after repeated failures. Try again in %(minutes)d minutes, "
            "or ask an administrator to unlock it."
        )
        % {"minutes": minutes}
    )


def _locked(user: User) -> LoginRefused:
    now = timezone.now()
    return _locked_for(minutes_left(user.locked_until or now, now))


def _unknown_name_refusal(request: HttpRequest, username: str) -> LoginRefused:
    """Unknown names lock like real accounts, counted in the shared failure table (not per process), so the lock
    message does not tell which names exist."""
    minutes = login_name_locked_minutes(username=username)
    if minutes:
        auth_failure_record(request=request, event=AuditEvent.LOGIN_REFUSED_LOCKED, extra={"username": username[:80]})
        return _locked_for(minutes)
    minutes = login_name_failure(request=request, username=username)
    return _locked_for(minutes) if minutes else _bad_credentials()


def _count_failure(user: User, request: HttpRequest | None, event: AuditEvent) -> None:
    """One more failure in a row; at the threshold the account locks for a while. The failure is counted against
    the address and the account (audited when it is the address's first of the window); a lock is always audited."""
    user.failed_logins += 1
    auth_failure_record(request=request, event=event, target=user, extra={"failures": user.failed_logins}, user=user)
    if user.failed_logins >= settings.LIAISON_LOCKOUT_THRESHOLD:
        user.locked_until = timezone.now() + timedelta(minutes=settings.LIAISON_LOCKOUT_MINUTES)
        user.failed_logins = 0
        record(actor=None, event=AuditEvent.LOGIN_LOCKED, target=user, request=request)
    user.save(update_fields=["failed_logins", "locked_until"])


def login_check_password(*, request: HttpRequest, username: str, password: str) -> User:
    """First step: the password. Failures count towards the lockout; the answer never says which part was wrong.
    An address past its failure limit is refused first (`AuthThrottled`), without looking at the credentials."""
    address_throttle_check(request=request)
    refusal: LoginRefused | None = None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            make_password(password)  # same work as a real check, so timing does not reveal unknown names
            refusal = _unknown_name_refusal(request, username)
        elif user.is_locked:
            # A refusal because of the lock counts against the address only: it is not a guess at the account.
            auth_failure_record(request=request, event=AuditEvent.LOGIN_REFUSED_LOCKED, target=user)
            refusal = _locked(user)
        elif not (user.check_password(password) and user.is_active):
            _count_failure(user, request, AuditEvent.LOGIN_FAILED)
            refusal = _locked(user) if user.is_locked else _bad_credentials()
    if refusal is not None:
        failure_windows_summarise(limit=LAZY_SUMMARY_BATCH)
        raise refusal
    assert user is not None
    return user


def second_factor_required(user: User) -> bool:
    return not (settings.DEMO and user.is_demo)


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, issuer=settings.LIAISON_TOTP_ISSUER)


def _matching_step(secret: str, code: str, after_step: int) -> int | None:
    """The time step (±1 for clock drift) whose code is `code`, if later than any code already used."""
    code = code.strip().replace(" ", "")
    totp = _totp(secret)
    now_step = totp.timecode(timezone.now())
    for step in (now_step - 1, now_step, now_step + 1):
        if step > after_step and totp.generate_otp(step) == code:
            return step
    return None


def totp_new_secret() -> str:
    return pyotp.random_base32()


def totp_provisioning_uri(user: User, secret: str) -> str:
    return _totp(secret).provisioning_uri(name=user.username)


def second_factor_check(*, request: HttpRequest, user: User, code: str) -> None:
    """Second step: a TOTP code, each usable once. Failures count towards the same lockout as passwords, and
    against the address like any failed authentication."""
    address_throttle_check(request=request)
    refusal: LoginRefused | None = None
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_locked:
            refusal = _locked(user)
        elif not user.has_second_factor:
            refusal = LoginRefused(_("No second factor is enrolled for this account."))
        elif not code_allowed(user):
            record(actor=None, event=AuditEvent.SECOND_FACTOR_KEY_REQUIRED, target=user, request=request)
            refusal = LoginRefused(_("Your role requires your security key: codes are not accepted. Use your key."))
        else:
            step = _matching_step(unseal(user.totp_secret_sealed, purpose=TOTP_PURPOSE), code, user.totp_last_step)
            if step is None:
                _count_failure(user, request, AuditEvent.SECOND_FACTOR_FAILED)
                refusal = (
                    _locked(user)
                    if user.is_locked
                    else LoginRefused(
                        _("That code is not valid. Enter the current 6-digit code from your authenticator app.")
                    )
                )
            else:
                user.totp_last_step = step
                user.save(update_fields=["totp_last_step"])
    if refusal is not None:
        failure_windows_summarise(limit=LAZY_SUMMARY_BATCH)
        raise refusal


def second_factor_enroll(*, request: HttpRequest, user: User, secret: str, code: str) -> None:
    """Enrol a TOTP secret once the user proves their app produces its codes."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.has_second_factor:
            raise Conflict(_("A second factor is already enrolled; ask an administrator to reset it."))
        step = _matching_step(secret, code, 0)
        if step is None:
            raise DomainError(_("That code does not match. Check the clock of your device and enter the current code."))
        user.totp_secret_sealed = seal(secret, purpose=TOTP_PURPOSE)
        user.totp_confirmed_at = timezone.now()
        user.totp_last_step = step
        user.save(update_fields=["totp_secret_sealed", "totp_confirmed_at", "totp_last_step"])
        record(actor=user, event=AuditEvent.SECOND_FACTOR_ENROLLED, target=user, request=request)


def login_complete(*, request: HttpRequest, user: User, factor: str = "") -> None:
    """Open the session of a user who passed both steps; their failures in a row start again from zero. Failure
    windows that have closed meanwhile are summarised on the way. `factor` ("key", "totp") goes to the audit entry."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None, last_login=timezone.now())
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session["authenticated_at"] = timezone.now().isoformat()
        record(
            actor=user,
            event=AuditEvent.LOGIN_SUCCEEDED,
            target=user,
            # The browser's own description, for the anomaly rule on an administrator's new device.
            extra={
                "second_factor": second_factor_required(user),
                "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
            }
            | ({"factor": factor} if factor else {}),
            request=request,
        )
    failure_windows_summarise(limit=LAZY_SUMMARY_BATCH)


def user_create(
    *,
    username: str,
    alias: str,
    password: str | None,
    service: Service | None,
    roles: Iterable[str],
    clearance: ClassificationLevel | None,
    compartments: Iterable[Compartment] = (),
    zones: Iterable[Zone] = (),
    civil_first_name: str = "",
    civil_last_name: str = "",
    is_demo: bool = False,
    by: User | None,
) -> User:
    """Create a user; the clearance must be a level of the national scheme."""
    if clearance is not None and not clearance.scheme.is_national:
        raise DomainError(_("A clearance must be a level of the national classification scheme."))
    wanted = set(roles)
    role_objects = list(Role.objects.filter(code__in=wanted))
    unknown = wanted - {role.code for role in role_objects}
    if unknown:
        raise DomainError(_("Unknown role(s): %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            alias=alias,
            service=service,
            clearance=clearance,
            civil_first_name=civil_first_name,
            civil_last_name=civil_last_name,
            is_demo=is_demo,
        )
        user.roles.set(role_objects)
        user.compartments.set(list(compartments))
        user.zones.set(list(zones))
        record(
            actor=by, event=AuditEvent.USER_CREATED, target=user, extra={"roles": sorted(r.code for r in role_objects)}
        )
    return user


@dataclass(frozen=True)
class CivilIdentity:
    first_name: str
    last_name: str


def identity_reveal(*, target: User, by: User, justification: str, request: HttpRequest | None = None) -> CivilIdentity:
    """Reveal a civil identity to an administrator who states why; the justification goes to the audit log."""
    if not by.has_role(RoleCode.ADMINISTRATOR):
        raise PolicyRefusal("identity_reveal", _("Only an administrator can reveal a civil identity."))
    justification = justification.strip()
    if len(justification) < JUSTIFICATION_MIN_LENGTH:
        raise DomainError(
            _("Give a justification of at least %(n)d characters: it is recorded in the audit log.")
            % {"n": JUSTIFICATION_MIN_LENGTH}
        )
    with transaction.atomic():
        record(
            actor=by,
            event=AuditEvent.IDENTITY_REVEALED,
            target=target,
            extra={"justification": justification[:500]},
            request=request,
        )
    return CivilIdentity(target.civil_first_name, target.civil_last_name)


def user_unlock(*, target: User, by: User, request: HttpRequest | None = None) -> User:
    if not by.has_role(RoleCode.ADMINISTRATOR):
        raise PolicyRefusal("administration", _("Only an administrator can unlock an account."))
    with transaction.atomic():
        target.failed_logins = 0
        target.locked_until = None
        target.save(update_fields=["failed_logins", "locked_until"])
        record(actor=by, event=AuditEvent.USER_UNLOCKED, target=target, request=request)
    return target


def password_confirm(*, request: HttpRequest, user: User, password: str) -> None:
    """A logged-in user confirms a sensitive change with their password; a wrong one counts towards the lockout."""
    address_throttle_check(request=request)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.check_password(password):
            return
        _count_failure(user, request, AuditEvent.LOGIN_FAILED)
    raise LoginRefused(_("That is not your password. Enter the password you log in with."))


def user_reset_second_factor(*, target: User, by: User, request: HttpRequest | None = None) -> User:
    """Forget a user's TOTP secret and revoke their security keys (lost or replaced devices); they enrol a new
    factor at their next login."""
    if not by.has_role(RoleCode.ADMINISTRATOR):
        raise PolicyRefusal("administration", _("Only an administrator can reset a second factor."))
    with transaction.atomic():
        target.totp_secret_sealed = ""
        target.totp_confirmed_at = None
        target.totp_last_step = 0
        target.save(update_fields=["totp_secret_sealed", "totp_confirmed_at", "totp_last_step"])
        keys = target.security_keys.filter(revoked_at__isnull=True)
        revoked = keys.update(revoked_at=timezone.now(), revoked_by=by)
        record(
            actor=by,
            event=AuditEvent.SECOND_FACTOR_RESET,
            target=target,
            extra={"keys_revoked": revoked},
            request=request,
        )
    return target


def user_set_preferences(*, user: User, theme: str, time_zone: str) -> User:
    """The user's display preferences: theme and the time zone dates are shown and entered in."""
    if time_zone and time_zone not in available_timezones():
        raise DomainError(_("Unknown time zone: choose one from the list (for example Europe/Paris)."))
    with transaction.atomic():
        changed = [f for f, v in (("theme", theme), ("time_zone", time_zone)) if getattr(user, f) != v]
        user.theme = theme
        user.time_zone = time_zone
        user.save(update_fields=["theme", "time_zone"])
        record(actor=user, event=AuditEvent.USER_CHANGED, target=user, extra={"fields": changed})
    return user
