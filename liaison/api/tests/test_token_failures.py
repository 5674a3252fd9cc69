"""Refused API tokens: counted per address and per account in the shared table, throttled with 429 past the limit,
and aggregated in the audit log instead of one entry per request."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.test import Client, override_settings

from liaison.accounts.models import AuthFailureScope, AuthFailureWindow, User
from liaison.api.models import ApiToken
from liaison.api.services import api_token_create, api_token_revoke
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.testing.cast import Cast
from liaison.testing.clock import Clock

PARTNERS = "/api/v1/partners/"
ATTACKER, OFFICE = "10.66.0.1", "10.20.0.7"
BOGUS = {"Authorization": "Token this-token-was-never-issued"}


def get(client: Client, headers: dict[str, str], address: str) -> Any:
    return client.get(PARTNERS, headers=headers, REMOTE_ADDR=address)


def flood(client: Client, times: int, address: str = ATTACKER) -> list[int]:
    return [get(client, BOGUS, address).status_code for _ in range(times)]


def token_headers(user: User) -> dict[str, str]:
    _token, raw = api_token_create(user=user, name="script")
    return {"Authorization": f"Token {raw}"}


def state() -> tuple[list[Any], list[Any]]:
    """Everything a refused request could write: audit entries and failure windows."""
    entries = list(AuditEntry.objects.order_by("seq").values_list("seq", "hash"))
    windows = list(AuthFailureWindow.objects.order_by("pk").values())
    return entries, windows


def test_a_thousand_bogus_tokens_add_a_bounded_number_of_audit_entries_and_end_in_429(
    cast: Cast, client: Client, clock: Clock
) -> None:
    before = AuditEntry.objects.count()
    statuses = flood(client, 1000)
    assert statuses[:21] == [401] * 21  # up to the limit (20), and the failure that crosses it, are checked
    assert set(statuses[21:]) == {429}
    clock.next_window()
    call_command("audit", "summarise-failures")
    added = list(AuditEntry.objects.filter(seq__gt=before).order_by("seq").values_list("event", flat=True))
    assert added == [AuditEvent.LOGIN_FAILED, AuditEvent.LOGIN_THROTTLED, AuditEvent.LOGIN_FAILURES_SUMMARISED]
    assert len(added) <= 5


def test_a_throttled_request_gets_retry_after_and_a_clear_message(cast: Cast, client: Client, clock: Clock) -> None:
    flood(client, 21)
    clock.advance(60)
    response = get(client, BOGUS, ATTACKER)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 300 - 61  # seconds to the end of the window
    assert "Too many failed attempts came from your network address" in response.json()["detail"]


def test_a_throttled_address_is_refused_even_with_a_valid_token_and_the_refusal_writes_nothing(
    cast: Cast, client: Client, clock: Clock
) -> None:
    headers = token_headers(cast.alice)
    flood(client, 21)
    before = state()
    assert get(client, headers, ATTACKER).status_code == 429
    assert get(client, BOGUS, ATTACKER).status_code == 429
    assert state() == before
    assert ApiToken.objects.get(user=cast.alice).last_used_at is None  # the token was not even looked up


def test_a_valid_token_works_from_another_address_while_one_is_throttled(
    cast: Cast, client: Client, clock: Clock
) -> None:
    headers = token_headers(cast.alice)
    flood(client, 30)
    assert get(client, headers, OFFICE).status_code == 200
    assert get(client, BOGUS, OFFICE).status_code == 401  # that address has its own count
    alice = User.objects.get(pk=cast.alice.pk)
    assert not alice.is_locked and alice.failed_logins == 0


def test_a_refused_token_that_exists_counts_against_its_account(cast: Cast, client: Client, clock: Clock) -> None:
    token, raw = api_token_create(user=cast.bob, name="old script")
    api_token_revoke(by=cast.bob, token=token)
    for _ in range(3):
        assert get(client, {"Authorization": f"Token {raw}"}, ATTACKER).status_code == 401
    flood(client, 2)  # unknown tokens name no account
    account = AuthFailureWindow.objects.get(scope=AuthFailureScope.ACCOUNT)
    assert account.user == cast.bob and account.failures == 3
    assert AuthFailureWindow.objects.get(scope=AuthFailureScope.ADDRESS, key=ATTACKER).failures == 5
    # A stale token is no guess at the password: it does not lock its owner out of the login form.
    assert not User.objects.get(pk=cast.bob.pk).is_locked


def test_only_the_first_refusal_of_a_window_is_audited_with_its_detail(
    cast: Cast, client: Client, clock: Clock
) -> None:
    token, raw = api_token_create(user=cast.alice, name="script")
    api_token_revoke(by=cast.alice, token=token)
    before = AuditEntry.objects.count()
    get(client, {"Authorization": f"Token {raw}"}, ATTACKER)
    flood(client, 5)
    entries = AuditEntry.objects.filter(seq__gt=before)
    assert [e.event for e in entries] == [AuditEvent.LOGIN_FAILED]
    assert entries[0].details == {"method": "api-token", "reason": "revoked", "prefix": token.key_prefix}
    assert entries[0].target_id == str(token.pk) and entries[0].ip == ATTACKER
    clock.next_window()
    flood(client, 1)  # a new window: its first failure is audited again (and the last one is summarised)
    events = list(AuditEntry.objects.filter(seq__gt=before).values_list("event", flat=True))
    assert events.count(AuditEvent.LOGIN_FAILED) == 2


@override_settings(LIAISON_AUTH_MAX_FAILURES_PER_ADDRESS=3)
def test_the_limit_per_address_is_a_setting(cast: Cast, client: Client, clock: Clock) -> None:
    assert flood(client, 5) == [401, 401, 401, 401, 429]
