"""Failed logins counted in the shared table: the address throttle on the login form, unknown names locking like
accounts without any per-process cache, one audit entry per window instead of one per attempt."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db.models import QuerySet
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from liaison.accounts.failures import auth_failure_record
from liaison.accounts.models import AuthFailureScope, AuthFailureWindow, User
from liaison.api.services import api_token_create
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.testing.cast import PASSWORD, Cast
from liaison.testing.clock import Clock

LOGIN = "/accounts/login/"
ATTACKER, OFFICE = "10.66.0.1", "10.20.0.7"
WRONG = "wrong password"


def attempt(client: Client, username: str, password: str = WRONG, address: str = ATTACKER) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def throttle(client: Client, already: int = 0) -> None:
    """Failures with names nobody has up to 21 from the attacker's address: past the limit of 20, without locking
    any name."""
    for n in range(21 - already):
        assert attempt(client, f"guess-{n}").status_code == 200


def error_of(response: Any) -> str:
    return str(response.context["form"].non_field_errors())


def test_a_throttled_address_gets_429_with_retry_after_and_a_message_on_the_login_form(
    cast: Cast, client: Client, clock: Clock
) -> None:
    throttle(client)
    response = attempt(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 299
    assert "Too many failed attempts came from your network address" in error_of(response)
    assert "your account is not locked by this" in error_of(response)


def test_the_throttle_message_is_in_french_too(cast: Cast, clock: Clock) -> None:
    client = Client()
    client.cookies.load({"django_language": "fr"})
    throttle(client)
    response = attempt(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "Trop de tentatives ont échoué depuis votre adresse réseau" in response.content.decode()


def test_a_throttled_login_attempt_checks_nothing_and_writes_nothing(cast: Cast, client: Client, clock: Clock) -> None:
    throttle(client)
    entries = list(AuditEntry.objects.values_list("seq", "hash"))
    windows = list(AuthFailureWindow.objects.order_by("pk").values())
    for password in (PASSWORD, WRONG):
        assert attempt(client, "alice", password).status_code == 429
    assert list(AuditEntry.objects.values_list("seq", "hash")) == entries
    assert list(AuthFailureWindow.objects.order_by("pk").values()) == windows
    assert User.objects.get(pk=cast.alice.pk).failed_logins == 0


def test_the_real_user_still_logs_in_from_another_address_while_one_is_throttled(
    cast: Cast, client: Client, clock: Clock
) -> None:
    for _ in range(4):  # the attacker even tries alice's name, short of her lockout
        attempt(client, "alice")
    throttle(client, already=4)
    assert attempt(client, "alice", PASSWORD).status_code == 429
    # From the office: the password step passes (on to the second factor) and a valid token works.
    response = attempt(client, "alice", PASSWORD, address=OFFICE)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:enrol")
    _token, raw = api_token_create(user=cast.alice, name="script")
    api = client.get("/api/v1/partners/", headers={"Authorization": f"Token {raw}"}, REMOTE_ADDR=OFFICE)
    assert api.status_code == 200
    assert not User.objects.get(pk=cast.alice.pk).is_locked


def test_a_second_factor_step_from_a_throttled_address_is_refused(cast: Cast, client: Client, clock: Clock) -> None:
    User.objects.filter(pk=cast.alice.pk).update(totp_confirmed_at=clock.now)
    assert attempt(client, "alice", PASSWORD)["Location"] == reverse("accounts:second_factor")
    throttle(client)
    response = client.post(reverse("accounts:second_factor"), {"code": "123456"}, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429 and "Retry-After" in response
    assert User.objects.get(pk=cast.alice.pk).failed_logins == 0


def test_unknown_login_names_lock_across_processes(cast: Cast, client: Client, clock: Clock) -> None:
    """Each attempt as if served by a fresh process: nothing is kept in the cache between them."""
    answers = {}
    for name in ("alice", "nobody-at-all"):
        for _ in range(5):
            cache.clear()
            response = attempt(client, name)
        answers[name] = error_of(response)
    assert answers["alice"] == answers["nobody-at-all"]
    assert "locked" in answers["nobody-at-all"]
    cache.clear()
    assert "locked" in error_of(attempt(client, "nobody-at-all", address=OFFICE))  # from anywhere


def test_unknown_names_count_failures_in_a_row_across_windows_like_accounts(
    cast: Cast, client: Client, clock: Clock
) -> None:
    answers = {}
    for name in ("alice", "nobody-at-all"):
        for n in range(5):
            if n == 3:
                clock.next_window()  # a pause does not start the count again, for a name or an account
            response = attempt(client, name)
        answers[name] = error_of(response)
    assert answers["alice"] == answers["nobody-at-all"]
    assert "locked" in answers["nobody-at-all"]


def test_the_lock_of_an_unknown_name_ends_and_the_count_starts_again(cast: Cast, client: Client, clock: Clock) -> None:
    for _ in range(5):
        attempt(client, "nobody-at-all")
    assert "15 minutes" in error_of(attempt(client, "nobody-at-all"))
    clock.advance(10 * 60)
    assert "5 minutes" in error_of(attempt(client, "nobody-at-all"))
    clock.advance(5 * 60)
    for _ in range(4):
        assert "Wrong login name or password" in error_of(attempt(client, "nobody-at-all"))
    assert "locked" in error_of(attempt(client, "nobody-at-all"))


def test_the_table_does_not_hold_the_unknown_names_people_typed(cast: Cast, client: Client, clock: Clock) -> None:
    attempt(client, "my-password-typed-as-a-name")
    keys = list(AuthFailureWindow.objects.values_list("key", flat=True))
    assert keys and not any("my-password" in key for key in keys)


def test_failed_logins_from_one_address_write_one_entry_per_window(cast: Cast, client: Client, clock: Clock) -> None:
    before = AuditEntry.objects.count()
    for n in range(3):
        attempt(client, "alice")
        attempt(client, f"guess-{n}")
    entries = list(AuditEntry.objects.filter(seq__gt=before))
    assert [e.event for e in entries] == [AuditEvent.LOGIN_FAILED]
    assert entries[0].target_id == str(cast.alice.pk) and entries[0].details == {"failures": 1}
    counted: QuerySet[AuthFailureWindow] = AuthFailureWindow.objects.all()
    assert counted.get(scope=AuthFailureScope.ADDRESS).failures == 6
    assert counted.get(scope=AuthFailureScope.ACCOUNT, user=cast.alice).failures == 3


def test_an_account_lock_is_always_audited(cast: Cast, client: Client, clock: Clock) -> None:
    attempt(client, "guess")  # the address's first failure of the window is another one
    for _ in range(5):
        attempt(client, "alice")
    assert AuditEntry.objects.filter(event=AuditEvent.LOGIN_LOCKED, target_id=str(cast.alice.pk)).count() == 1


def test_a_failure_that_loses_the_insert_race_counts_on_the_row_of_the_process_that_won(
    db, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes see no window and both insert it: the unique constraint refuses the second insert, whose
    failure is then added to the row the first one created."""
    request = RequestFactory().post(LOGIN, REMOTE_ADDR=ATTACKER)
    auth_failure_record(request=request, event=AuditEvent.LOGIN_FAILED)  # the process that won
    original = QuerySet.update
    missed: list[bool] = []

    def update_missing_the_row_once(self: QuerySet[Any], **kwargs: Any) -> int:
        if self.model is AuthFailureWindow and not missed:
            missed.append(True)
            return 0  # as if it ran before the other process inserted the row
        return original(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update_missing_the_row_once)
    auth_failure_record(request=request, event=AuditEvent.LOGIN_FAILED)
    window = AuthFailureWindow.objects.get()
    assert missed and window.failures == 2
    assert AuditEntry.objects.filter(event=AuditEvent.LOGIN_FAILED).count() == 1


@override_settings(LIAISON_AUTH_WINDOW_SECONDS=60)
def test_windows_are_fixed_periods_of_the_set_length(db, clock: Clock) -> None:
    request = RequestFactory().post(LOGIN, REMOTE_ADDR=ATTACKER)
    auth_failure_record(request=request, event=AuditEvent.LOGIN_FAILED)
    window = AuthFailureWindow.objects.get()
    assert (window.ends_at - window.started_at).total_seconds() == 60
    assert window.started_at.timestamp() % 60 == 0 and window.started_at <= clock.now < window.ends_at
