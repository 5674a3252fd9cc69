from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet

from liaison.accounts.models import AuthFailureScope, AuthFailureWindow, User
from liaison.passkeys.selectors import with_key_count

WINDOW_FIELDS = (
    "scope",
    "key",
    "user",
    "started_at",
    "ends_at",
    "failures",
    "last_failure_at",
    "throttled_at",
    "locked_until",
    "summarised_at",
)


def user_list_for_administration() -> QuerySet[User]:
    """Every account with what an administrator manages, and the number of security keys each holds
    (`key_count`); the civil identity is deliberately not loaded."""
    return (
        with_key_count(User.objects.all())
        .select_related("service", "clearance__scheme")
        .prefetch_related("roles", "compartments")
        .defer("civil_first_name", "civil_last_name")
        .order_by("alias")
    )


def auth_failure_window_list() -> QuerySet[AuthFailureWindow]:
    """Windows of failed authentications, newest first and, within a window, the most failures first; with the
    alias of the account a window counts against (its civil identity is not loaded)."""
    return (
        AuthFailureWindow.objects.select_related("user")
        .only(*WINDOW_FIELDS, "user__alias")
        .order_by("-started_at", "-failures", "scope", "key")
    )


def throttled_address_list(*, now: datetime) -> QuerySet[AuthFailureWindow]:
    """The addresses refused right now: their current window is past the failure limit."""
    return (
        AuthFailureWindow.objects.filter(
            scope=AuthFailureScope.ADDRESS,
            ends_at__gt=now,
            started_at__lte=now,
            failures__gt=settings.LIAISON_AUTH_MAX_FAILURES_PER_ADDRESS,
        )
        .only(*WINDOW_FIELDS)
        .order_by("-throttled_at", "key")
    )
