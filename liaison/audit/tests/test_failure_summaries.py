"""Closed windows of failed authentications: one summary each, written lazily or by the command, never twice; the
throttle start audited once; the chain still verifies after a flood."""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client, RequestFactory

from liaison.accounts.failures import auth_failure_record
from liaison.accounts.models import AuthFailureScope, AuthFailureWindow
from liaison.api.services import api_token_create
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.audit.verify import verify_chain
from liaison.testing.cast import PASSWORD, Cast
from liaison.testing.clock import Clock

ATTACKER = "10.66.0.1"
BOGUS = {"Authorization": "Token this-token-was-never-issued"}


def flood(client: Client, times: int, address: str = ATTACKER) -> None:
    for _ in range(times):
        client.get("/api/v1/partners/", headers=BOGUS, REMOTE_ADDR=address)


def summaries() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=AuditEvent.LOGIN_FAILURES_SUMMARISED).order_by("seq"))


def fail(address: str, times: int = 1) -> None:
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=address)
    for _ in range(times):
        auth_failure_record(request=request, event=AuditEvent.LOGIN_FAILED, extra={"username": "x"})


def test_a_closed_window_is_summarised_once_with_its_count_even_if_the_command_runs_twice(
    cast: Cast, client: Client, clock: Clock
) -> None:
    flood(client, 7)
    window = AuthFailureWindow.objects.get(scope=AuthFailureScope.ADDRESS)
    call_command("audit", "summarise-failures")
    assert summaries() == []  # the window is still open
    clock.next_window()
    call_command("audit", "summarise-failures")
    call_command("audit", "summarise-failures")
    [summary] = summaries()
    assert summary.ip == ATTACKER
    assert summary.details == {
        "scope": "address",
        "address": ATTACKER,
        "failures": 7,
        "window_start": window.started_at.isoformat(),
        "window_end": window.ends_at.isoformat(),
        "last_failure": window.last_failure_at.isoformat(),
        "throttled_at": None,
    }


def test_the_next_authentication_event_summarises_closed_windows(cast: Cast, client: Client, clock: Clock) -> None:
    flood(client, 3)
    _token, raw = api_token_create(user=cast.bob, name="script")
    clock.next_window()
    assert summaries() == []
    response = client.get("/api/v1/partners/", headers={"Authorization": f"Token {raw}"}, REMOTE_ADDR="10.20.0.7")
    assert response.status_code == 200
    [summary] = summaries()
    assert summary.details["failures"] == 3
    call_command("audit", "summarise-failures")
    assert len(summaries()) == 1


def test_a_successful_login_summarises_closed_windows_too(cast: Cast, client: Client, clock: Clock, settings) -> None:
    settings.DEMO = True
    cast.bob.is_demo = True
    cast.bob.save(update_fields=["is_demo"])
    flood(client, 2)
    clock.next_window()
    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD}, REMOTE_ADDR="10.20.0.7")
    assert response.status_code == 302
    assert [s.details["failures"] for s in summaries()] == [2]


def test_a_window_with_a_single_failure_needs_no_summary(db, clock: Clock) -> None:
    fail(ATTACKER)
    clock.next_window()
    call_command("audit", "summarise-failures")
    assert summaries() == []
    assert AuthFailureWindow.objects.get().summarised_at is not None


def test_an_accounts_window_is_summarised_against_the_account(cast: Cast, client: Client, clock: Clock) -> None:
    for _ in range(3):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"}, REMOTE_ADDR=ATTACKER)
    clock.next_window()
    call_command("audit", "summarise-failures")
    by_scope = {s.details["scope"]: s for s in summaries()}
    assert by_scope.keys() == {"address", "account"}
    assert by_scope["account"].target_id == str(cast.alice.pk) and by_scope["account"].details["failures"] == 3


def test_the_throttle_start_is_audited_once_per_window(cast: Cast, client: Client, clock: Clock) -> None:
    flood(client, 40)
    [throttled] = AuditEntry.objects.filter(event=AuditEvent.LOGIN_THROTTLED)
    assert throttled.ip == ATTACKER and throttled.details["failures"] == 21
    clock.next_window()
    flood(client, 40)
    assert AuditEntry.objects.filter(event=AuditEvent.LOGIN_THROTTLED).count() == 2
    assert [s.details["failures"] for s in summaries()] == [21]


def test_the_command_deletes_windows_older_than_the_keep_period(db, clock: Clock, settings) -> None:
    settings.LIAISON_AUTH_WINDOW_KEEP_DAYS = 30
    fail("10.0.0.1", 2)
    clock.advance(31 * 24 * 3600)
    fail("10.0.0.2", 2)
    clock.next_window()
    call_command("audit", "summarise-failures")
    assert list(AuthFailureWindow.objects.values_list("key", flat=True)) == ["10.0.0.2"]
    assert len(summaries()) == 2  # the deleted window was summarised first


def test_the_chain_still_verifies_after_floods_locks_throttles_and_summaries(
    cast: Cast, client: Client, clock: Clock
) -> None:
    flood(client, 60)
    for n in range(30):
        client.post("/accounts/login/", {"username": f"name-{n % 3}", "password": "x"}, REMOTE_ADDR="10.66.0.2")
    for _ in range(6):
        client.post("/accounts/login/", {"username": "alice", "password": "x"}, REMOTE_ADDR="10.66.0.3")
    clock.next_window()
    flood(client, 2, address="10.66.0.4")  # lazily summarises the closed windows
    call_command("audit", "summarise-failures")
    assert summaries()
    assert verify_chain().ok
