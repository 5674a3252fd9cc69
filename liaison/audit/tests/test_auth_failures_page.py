"""The security officer's and auditor's page of failed authentications: throttled addresses, then every window,
newest first, in a constant number of queries."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from liaison.accounts.failures import auth_failure_record
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.testing.cast import Cast
from liaison.testing.clock import Clock
from liaison.testing.matrix import login_as

PAGE = "/audit/auth-failures/"
ATTACKER = "10.66.0.1"


def fail(address: str, times: int = 1) -> None:
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=address)
    for _ in range(times):
        auth_failure_record(request=request, event=AuditEvent.LOGIN_FAILED, extra={"username": "x"})


def test_the_page_shows_throttled_addresses_and_windows_newest_first(cast: Cast, client: Client, clock: Clock) -> None:
    fail("10.0.0.1", 2)
    clock.next_window()
    fail("10.0.0.2", 25)
    login_as(client, cast.grace)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert [w.key for w in page.context["throttled"]] == ["10.0.0.2"]
    assert [(w.key, w.failures) for w in page.context["page"].object_list] == [("10.0.0.2", 25), ("10.0.0.1", 2)]
    assert "10.0.0.2" in page.content.decode()
    assert AuditEntry.objects.filter(event=AuditEvent.AUDIT_VIEWED, actor_id=str(cast.grace.pk)).exists()


def test_the_page_names_accounts_by_alias_and_unknown_names_by_nothing_they_typed(
    cast: Cast, client: Client, clock: Clock
) -> None:
    for name in ("alice", "alice", "secret-typed-as-name"):
        client.post("/accounts/login/", {"username": name, "password": "x"}, REMOTE_ADDR=ATTACKER)
    login_as(client, cast.erin)
    content = client.get(PAGE).content.decode()
    assert "ALICE" in content and "unknown login name" in content
    assert "secret-typed-as-name" not in content and "First-alice" not in content


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    return len(queries)


def test_the_page_runs_a_constant_number_of_queries(cast: Cast, client: Client, clock: Clock) -> None:
    def windows(n: int, offset: int) -> None:
        for i in range(n):
            request: Any = RequestFactory().post("/", REMOTE_ADDR=f"10.1.{offset}.{i}")
            user = cast.member(["bob", "dave"][i % 2])
            auth_failure_record(request=request, event=AuditEvent.LOGIN_FAILED, user=user)
            clock.advance(1)

    windows(2, 0)
    login_as(client, cast.grace)
    few = _queries(client)
    windows(60, 1)  # more than a page, each with an account window too
    assert _queries(client) == few
