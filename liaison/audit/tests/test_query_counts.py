"""Query counts of the audit pages, pinned: the log and the failed authentications run the same number of SQL
queries whatever the number of entries and windows they show."""

from __future__ import annotations

from django.test import Client, RequestFactory

from liaison.accounts.failures import auth_failure_record
from liaison.audit.checkpoints import checkpoint_create
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries


def test_the_audit_log(cast: Cast, client: Client) -> None:
    checkpoint_create()  # the checkpoint panel: the latest checkpoint and the last verification, one query each
    login_as(client, cast.erin)
    assert "The log holds every entry" in client.post("/audit/verify/").content.decode()

    def grow() -> None:
        for n in range(5):
            record(actor=cast.alice, event=AuditEvent.OBJECT_READ, target=cast.exchange, extra={"n": n})

    assert_page_queries(client, "/audit/", 12, grow=grow)


def test_the_failed_authentications(cast: Cast, client: Client) -> None:
    def fail(address: str, name: str, times: int) -> None:
        request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=address)
        for _ in range(times):
            auth_failure_record(request=request, event=AuditEvent.LOGIN_FAILED, user=cast.member(name))

    fail("10.0.0.1", "bob", 30)
    login_as(client, cast.grace)

    def grow() -> None:
        for n, name in enumerate(("alice", "dave", "heidi")):
            fail(f"10.0.1.{n}", name, 30)
        html = client.get("/audit/auth-failures/").content.decode()
        assert "10.0.1.2" in html and "HEIDI" in html

    assert_page_queries(client, "/audit/auth-failures/", 11, grow=grow)
