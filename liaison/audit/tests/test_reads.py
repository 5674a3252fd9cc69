"""Recorded reads: one plain row each, which the database will not let anyone change except to seal it once; seals
in the chain that fix their count and digest; a verifier that names each kind of tampering."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry, ReadRecord, reads_digest
from liaison.audit.services import record, record_list_read, record_read, seal_reads
from liaison.audit.verify import verify_chain, verify_reads


def read(n: int) -> list[ReadRecord]:
    return [record_read(actor=None, event=AuditEvent.OBJECT_READ, extra={"n": i}) for i in range(n)]


@contextlib.contextmanager
def triggers_disabled() -> Iterator[None]:
    """What an attacker with database access would do first (undone by the test transaction's rollback)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_read_seal_only")
            cursor.execute("DROP TRIGGER audit_read_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_readrecord DISABLE TRIGGER audit_read_no_update_delete")
    yield


def kinds() -> list[tuple[str, int | None]]:
    return [(problem.kind, problem.seq) for problem in verify_reads().problems]


# Recording


def test_a_read_is_one_row_with_its_own_hash_and_no_chain_entry(db) -> None:
    before = AuditEntry.objects.count()
    row = record_read(actor=None, event=AuditEvent.ACCESS_REFUSED, target_type="partners.partner", target_id="x")
    stored = ReadRecord.objects.get(pk=row.pk)
    assert stored.hash == stored.compute_hash() and len(stored.hash) == 64
    assert (stored.event, stored.target_id, stored.seal_seq) == ("access.refused", "x", None)
    assert AuditEntry.objects.count() == before


def test_only_reads_are_recorded_as_reads(db) -> None:
    with pytest.raises(ValueError, match="not a read"):
        record_read(actor=None, event=AuditEvent.OBJECT_CHANGED)


def test_a_list_read_names_the_objects_shown(cast) -> None:
    record_list_read(actor=cast.bob, objects=[cast.open_partner], view="partners:list", request=None)
    row = ReadRecord.objects.get(event=AuditEvent.OBJECT_LIST_READ)
    assert row.actor_alias == "BOB" and row.details == {"view": "partners:list", "ids": [str(cast.open_partner.pk)]}


def test_a_read_commits_with_its_transaction_or_not_at_all(db) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        read(1)
        raise RuntimeError("the page failed")
    assert not ReadRecord.objects.exists()


# The database's guard


def test_the_database_refuses_edits_and_deletes(db) -> None:
    row = read(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ReadRecord.objects.filter(pk=row.pk).update(extra='{"n": 99}')
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ReadRecord.objects.filter(pk=row.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():  # sealing and editing at once
        ReadRecord.objects.filter(pk=row.pk).update(seal_seq=1, actor_alias="SOMEONE-ELSE")
    assert ReadRecord.objects.get(pk=row.pk).extra == '{"n":0}'


def test_the_database_lets_a_row_be_sealed_once_only(db) -> None:
    row = read(1)[0]
    ReadRecord.objects.filter(pk=row.pk).update(seal_seq=7)
    for seq in (8, None):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            ReadRecord.objects.filter(pk=row.pk).update(seal_seq=seq)
    assert ReadRecord.objects.get(pk=row.pk).seal_seq == 7


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
def test_postgresql_refuses_truncate(db) -> None:
    read(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_readrecord")


# Sealing


def test_seal_appends_one_entry_per_batch_with_count_and_digest(db) -> None:
    rows = read(5)
    assert seal_reads(batch=2).as_dict() == {"seals": 3, "rows": 5}
    seals = list(AuditEntry.objects.filter(event=AuditEvent.AUDIT_READS_SEALED).order_by("seq"))
    assert [s.details["count"] for s in seals] == [2, 2, 1]
    first = seals[0].details
    assert (first["first_id"], first["last_id"]) == (rows[0].pk, rows[1].pk)
    assert first["digest"] == reads_digest([rows[0].hash, rows[1].hash])
    assert list(ReadRecord.objects.order_by("id").values_list("seal_seq", flat=True)) == [
        seals[0].seq,
        seals[0].seq,
        seals[1].seq,
        seals[1].seq,
        seals[2].seq,
    ]
    assert verify_chain().ok and verify_reads().ok


def test_a_large_batch_is_sealed_whole(db) -> None:
    now = timezone.now()
    rows = [ReadRecord(created_at=now, event=AuditEvent.OBJECT_READ, target_id=str(i)) for i in range(2100)]
    for row in rows:
        row.hash = row.compute_hash()
    ReadRecord.objects.bulk_create(rows)
    assert seal_reads(batch=2000).as_dict() == {"seals": 2, "rows": 2100}
    assert not ReadRecord.objects.filter(seal_seq__isnull=True).exists()
    report = verify_reads()
    assert (report.ok, report.checked, report.seals) == (True, 2100, 2)


def test_seal_with_nothing_to_seal_appends_nothing(db) -> None:
    read(2)
    seal_reads()
    before = AuditEntry.objects.count()
    assert seal_reads().as_dict() == {"seals": 0, "rows": 0}
    assert AuditEntry.objects.count() == before


def test_a_row_that_commits_after_a_higher_id_is_sealed_by_the_next_seal(db) -> None:
    """On PostgreSQL, a row with a lower id may commit after a seal took the higher ones: it stays unsealed and the
    next seal takes it, so one seal's ids need not be contiguous."""
    late, *early = read(3)
    entry = record(
        actor=None,
        event=AuditEvent.AUDIT_READS_SEALED,
        extra={
            "count": 2,
            "first_id": early[0].pk,
            "last_id": early[1].pk,
            "digest": reads_digest([r.hash for r in early]),
        },
    )
    ReadRecord.objects.filter(pk__in=[r.pk for r in early]).update(seal_seq=entry.seq)
    more = read(1)[0]
    assert seal_reads().as_dict() == {"seals": 1, "rows": 2}
    last = AuditEntry.objects.filter(event=AuditEvent.AUDIT_READS_SEALED).latest("seq")
    assert (last.details["first_id"], last.details["last_id"], last.details["count"]) == (late.pk, more.pk, 2)
    assert verify_reads().ok


def test_the_seal_command_seals_now(db, capsys) -> None:
    read(3)
    call_command("audit", "seal")
    assert "3 sealed in 1 chain entry" in capsys.readouterr().out
    assert not ReadRecord.objects.filter(seal_seq__isnull=True).exists()


# Verifying


def test_untouched_reads_verify_and_unsealed_ones_are_reported(db, capsys) -> None:
    read(3)
    seal_reads()
    read(2)
    report = verify_reads()
    assert (report.ok, report.checked, report.seals, report.unsealed) == (True, 5, 1, 2)
    assert report.oldest_unsealed is not None and not report.late
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert "audit chain OK" in out and "read records OK: 5 rows, 1 seal(s), 2 not sealed yet" in out


def test_reads_left_unsealed_too_long_are_a_warning_not_a_failure(db, settings, capsys) -> None:
    settings.LIAISON_READ_SEAL_SECONDS = 10
    read(1)
    assert verify_reads(now=timezone.now() + timedelta(seconds=99)).late is False
    report = verify_reads(now=timezone.now() + timedelta(seconds=101))
    assert report.ok and report.late
    with triggers_disabled():  # make the row old rather than the clock late, for the command
        ReadRecord.objects.update(created_at=timezone.now() - timedelta(hours=1))
        ReadRecord.objects.update(hash=ReadRecord.objects.get().compute_hash())
    call_command("audit", "verify")
    assert "warning: reads left unsealed for more than 10 seal intervals" in capsys.readouterr().out


def test_an_edited_row_is_named_by_its_hash(db) -> None:
    rows = read(3)
    seal_reads()
    with triggers_disabled():
        ReadRecord.objects.filter(pk=rows[1].pk).update(actor_alias="SOMEONE-ELSE")
    report = verify_reads()
    assert [(p.kind, p.row_id) for p in report.problems] == [("altered", rows[1].pk)]
    assert f"read record #{rows[1].pk} was altered" in report.problems[0].message
    with pytest.raises(CommandError, match=f"read record #{rows[1].pk} was altered"):
        call_command("audit", "verify")


def test_an_edited_unsealed_row_is_named_by_its_hash(db) -> None:
    rows = read(2)
    with triggers_disabled():
        ReadRecord.objects.filter(pk=rows[0].pk).update(target_id="other")
    assert [(p.kind, p.row_id) for p in verify_reads().problems] == [("altered", rows[0].pk)]


def test_an_edit_that_recomputes_the_hash_breaks_the_digest_of_its_seal(db) -> None:
    rows = read(3)
    seal_reads()
    forged = ReadRecord.objects.get(pk=rows[1].pk)
    forged.actor_alias = "SOMEONE-ELSE"
    forged.hash = forged.compute_hash()
    with triggers_disabled():
        ReadRecord.objects.filter(pk=forged.pk).update(actor_alias=forged.actor_alias, hash=forged.hash)
    assert kinds() == [("digest", forged.seal_seq)]


def test_a_row_deleted_from_a_sealed_batch_breaks_its_count(db) -> None:
    rows = read(3)
    seal_reads()
    seq = ReadRecord.objects.get(pk=rows[0].pk).seal_seq
    with triggers_disabled():
        ReadRecord.objects.filter(pk=rows[1].pk).delete()
    report = verify_reads()
    assert [(p.kind, p.seq, p.expected, p.found) for p in report.problems] == [("count", seq, 3, 2)]
    assert f"seal #{seq} covers 3 read records, 2 carry it" in report.problems[0].message


def test_a_whole_sealed_batch_deleted_is_named(db) -> None:
    read(2)
    seal_reads()
    seq = ReadRecord.objects.values_list("seal_seq", flat=True).first()
    read(1)
    seal_reads()
    with triggers_disabled():
        ReadRecord.objects.filter(seal_seq=seq).delete()
    assert [(p.kind, p.seq, p.found) for p in verify_reads().problems] == [("count", seq, 0)]


def test_a_row_moved_to_another_seal_breaks_both_counts(db) -> None:
    read(2)
    seal_reads()
    read(2)
    seal_reads()
    first, second = AuditEntry.objects.filter(event=AuditEvent.AUDIT_READS_SEALED).order_by("seq")
    moved = ReadRecord.objects.filter(seal_seq=first.seq).first()
    assert moved is not None
    with triggers_disabled():
        ReadRecord.objects.filter(pk=moved.pk).update(seal_seq=second.seq)
    assert kinds() == [("count", first.seq), ("count", second.seq)]


def test_a_sealed_row_made_unsealed_again_breaks_its_seal(db) -> None:
    rows = read(2)
    seal_reads()
    seq = ReadRecord.objects.get(pk=rows[0].pk).seal_seq
    with triggers_disabled():
        ReadRecord.objects.filter(pk=rows[0].pk).update(seal_seq=None)
    report = verify_reads()
    assert kinds() == [("count", seq)] and report.unsealed == 1


def test_rows_naming_an_entry_that_is_not_a_seal_are_named(db) -> None:
    rows = read(2)
    other = record(actor=None, event=AuditEvent.OBJECT_CHANGED)
    ReadRecord.objects.filter(pk=rows[0].pk).update(seal_seq=other.seq)  # allowed: the row was unsealed
    ReadRecord.objects.filter(pk=rows[1].pk).update(seal_seq=other.seq + 1000)  # beyond the chain's head
    report = verify_reads()
    assert [(p.kind, p.seq, p.found) for p in report.problems] == [
        ("unknown_seal", other.seq, 1),
        ("unknown_seal", other.seq + 1000, 1),
    ]
    assert f"1 read records name entry #{other.seq}, which is not a seal" in report.problems[0].message


def test_a_forged_seal_entry_breaks_the_chain(db) -> None:
    read(2)
    seal_reads()
    seal = AuditEntry.objects.get(event=AuditEvent.AUDIT_READS_SEALED)
    details = {**seal.details, "count": 1}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_no_update")
        else:
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_no_update_delete")
    AuditEntry.objects.filter(pk=seal.pk).update(extra=json.dumps(details))
    assert (verify_chain().first_bad_seq, verify_chain().problem_kind) == (seal.seq, "altered")
