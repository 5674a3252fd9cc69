"""Reads about security keys: a user's keys, the factor each account holds, and the share of accounts with a
phishing-resistant factor (an indicator of the cybersecurity office)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from liaison.accounts.models import User
from liaison.passkeys.models import SecurityKey

ACTIVE_KEYS = Q(security_keys__revoked_at__isnull=True)


def key_list_for_user(*, user: User) -> QuerySet[SecurityKey]:
    """The user's keys still in force, oldest first (public key not loaded)."""
    return SecurityKey.objects.filter(user=user, revoked_at__isnull=True).defer("public_key").order_by("created_at")


def key_get_for_user(*, user: User, pk: str) -> SecurityKey | None:
    return key_list_for_user(user=user).filter(pk=pk).first()


def has_active_key(user: User) -> bool:
    return SecurityKey.objects.filter(user=user, revoked_at__isnull=True).exists()


def with_key_count(users: QuerySet[User]) -> QuerySet[User]:
    """`users` annotated with `key_count`, the number of keys in force, in the same query."""
    return users.annotate(key_count=Count("security_keys", filter=ACTIVE_KEYS, distinct=True))


def factor_of(user: User) -> str:
    """ "key", "totp" or "none": the strongest second factor the user holds (uses `key_count` when annotated)."""
    count = getattr(user, "key_count", None)
    if count is None:
        count = int(has_active_key(user))
    if count:
        return "key"
    return "totp" if user.has_second_factor else "none"


@dataclass(frozen=True)
class FactorSummary:
    accounts: int
    with_key: int
    with_totp_only: int
    without_factor: int

    @property
    def phishing_resistant_share(self) -> float:
        """The share (0 to 1) of active accounts that hold a security key; 0 when there is no account."""
        return self.with_key / self.accounts if self.accounts else 0.0


def factor_summary() -> FactorSummary:
    """How the active accounts stand on the second factor, in one query."""
    has_key = Q(pk__in=SecurityKey.objects.filter(revoked_at__isnull=True).values("user_id"))
    counts = User.objects.filter(is_active=True).aggregate(
        accounts=Count("pk"),
        with_key=Count("pk", filter=has_key),
        with_totp_only=Count("pk", filter=~has_key & Q(totp_confirmed_at__isnull=False)),
    )
    return FactorSummary(
        accounts=counts["accounts"],
        with_key=counts["with_key"],
        with_totp_only=counts["with_totp_only"],
        without_factor=counts["accounts"] - counts["with_key"] - counts["with_totp_only"],
    )


def phishing_resistant_share() -> float:
    """The share of active accounts with a phishing-resistant factor (a security key or passkey)."""
    return factor_summary().phishing_resistant_share
