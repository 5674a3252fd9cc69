"""Signed checkpoints: the log is tampered with in each way an attacker holding the database could (triggers dropped
first), and the verifier names each one against the auditor's checkpoints; the untouched log passes. The same core
runs in the instance (`audit verify --checkpoint`) and as the standalone script on an export."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from liaison.audit import standalone
from liaison.audit.checkpoints import (
    CheckpointRefused,
    audit_origin,
    checkpoint_create,
    checkpoint_due,
    checkpoint_signature_ok,
    export_lines,
    verifier_key,
    verify_against,
)
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry, Checkpoint
from liaison.audit.services import EntryDraft, record, record_batch
from liaison.audit.tests.test_chain import triggers_disabled
from liaison.audit.verify import verify_chain
from liaison.keys.store import get_signer

STANDALONE = Path(standalone.__file__)


def append(n: int) -> None:
    for i in range(n):
        record(actor=None, event=AuditEvent.OBJECT_CHANGED, target_type="test.thing", target_id=str(i), extra={"n": i})


@pytest.fixture
def signed(db) -> tuple[Checkpoint, bytes]:
    """A log of at least 20 entries and the checkpoint the auditor took of it (then a few more entries)."""
    append(20)
    checkpoint = checkpoint_create()
    append(3)
    return checkpoint, checkpoint.note.encode()


def codes(*notes: bytes) -> set[str]:
    report = verify_against([(f"cp{i}", note) for i, note in enumerate(notes)])
    return report.codes()


def sign(size: int, root: bytes, *, origin: str | None = None, key: ed25519.Ed25519PrivateKey | None = None) -> bytes:
    """A checkpoint note signed with the instance key (or another one), as the instance or a forger would."""
    origin = origin or audit_origin()
    text = standalone.checkpoint_text(origin, size, root)
    if key is None:
        signer = get_signer()
        return standalone.sign_note(text, origin, signer.public_key, signer.sign).encode()
    return standalone.sign_note(text, origin, key.public_key(), key.sign).encode()


def entry(seq: int) -> AuditEntry:
    return AuditEntry.objects.get(seq=seq)


def rehash_from(seq: int) -> None:
    """Recompute every hash from `seq` on, as an attacker covering an edit would."""
    prev = entry(seq - 1).hash if seq > 1 else "0" * 64
    for row in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        row.prev_hash = prev
        row.hash = prev = row.compute_hash()
        AuditEntry.objects.filter(pk=row.pk).update(prev_hash=row.prev_hash, hash=row.hash)


# --- The checkpoint itself --------------------------------------------------------------------------------------------


def test_a_checkpoint_is_a_c2sp_signed_note_of_the_tree(signed) -> None:
    checkpoint, note = signed
    text, signature_line = note.decode().rsplit("\n\n", 1)
    origin, size, root, time = text.split("\n")
    assert (origin, int(size)) == (audit_origin(), checkpoint.tree_size)
    assert time.startswith("time ")
    leaves = b"".join(
        standalone.leaf_hash(bytes.fromhex(h))
        for h in AuditEntry.objects.filter(seq__lte=checkpoint.tree_size).order_by("seq").values_list("hash", flat=True)
    )
    assert base64.b64decode(root) == standalone.Tree(leaves).root() == bytes.fromhex(checkpoint.root_hash)
    name, encoded = signature_line.removeprefix("\u2014 ").split()
    raw = base64.b64decode(encoded)
    key = get_signer().public_key
    assert name == origin and raw[:4] == standalone.note_key_id(origin, key)
    key.verify(raw[4:], (text + "\n").encode())  # raises if invalid
    assert checkpoint_signature_ok(checkpoint)


def test_each_checkpoint_is_recorded_and_extends_the_last(signed) -> None:
    first, _ = signed
    recorded = AuditEntry.objects.get(event=AuditEvent.AUDIT_CHECKPOINT_SIGNED)
    assert recorded.seq == first.tree_size + 1 and recorded.details["tree_size"] == first.tree_size
    second = checkpoint_create()
    assert second.tree_size == AuditEntry.objects.count() - 1  # its own record comes after it
    hashes = AuditEntry.objects.filter(seq__lte=second.tree_size).order_by("seq").values_list("hash", flat=True)
    tree = standalone.Tree(b"".join(standalone.leaf_hash(bytes.fromhex(h)) for h in hashes))
    assert bytes.fromhex(second.root_hash) == tree.root()  # extended from the stored frontier, same as recomputed
    assert not checkpoint_due() and checkpoint_create() == second  # only its own record since: nothing to sign


def test_no_checkpoint_is_signed_over_a_tampered_chain(signed) -> None:
    with triggers_disabled():
        AuditEntry.objects.filter(seq=AuditEntry.objects.count()).update(extra='{"n": 99}')
    with pytest.raises(CheckpointRefused, match="was altered"):
        checkpoint_create()
    with pytest.raises(CommandError, match="was altered"):
        call_command("audit", "checkpoint", "--new")


# --- Tampering, named ---------------------------------------------------------------------------------------------


def test_the_untouched_log_passes(signed) -> None:
    _, note = signed
    report = verify_against([("auditor", note)])
    assert report.ok and [v.code for v in report.verdicts] == ["ok", "ok"]


def test_an_edit_is_named(signed) -> None:
    _, note = signed
    with triggers_disabled():
        AuditEntry.objects.filter(seq=7).update(extra='{"n": 1000}')
    assert codes(note) == {"edited", "changed"}


def test_a_deletion_in_the_middle_is_named(signed) -> None:
    _, note = signed
    with triggers_disabled():
        AuditEntry.objects.filter(seq=9).delete()
    assert codes(note) == {"deleted", "changed"}


def test_a_truncated_tail_is_named(signed) -> None:
    checkpoint, note = signed
    with triggers_disabled():
        AuditEntry.objects.filter(seq__gt=checkpoint.tree_size - 3).delete()
    assert verify_chain().ok  # the chain alone cannot tell
    assert codes(note) == {"truncated"}


def test_reordered_entries_are_named(signed) -> None:
    _, note = signed
    with triggers_disabled():
        AuditEntry.objects.filter(seq=6).update(seq=-6)
        AuditEntry.objects.filter(seq=5).update(seq=6)
        AuditEntry.objects.filter(seq=-6).update(seq=5)
    assert codes(note) == {"reordered", "changed"}


def test_a_chain_recomputed_after_an_edit_is_named(signed) -> None:
    _, note = signed
    with triggers_disabled():
        AuditEntry.objects.filter(seq=4).update(actor_alias="SOMEONE-ELSE")
        rehash_from(4)
    assert verify_chain().ok  # the chain alone cannot tell
    assert codes(note) == {"rewritten"}


def test_a_chain_recomputed_after_a_deletion_is_named(signed) -> None:
    _, note = signed
    with triggers_disabled():
        AuditEntry.objects.filter(seq=3).delete()
        for row in AuditEntry.objects.filter(seq__gt=3).order_by("seq"):
            AuditEntry.objects.filter(pk=row.pk).update(seq=row.seq - 1)
        rehash_from(3)
    assert verify_chain().ok
    assert codes(note) == {"rewritten"}


def test_a_fork_is_named_when_the_auditor_holds_both_checkpoints(signed) -> None:
    checkpoint, note = signed
    other = sign(checkpoint.tree_size, b"\x07" * 32)  # the same size, another root, by the instance's key
    assert codes(note, other) == {"fork", "rewritten"}


def test_checkpoints_of_a_log_rewritten_and_signed_again_are_named_a_fork(signed) -> None:
    _, note = signed
    with triggers_disabled():
        AuditEntry.objects.filter(seq=2).update(actor_alias="SOMEONE-ELSE")
        rehash_from(2)
        Checkpoint.objects.all().delete()  # the attacker hides the instance's own checkpoints
    later = checkpoint_create().note.encode()  # the instance signs the rewritten log
    found = verify_against([("old", note), ("new", later)])
    assert found.codes() == {"rewritten", "fork"}
    assert any("the log matches new but not old" in v.message for v in found.verdicts)


# --- Bad input: named, never a traceback --------------------------------------------------------------------------


def test_a_checkpoint_of_another_instance_is_named(signed) -> None:
    checkpoint, _ = signed
    stranger = ed25519.Ed25519PrivateKey.generate()
    root = bytes.fromhex(checkpoint.root_hash)
    assert codes(sign(checkpoint.tree_size, root, origin="elsewhere.example/audit", key=stranger)) == {"foreign"}
    assert codes(sign(checkpoint.tree_size, root, key=stranger)) == {"foreign"}  # our name, another key


@pytest.mark.parametrize(
    "note",
    [
        b"",
        b"\xff\xfe not utf-8",
        b"just some text\n",
        b"origin\n12\nroot\n\n\xe2\x80\x94 origin AAAA\n",
        b"origin\n012\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\xe2\x80\x94 origin AAAAAAAA\n",
        b"origin\n12\n\n\xe2\x80\x94 origin AAAAAAAA\n",
        b"origin\n12\nAAAA\n\n- origin AAAAAAAA\n",
        b"origin\n12\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\xe2\x80\x94 origin not*base64\n",
    ],
)
def test_a_malformed_note_is_named(signed, note: bytes) -> None:
    report = verify_against([("bad", note)])
    assert report.codes() == {"malformed_checkpoint"}


def test_an_altered_checkpoint_fails_its_signature(signed) -> None:
    _, note = signed
    text = note.decode().split("\n")
    text[2] = base64.b64encode(b"\x01" * 32).decode()
    assert codes("\n".join(text).encode()) == {"bad_signature"}


def test_a_tree_size_larger_than_the_log_is_named(signed) -> None:
    size = AuditEntry.objects.count()
    assert codes(sign(size + 5, b"\x02" * 32)) == {"truncated"}


# --- The command and the standalone script ----------------------------------------------------------------------


def test_the_command_proves_the_log_against_checkpoint_files(signed, tmp_path, capsys) -> None:
    _, note = signed
    (tmp_path / "cp.txt").write_bytes(note)
    call_command("audit", "verify", "--checkpoint", str(tmp_path / "cp.txt"))
    assert "audit log OK against 1 checkpoint(s)" in capsys.readouterr().out
    with triggers_disabled():
        AuditEntry.objects.filter(seq=9).delete()
    with pytest.raises(CommandError, match="problem"):
        call_command("audit", "verify", "--checkpoint", str(tmp_path / "cp.txt"))
    assert "[deleted] entry #9 is missing" in capsys.readouterr().out
    (tmp_path / "junk.txt").write_bytes(b"\x00junk")
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--checkpoint", str(tmp_path / "junk.txt"))
    assert "[malformed_checkpoint]" in capsys.readouterr().out
    with pytest.raises(CommandError, match="cannot read"):
        call_command("audit", "verify", "--checkpoint", str(tmp_path / "missing.txt"))


def run_standalone(*args: str) -> subprocess.CompletedProcess[str]:
    """The script as an auditor runs it: its own process, no Django settings (a test checks it imports no Django)."""
    return subprocess.run(
        [sys.executable, str(STANDALONE), *args], capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin"}
    )


@pytest.fixture
def files(signed, tmp_path) -> dict[str, Path]:
    _, note = signed
    paths = {"key": tmp_path / "key.txt", "cp": tmp_path / "cp.txt", "export": tmp_path / "export.jsonl"}
    paths["key"].write_text(verifier_key() + "\n")
    paths["cp"].write_bytes(note)
    paths["export"].write_bytes(b"".join(export_lines()))
    return paths


def test_the_standalone_script_imports_no_django(files) -> None:
    code = (
        "import runpy, sys\n"
        f"module = runpy.run_path({str(STANDALONE)!r})\n"
        "rc = module['main'](['--key', sys.argv[1], '--export', sys.argv[2], '--workers', '1'])\n"
        "assert not [n for n in sys.modules if n.split('.')[0] in ('django', 'liaison')], 'imported'\n"
        "sys.exit(rc)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code, str(files["key"]), str(files["export"])], capture_output=True, text=True
    )
    assert found.returncode == 0, found.stdout + found.stderr


def test_the_standalone_script_passes_the_untouched_export(files) -> None:
    key, export, cp = (str(files[name]) for name in ("key", "export", "cp"))
    found = run_standalone("--key", key, "--export", export, "--checkpoint", cp)
    assert found.returncode == 0, found.stdout + found.stderr
    assert "OK [ok] cp.txt: size" in found.stdout


def test_the_standalone_script_names_tampering_in_the_export(files, tmp_path) -> None:
    lines = files["export"].read_bytes().splitlines(keepends=True)
    tampered = {
        "reordered": [lines[0], *lines[1:5], lines[6], lines[5], *lines[7:]],
        "deleted": [lines[0], *lines[1:8], *lines[9:]],
        "edited": [lines[0], *lines[1:3], lines[3].replace(b'"n\\":2', b'"n\\":7'), *lines[4:]],
        "truncated": lines[:10],
    }
    for name, content in tampered.items():
        (tmp_path / f"{name}.jsonl").write_bytes(b"".join(content))
        found = run_standalone(
            "--key", str(files["key"]), "--export", str(tmp_path / f"{name}.jsonl"), "--checkpoint", str(files["cp"])
        )
        assert found.returncode == 1 and f"[{name}]" in found.stdout, (name, found.stdout, found.stderr)


def test_the_standalone_script_reports_unreadable_input_without_a_traceback(files, tmp_path) -> None:
    (tmp_path / "junk.jsonl").write_bytes(b"not json\n")
    for args in (
        ("--key", str(tmp_path / "missing"), "--export", str(files["export"])),
        ("--key", str(files["cp"]), "--export", str(files["export"])),
        ("--key", str(files["key"]), "--export", str(tmp_path / "junk.jsonl")),
    ):
        found = run_standalone(*args)
        assert found.returncode == 2 and found.stdout.startswith("ERROR") and "Traceback" not in found.stderr, args


def test_the_standalone_script_refuses_an_export_of_another_log(files, tmp_path) -> None:
    stranger = ed25519.Ed25519PrivateKey.generate()
    (tmp_path / "other.txt").write_text(standalone.verifier_key("elsewhere.example/audit", stranger.public_key()))
    found = run_standalone("--key", str(tmp_path / "other.txt"), "--export", str(files["export"]))
    assert found.returncode == 1 and "[foreign]" in found.stdout


# --- Batch appends --------------------------------------------------------------------------------------------------


def test_a_batch_appends_a_chain_that_verifies_and_checkpoints(db) -> None:
    append(2)
    batch = record_batch([EntryDraft(event=AuditEvent.OBJECT_CREATED, extra={"n": i}) for i in range(250)])
    assert batch is not None and (batch.first_seq, batch.last_seq, batch.count) == (3, 252, 250)
    assert entry(3).prev_hash == entry(2).hash and entry(252).hash == batch.head_hash
    assert list(AuditEntry.objects.filter(seq__gt=2).values_list("extra", flat=True)[:2]) == ['{"n":0}', '{"n":1}']
    assert record_batch([]) is None
    append(1)  # record() goes on from the batch's head
    assert verify_chain().ok
    checkpoint = checkpoint_create()
    assert checkpoint.tree_size == 253 and verify_against([("cp", checkpoint.note.encode())]).ok


def test_a_failed_batch_leaves_nothing(db) -> None:
    append(1)
    with pytest.raises(TypeError), transaction.atomic():
        bad = EntryDraft(event=AuditEvent.OBJECT_CREATED, extra={"x": object()})
        record_batch([EntryDraft(event=AuditEvent.OBJECT_CREATED), bad])
    assert AuditEntry.objects.count() == 1 and verify_chain().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the advisory lock exists on PostgreSQL only")
def test_a_batch_takes_the_chain_lock(db) -> None:
    with transaction.atomic():
        record_batch([EntryDraft(event=AuditEvent.OBJECT_CREATED)])
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
            assert cursor.fetchone()[0] >= 1


def test_the_auditor_downloads_what_the_standalone_verifier_needs(signed, cast, client, tmp_path) -> None:
    from liaison.testing.matrix import login_as

    login_as(client, cast.erin)
    note = client.get("/audit/checkpoint/")
    latest = Checkpoint.objects.order_by("-tree_size").first()
    assert latest is not None and note.content.decode() == latest.note
    assert note["Content-Disposition"].startswith("attachment")
    export = client.get("/audit/export/")
    paths = {name: tmp_path / name for name in ("key.txt", "export.jsonl", "cp.txt")}
    paths["export.jsonl"].write_bytes(b"".join(export.streaming_content))
    paths["key.txt"].write_bytes(client.get("/audit/public-key/").content)
    paths["cp.txt"].write_bytes(note.content)
    found = run_standalone(
        "--key", str(paths["key.txt"]), "--export", str(paths["export.jsonl"]), "--checkpoint", str(paths["cp.txt"])
    )
    assert found.returncode == 0, found.stdout
    downloads = AuditEntry.objects.filter(event=AuditEvent.AUDIT_EXPORTED).order_by("seq")
    assert [e.details["file"] for e in downloads] == ["checkpoint", "export", "public_key"]
