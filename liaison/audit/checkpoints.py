"""Signed checkpoints of the audit chain, its export and its verification against checkpoints. The Merkle tree, the
note format and the verifier are in `standalone.py`, which the auditor runs outside the instance; this module feeds
it from the database, so that the instance and the auditor check with the same code."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.audit import standalone
from liaison.audit.events import AuditEvent
from liaison.audit.models import GENESIS_HASH, AuditEntry, Checkpoint, canonical_json
from liaison.audit.services import _lock_chain, record
from liaison.core.exceptions import DomainError
from liaison.keys.store import get_signer


class CheckpointRefused(DomainError):
    """The chain since the last checkpoint does not verify: the instance signs nothing over it."""


def audit_origin() -> str:
    """The name of this instance's log in its checkpoints: LIAISON_AUDIT_ORIGIN, else `<host of the base URL>/audit`."""
    origin = settings.LIAISON_AUDIT_ORIGIN or f"{urlsplit(settings.LIAISON_BASE_URL).netloc or 'liaison'}/audit"
    try:
        return standalone.check_key_name(origin)
    except standalone.Malformed as error:
        raise ImproperlyConfigured(f"LIAISON_AUDIT_ORIGIN: {error}") from error


def verifier_key() -> str:
    """The line an auditor keeps to check checkpoints: the origin, the key id and the instance's public key."""
    return standalone.verifier_key(audit_origin(), get_signer().public_key)


def public_key_text() -> str:
    """The verifier key line followed by the same key as PEM (the standalone verifier reads either)."""
    pem = get_signer().public_key_pem().decode()
    return f"{verifier_key()}\n{pem}"


def checkpoint_latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-tree_size").first()


def checkpoint_signature_ok(checkpoint: Checkpoint) -> bool:
    """Whether the stored note parses and carries a valid signature by this instance's key under its origin."""
    try:
        note = standalone.parse_checkpoint(checkpoint.note.encode())
    except standalone.Malformed:
        return False
    return note.origin == audit_origin() and note.signed_by(note.origin, get_signer().public_key) is True


def checkpoint_due() -> bool:
    """Whether entries were appended since the last checkpoint, other than the record of checkpoints themselves
    (so an idle instance stops signing)."""
    last = checkpoint_latest()
    newer = AuditEntry.objects.filter(seq__gt=last.tree_size if last else 0)
    return newer.exclude(event=AuditEvent.AUDIT_CHECKPOINT_SIGNED).exists()


def _extend(last: Checkpoint | None, head: int) -> tuple[int, list[bytes], str]:
    """The tree of the last checkpoint extended with the entries after it up to `head`, each checked as the chain
    verifier would (seq, link, hash): a tree is never signed over a chain that does not verify."""
    size = last.tree_size if last else 0
    frontier = last.frontier_hashes() if last else []
    head_hash = last.head_hash if last else GENESIS_HASH
    entries = AuditEntry.objects.filter(seq__gt=size, seq__lte=head).order_by("seq")
    for entry in entries.iterator(chunk_size=2000):
        problem = ""
        if entry.seq != size + 1:
            problem = f"entry #{size + 1} is missing"
        elif entry.prev_hash != head_hash:
            problem = f"entry #{entry.seq} does not link to entry #{size}"
        elif entry.compute_hash() != entry.hash:
            problem = f"entry #{entry.seq} was altered"
        if problem:
            raise CheckpointRefused(
                f"No checkpoint signed: {problem}. Run `liaison audit verify` and tell the security officer."
            )
        standalone.frontier_append(frontier, size, standalone.leaf_hash(bytes.fromhex(entry.hash)))
        size, head_hash = size + 1, entry.hash
    if size != head:
        raise CheckpointRefused(f"No checkpoint signed: the chain ends at #{size}, not #{head}.")
    return size, frontier, head_hash


def verify_since_checkpoint() -> int:
    """Check the entries appended since the last signed checkpoint as signing the next one would (seq, link, hash),
    without signing anything; returns how many were checked. Raises CheckpointRefused naming the first entry that
    does not fit."""
    last = checkpoint_latest()
    head = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    size, _frontier, _head_hash = _extend(last, max(head, last.tree_size if last else 0))
    return size - (last.tree_size if last else 0)


def checkpoint_create(*, actor: Any = None, request: HttpRequest | None = None) -> Checkpoint:
    """Sign a checkpoint of the chain as it stands, unless the last one already covers every entry but its own
    record. The new entries are hashed outside the chain lock (committed entries never change), then the checkpoint
    is stored and recorded (`audit.checkpoint_signed`) under the lock; a checkpoint signed meanwhile by another
    process wins and is returned."""
    last = checkpoint_latest()
    head = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    if last is not None and not checkpoint_due():
        return last
    size, frontier, head_hash = _extend(last, head)
    root = standalone.frontier_root(frontier)
    signer = get_signer()
    origin = audit_origin()
    with transaction.atomic():
        _lock_chain()
        current = checkpoint_latest()
        if current is not None and current.tree_size >= size:
            return current
        now = timezone.now()
        note = standalone.sign_note(
            standalone.checkpoint_text(origin, size, root, now), origin, signer.public_key, signer.sign
        )
        key_id = standalone.note_key_id(origin, signer.public_key).hex()
        checkpoint = Checkpoint.objects.create(
            tree_size=size,
            root_hash=root.hex(),
            head_hash=head_hash,
            created_at=now,
            origin=origin,
            key_id=key_id,
            note=note,
            frontier=json.dumps([node.hex() for node in frontier]),
        )
        record(
            actor=actor,
            event=AuditEvent.AUDIT_CHECKPOINT_SIGNED,
            extra={"tree_size": size, "root": base64.b64encode(root).decode(), "key_id": key_id},
            request=request,
        )
    return checkpoint


def export_head() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def export_lines(head: int | None = None) -> Iterator[bytes]:
    """The export (`liaison-audit-export/1`, JSON Lines): a header (origin, verifier key, the entries' count, time,
    the latest checkpoint it covers), then each entry up to `head` in seq order with its stored hash and the
    canonical JSON the hash covers, byte for byte."""
    head = export_head() if head is None else head
    latest = Checkpoint.objects.filter(tree_size__lte=head).order_by("-tree_size").first()
    header = {
        "format": standalone.EXPORT_FORMAT,
        "origin": audit_origin(),
        "key": verifier_key(),
        "head_seq": head,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "checkpoint": latest.note if latest else None,
    }
    yield canonical_json(header).encode() + b"\n"
    for entry in AuditEntry.objects.filter(seq__lte=head).order_by("seq").iterator(chunk_size=5000):
        yield standalone.entry_line(entry.hash, canonical_json(entry.payload()))


def verify_against(notes: Sequence[tuple[str, bytes]]) -> standalone.Report:
    """The log as the database holds it, checked against checkpoints (label, note) by the standalone verifier."""
    log = standalone.read_lines(export_lines())
    return standalone.verify(log, notes, get_signer().public_key, audit_origin())


def verify_latest() -> standalone.Report | None:
    """The log checked against the latest stored checkpoint (None when none was signed yet)."""
    latest = checkpoint_latest()
    if latest is None:
        return None
    return verify_against([(f"checkpoint {latest.tree_size}", latest.note.encode())])


# What each verdict of the standalone verifier means, in the reader's language (its own messages are English details).
VERDICT_LABELS = {
    "ok": _("verified"),
    "edited": _("an entry was edited"),
    "deleted": _("entries were deleted from the middle of the log"),
    "reordered": _("entries were reordered"),
    "unlinked": _("an entry was replaced"),
    "unreadable": _("the export holds an unreadable line"),
    "truncated": _("the log was truncated (it is smaller than the checkpoint)"),
    "rewritten": _("the chain was rewritten after the checkpoint"),
    "changed": _("the entries the checkpoint covers were changed"),
    "fork": _("the log forked (two checkpoints that cannot both be true)"),
    "foreign": _("a checkpoint of another instance"),
    "bad_signature": _("the checkpoint's signature does not verify"),
    "malformed_checkpoint": _("not a signed checkpoint"),
}
