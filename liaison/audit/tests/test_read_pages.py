"""Recorded reads seen from the pages: a read that cannot be recorded serves nothing; the auditor's log shows the
reads with their seal in a constant number of queries; the verification page checks them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry, ReadRecord
from liaison.audit.services import record_read, seal_reads
from liaison.testing.cast import PDF_BYTES, Cast
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries, count_queries


@pytest.fixture
def failing_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """The read record's insert fails (disk full, table locked, lost connection…)."""

    def refuse(self: ReadRecord, *args: Any, **kwargs: Any) -> None:
        raise DatabaseError("could not write the read record")

    monkeypatch.setattr(ReadRecord, "save", refuse)


def test_a_read_that_cannot_be_recorded_serves_nothing(cast: Cast, failing_reads: None) -> None:
    client = Client(raise_request_exception=False)
    login_as(client, cast.alice)
    pages = [
        reverse("partners:detail", args=[cast.secret_partner.pk]),
        reverse("partners:list"),
        reverse("exchanges:attachment_download", args=[cast.attachment.pk]),
        f"/api/v1/partners/{cast.secret_partner.pk}/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 500, url
        assert b"Secret partner" not in response.content and PDF_BYTES not in response.content, url
    assert not ReadRecord.objects.exists()


def test_a_refusal_that_cannot_be_recorded_answers_an_error_too(cast: Cast, failing_reads: None) -> None:
    client = Client(raise_request_exception=False)
    login_as(client, cast.bob)
    assert client.get(reverse("partners:detail", args=[cast.secret_partner.pk])).status_code == 500


def test_reads_stay_off_the_chain(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    before = AuditEntry.objects.count()
    assert client.get(reverse("partners:detail", args=[cast.secret_partner.pk])).status_code == 200
    assert AuditEntry.objects.count() == before
    row = ReadRecord.objects.get(event=AuditEvent.OBJECT_READ, target_id=str(cast.secret_partner.pk))
    assert row.actor_alias == "ALICE" and row.hash == row.compute_hash()


def test_the_log_shows_reads_with_their_seal(cast: Cast, client: Client) -> None:
    record_read(actor=cast.alice, event=AuditEvent.OBJECT_READ, target=cast.secret_partner)
    seal_reads()
    seal = AuditEntry.objects.get(event=AuditEvent.AUDIT_READS_SEALED)
    record_read(actor=cast.bob, event=AuditEvent.ACCESS_REFUSED, target_type="partners.partner", target_id="x")
    login_as(client, cast.grace)
    client.cookies.load({"django_language": "en"})
    page = client.get(reverse("audit:log") + "?log=reads")
    assert page.status_code == 200
    rows = list(page.context["page"].object_list)
    assert [(r.actor_alias, r.event) for r in rows] == [("BOB", "access.refused"), ("ALICE", "object.read")]
    body = page.content.decode()
    assert f"sealed by #{seal.seq}" in body and "not sealed yet" in body
    only_bob = client.get(reverse("audit:log") + "?log=reads&actor=bob")
    assert [r.actor_alias for r in only_bob.context["page"].object_list] == ["BOB"]
    viewed = AuditEntry.objects.filter(event=AuditEvent.AUDIT_VIEWED).latest("seq")
    assert viewed.details == {"page": 1, "log": "reads"}


def test_the_reads_log_runs_the_same_queries_for_more_rows(cast: Cast, client: Client) -> None:
    login_as(client, cast.grace)

    def more_reads() -> None:
        for _ in range(30):
            record_read(actor=cast.alice, event=AuditEvent.OBJECT_READ, target=cast.open_partner)
        seal_reads()

    more_reads()
    # The reads tab runs the chain tab's queries (session, user, roles, count, the page's own chain entry, unread
    # notices, rows): pinned to the chain tab's count rather than a number that the session's handling also moves.
    client.get(reverse("audit:log"))
    chain_tab, _ = count_queries(client, reverse("audit:log"))
    assert_page_queries(client, reverse("audit:log") + "?log=reads", chain_tab, grow=more_reads)


def test_the_verification_page_checks_the_reads(cast: Cast, client: Client) -> None:
    record_read(actor=cast.alice, event=AuditEvent.OBJECT_READ, target=cast.secret_partner)
    seal_reads()
    record_read(actor=cast.alice, event=AuditEvent.OBJECT_READ, target=cast.open_partner)
    login_as(client, cast.grace)
    client.cookies.load({"django_language": "en"})
    body = client.post(reverse("audit:verify")).content.decode()
    assert "The recorded reads are intact: 2 reads verified against 1 seals." in body
    assert "1 read is not sealed into the chain yet" in body
    verified = AuditEntry.objects.get(event=AuditEvent.AUDIT_VERIFIED)
    assert verified.details["reads_ok"] is True and verified.details["reads_unsealed"] == 1


def test_the_verification_page_names_a_broken_seal(cast: Cast, client: Client) -> None:
    from liaison.audit.tests.test_reads import triggers_disabled

    record_read(actor=cast.alice, event=AuditEvent.OBJECT_READ, target=cast.secret_partner)
    record_read(actor=cast.alice, event=AuditEvent.OBJECT_READ, target=cast.open_partner)
    seal_reads()
    seal = AuditEntry.objects.get(event=AuditEvent.AUDIT_READS_SEALED)
    with triggers_disabled():
        ReadRecord.objects.filter(target_id=str(cast.secret_partner.pk)).delete()
    login_as(client, cast.grace)
    client.cookies.load({"django_language": "en"})
    body = client.post(reverse("audit:verify")).content.decode()
    assert "The recorded reads have 1 problem." in body
    assert f"seal #{seal.seq} covers 2 read records, 1 carry it" in body
