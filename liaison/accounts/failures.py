"""Failed authentications, counted in the database so that every server process shares one count: per client
address (past `LIAISON_AUTH_MAX_FAILURES_PER_ADDRESS` in a window, the address is refused with 429 until the window
ends, before any credential is checked) and per account or unknown login name (unknown names lock like accounts).

The audit log gets the first failure of each address's window with its usual detail, one entry when an address is
throttled, and, once a window has closed, one summary of everything it counted. A flood of bad credentials from one
address therefore adds a few entries per window instead of one per attempt, and the evidence stays: who was tried
first, when the throttle started, how many attempts the window counted and over which period.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from liaison.accounts.models import AuthFailureScope, AuthFailureWindow, User
from liaison.audit.events import AuditEvent
from liaison.audit.services import client_ip, record
from liaison.core.exceptions import DomainError

# Closed windows one authentication event summarises on its way; `liaison audit summarise-failures` does the rest.
LAZY_SUMMARY_BATCH = 20


class AuthThrottled(DomainError):
    """Too many failures came from the client's address in the current window: refused without any check.
    `retry_after` is the number of seconds until the window ends."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def window_bounds(moment: datetime) -> tuple[datetime, datetime]:
    """The fixed window holding `moment`: every process computes the same bounds, so they count on the same row."""
    length = settings.LIAISON_AUTH_WINDOW_SECONDS
    start = int(moment.timestamp()) // length * length
    return datetime.fromtimestamp(start, tz=UTC), datetime.fromtimestamp(start + length, tz=UTC)


def login_name_key(username: str) -> str:
    """The key under which an unknown login name counts: keyed with the instance secret, so that the table does not
    hold the names people typed and a copy of it cannot be matched against a list of names."""
    return "name:" + salted_hmac("liaison.accounts.login-name", username, algorithm="sha256").hexdigest()


def minutes_left(until: datetime, now: datetime) -> int:
    """Whole minutes until `until`, rounded up, at least one: what a lock message tells the user to wait."""
    return max(1, math.ceil((until - now).total_seconds() / 60))


def address_throttle_check(*, request: HttpRequest | None) -> None:
    """Refuse straight away when the client's address is past its failure limit in the current window. Reads one
    row and writes nothing: a throttled attempt costs no audit entry and no credential check."""
    now = timezone.now()
    started, ends = window_bounds(now)
    is_throttled = AuthFailureWindow.objects.filter(
        scope=AuthFailureScope.ADDRESS,
        key=client_ip(request),
        started_at=started,
        failures__gt=settings.LIAISON_AUTH_MAX_FAILURES_PER_ADDRESS,
    ).exists()
    if is_throttled:
        local_end = timezone.localtime(ends)
        raise AuthThrottled(
            _(
                "Too many failed attempts came from your network address, so it is paused. Try again after "
                "%(time)s; your account is not locked by this."
            )
            % {"time": date_format(local_end, "H:i" if local_end.second == 0 else "H:i:s")},
            retry_after=max(1, math.ceil((ends - now).total_seconds())),
        )


def _bump(*, scope: str, key: str, user: User | None, now: datetime) -> AuthFailureWindow:
    """Add one failure to the window of (scope, key) holding `now`: a conditional UPDATE with F(), or the insert of
    the window's first failure. When another process inserted the row first, the unique constraint refuses ours and
    the failure goes to theirs. Call inside a transaction: the row stays locked until it ends, so the count read
    back is the one this failure made."""
    started, ends = window_bounds(now)
    current = AuthFailureWindow.objects.filter(scope=scope, key=key, started_at=started)
    if not current.update(failures=F("failures") + 1, last_failure_at=now):
        try:
            with transaction.atomic():
                return AuthFailureWindow.objects.create(
                    scope=scope, key=key, user=user, started_at=started, ends_at=ends, failures=1, last_failure_at=now
                )
        except IntegrityError:
            current.update(failures=F("failures") + 1, last_failure_at=now)
    return current.get()


def auth_failure_record(
    *,
    request: HttpRequest | None,
    event: AuditEvent,
    target: Model | None = None,
    extra: dict[str, Any] | None = None,
    user: User | None = None,
    login_name: str | None = None,
) -> AuthFailureWindow | None:
    """Count one failed authentication against the client's address and, when given, against `user` or the unknown
    `login_name`. The address's first failure of the window is audited as `event`; the failure that takes the
    address past its limit starts the throttle, audited once; the others are only counted. Returns the account's
    window, if one was counted."""
    now = timezone.now()
    address = client_ip(request)
    with transaction.atomic():
        window = _bump(scope=AuthFailureScope.ADDRESS, key=address, user=None, now=now)
        account_window = None
        if user is not None:
            account_window = _bump(scope=AuthFailureScope.ACCOUNT, key=str(user.pk), user=user, now=now)
        elif login_name is not None:
            account_window = _bump(scope=AuthFailureScope.ACCOUNT, key=login_name_key(login_name), user=None, now=now)
        if window.failures == 1:
            record(actor=None, event=event, target=target, extra=extra, request=request)
        if window.failures > settings.LIAISON_AUTH_MAX_FAILURES_PER_ADDRESS:
            _throttle_start(window, request, now)
    return account_window


def _throttle_start(window: AuthFailureWindow, request: HttpRequest | None, now: datetime) -> None:
    """One `login.throttled` entry per window, whoever crosses the limit first (conditional UPDATE)."""
    claimed = AuthFailureWindow.objects.filter(pk=window.pk, throttled_at__isnull=True).update(throttled_at=now)
    if claimed:
        record(
            actor=None,
            event=AuditEvent.LOGIN_THROTTLED,
            extra={
                "address": window.key,
                "failures": window.failures,
                "window_start": window.started_at.isoformat(),
                "window_end": window.ends_at.isoformat(),
            },
            request=request,
        )


def login_name_locked_minutes(*, username: str) -> int:
    """Minutes left on the lock of an unknown login name, 0 when it is not locked."""
    now = timezone.now()
    until = (
        AuthFailureWindow.objects.filter(
            scope=AuthFailureScope.ACCOUNT, key=login_name_key(username), locked_until__gt=now
        )
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    return minutes_left(until, now) if until else 0


def login_name_failure(*, request: HttpRequest | None, username: str) -> int:
    """An unknown login name failed: counted like an account's failure (audited as `login.failed` when it is the
    address's first of the window). At `LIAISON_LOCKOUT_THRESHOLD` failures in a row (since the name's last lock)
    the name locks for `LIAISON_LOCKOUT_MINUTES`, as an account would. Returns the minutes of the lock it started,
    or 0."""
    with transaction.atomic():
        window = auth_failure_record(
            request=request, event=AuditEvent.LOGIN_FAILED, extra={"username": username[:80]}, login_name=username
        )
        assert window is not None
        rows = AuthFailureWindow.objects.filter(scope=AuthFailureScope.ACCOUNT, key=window.key)
        last_lock = (
            rows.filter(locked_until__isnull=False).order_by("-started_at").values_list("started_at", flat=True).first()
        )
        since_lock = rows.filter(started_at__gt=last_lock) if last_lock else rows
        in_a_row = since_lock.aggregate(n=Sum("failures"))["n"] or 0
        if in_a_row < settings.LIAISON_LOCKOUT_THRESHOLD:
            return 0
        rows.filter(pk=window.pk).update(
            locked_until=timezone.now() + timedelta(minutes=settings.LIAISON_LOCKOUT_MINUTES)
        )
    return int(settings.LIAISON_LOCKOUT_MINUTES)


def failure_windows_summarise(*, limit: int | None = None) -> int:
    """Close the windows that have ended: one `login.failures_summarised` entry for each window that counted more
    than one failure; a window with a single failure needs none (that failure has its own entry, or is counted in
    its address's summary). Each window is claimed by a conditional UPDATE, so two processes never summarise the
    same one. Returns the number of summaries written."""
    now = timezone.now()
    closed = AuthFailureWindow.objects.filter(ends_at__lte=now, summarised_at__isnull=True).order_by("ends_at", "pk")
    found = list(closed.values_list("pk", "failures")[:limit] if limit else closed.values_list("pk", "failures"))
    if not found:
        return 0  # the usual case: one indexed read, no write
    singles = [pk for pk, failures in found if failures <= 1]
    if singles:
        AuthFailureWindow.objects.filter(pk__in=singles, summarised_at__isnull=True).update(summarised_at=now)
    written = 0
    pending = [pk for pk, failures in found if failures > 1]
    for window in AuthFailureWindow.objects.filter(pk__in=pending).select_related("user").order_by("ends_at", "pk"):
        with transaction.atomic():
            claimed = AuthFailureWindow.objects.filter(pk=window.pk, summarised_at__isnull=True).update(
                summarised_at=now
            )
            if claimed:
                _summary_record(window)
                written += 1
    return written


def _summary_record(window: AuthFailureWindow) -> None:
    extra: dict[str, Any] = {
        "scope": window.scope,
        "failures": window.failures,
        "window_start": window.started_at.isoformat(),
        "window_end": window.ends_at.isoformat(),
        "last_failure": window.last_failure_at.isoformat(),
    }
    if window.scope == AuthFailureScope.ADDRESS:
        extra["address"] = window.key
        extra["throttled_at"] = window.throttled_at.isoformat() if window.throttled_at else None
    elif window.is_unknown_name:
        extra["login_name_key"] = window.key
    record(
        actor=None,
        event=AuditEvent.LOGIN_FAILURES_SUMMARISED,
        target=window.user,
        extra=extra,
        ip=window.key if window.scope == AuthFailureScope.ADDRESS else "",
    )


def failure_windows_prune(*, keep_days: int) -> int:
    """Delete summarised windows that ended more than `keep_days` ago (the audit log keeps their evidence)."""
    cutoff = timezone.now() - timedelta(days=keep_days)
    deleted, _by_model = AuthFailureWindow.objects.filter(summarised_at__isnull=False, ends_at__lt=cutoff).delete()
    return deleted
