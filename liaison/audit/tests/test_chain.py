"""The audit log: a chain the database will not let anyone rewrite, and a verifier that names the first bad entry."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from liaison.audit.events import AuditEvent
from liaison.audit.models import GENESIS_HASH, AuditEntry
from liaison.audit.services import record
from liaison.audit.verify import verify_chain


def append(n: int) -> list[AuditEntry]:
    return [record(actor=None, event=AuditEvent.OBJECT_READ, extra={"n": i}) for i in range(n)]


@contextlib.contextmanager
def triggers_disabled() -> Iterator[None]:
    """What an attacker with database access would do first (undone by the test transaction's rollback)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute("DROP TRIGGER audit_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_no_update_delete")
    yield


def test_each_entry_links_to_the_one_before(db) -> None:
    start = AuditEntry.objects.count()
    entries = append(3)
    assert [e.seq for e in entries] == [start + 1, start + 2, start + 3]
    assert entries[1].prev_hash == entries[0].hash and entries[2].prev_hash == entries[1].hash
    first = AuditEntry.objects.order_by("seq").first()
    assert first is not None and first.prev_hash == GENESIS_HASH


def test_an_untouched_log_verifies(db) -> None:
    append(5)
    report = verify_chain()
    assert report.ok and report.checked == AuditEntry.objects.count()


def test_the_database_refuses_updates_and_deletes(db) -> None:
    entry = append(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(extra='{"n": 99}')
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).extra == '{"n":0}'


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
def test_postgresql_refuses_truncate(db) -> None:
    append(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditentry")


def test_a_direct_edit_is_named_by_verify(db) -> None:
    entries = append(4)
    with triggers_disabled():
        AuditEntry.objects.filter(pk=entries[2].pk).update(extra='{"n": 1000}')
    report = verify_chain()
    assert (report.ok, report.first_bad_seq, report.problem_kind) == (False, entries[2].seq, "altered")
    with pytest.raises(CommandError, match=f"entry #{entries[2].seq} was altered"):
        call_command("audit", "verify")


def test_an_edit_that_recomputes_the_hash_breaks_the_next_link(db) -> None:
    entries = append(3)
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.actor_alias = "SOMEONE-ELSE"
    forged.hash = forged.compute_hash()
    with triggers_disabled():
        AuditEntry.objects.filter(pk=forged.pk).update(actor_alias=forged.actor_alias, hash=forged.hash)
    report = verify_chain()
    assert (report.first_bad_seq, report.problem_kind) == (entries[2].seq, "unlinked")


def test_a_deleted_entry_is_named_by_verify(db) -> None:
    entries = append(3)
    with triggers_disabled():
        AuditEntry.objects.filter(pk=entries[1].pk).delete()
    report = verify_chain()
    assert (report.first_bad_seq, report.problem_kind) == (entries[1].seq, "missing")


def test_an_entry_commits_with_its_change_or_not_at_all(db) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=None, event=AuditEvent.OBJECT_CHANGED)
        raise RuntimeError("the change failed")
    assert AuditEntry.objects.count() == before
    assert verify_chain().ok


def test_verify_command_reports_ok(db, capsys) -> None:
    append(2)
    call_command("audit", "verify")
    assert "audit chain OK" in capsys.readouterr().out
