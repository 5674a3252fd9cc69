"""The append-only, hash-chained audit log. Each entry carries the hash of the one before it, so that any edit,
deletion or insertion in the middle breaks the chain at that point; database triggers refuse UPDATE and DELETE.

Reads of protected content go to `ReadRecord` instead: a plain append-only table whose rows link to nothing (so
inserts never wait for one another), each carrying the hash of its own content, and sealed in batches into the chain
by one `audit.reads_sealed` entry holding their count and the digest of their hashes (`services.seal_reads`).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.audit.events import AuditEvent

GENESIS_HASH = "0" * 64


# The same output as json.dumps with these options, without building an encoder at each call (every hash uses it).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str:
    return _CANONICAL.encode(value)


class HashedRow:
    """What the chain's entries and the read records share: a hash over `payload()`, and details kept as JSON."""

    CONTENT_COLUMNS = ("created_at", "actor_id", "actor_alias", "event", "target_type", "target_id", "extra", "ip")

    created_at: datetime
    actor_id: str
    actor_alias: str
    event: str
    target_type: str
    target_id: str
    extra: str
    ip: str

    def payload(self) -> dict[str, Any]:
        raise NotImplementedError

    def content(self) -> dict[str, Any]:
        """The columns both kinds of row hash, in a fixed textual form (canonical JSON sorts the keys)."""
        content = {column: getattr(self, column) for column in self.CONTENT_COLUMNS}
        content["created_at"] = self.created_at.isoformat(timespec="microseconds")
        return content

    def compute_hash(self) -> str:
        return hashlib.sha256(canonical_json(self.payload()).encode()).hexdigest()

    @property
    def details(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.extra)
        return value


class AuditEntry(HashedRow, models.Model):
    seq = models.BigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("time"))
    actor_id = models.CharField(_("actor id"), max_length=36, blank=True)
    actor_alias = models.CharField(_("actor"), max_length=80, blank=True)
    event = models.CharField(_("event"), max_length=40, choices=AuditEvent.choices)
    target_type = models.CharField(_("target type"), max_length=60, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    extra = models.TextField(_("details"), default="{}", help_text=_("Canonical JSON."))
    ip = models.CharField(_("address"), max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["actor_id", "created_at"]),
            models.Index(fields=["event", "created_at"]),
            # One user's entries of one kind in a period (the anomaly rules: exports, logins).
            models.Index(fields=["actor_id", "event", "created_at"], name="audit_entry_actor_event"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event}"

    def payload(self) -> dict[str, Any]:
        """What the hash covers: every field but the hash itself, in a fixed textual form."""
        return {"seq": self.seq, **self.content(), "prev_hash": self.prev_hash}


class ReadEvent(models.TextChoices):
    """The events recorded as `ReadRecord` rows rather than chain entries (same values as in `AuditEvent`)."""

    ACCESS_REFUSED = AuditEvent.ACCESS_REFUSED.value, AuditEvent.ACCESS_REFUSED.label
    OBJECT_READ = AuditEvent.OBJECT_READ.value, AuditEvent.OBJECT_READ.label
    OBJECT_LIST_READ = AuditEvent.OBJECT_LIST_READ.value, AuditEvent.OBJECT_LIST_READ.label


def reads_digest(hashes: list[str]) -> str:
    """What a seal holds: the SHA-256 of its rows' hashes (fixed-width hex) concatenated in id order."""
    return hashlib.sha256("".join(hashes).encode()).hexdigest()


class ReadRecord(HashedRow, models.Model):
    """One read of protected content (or one refusal). Rows are independent: the hash covers the row's own content
    only, so an insert takes no lock beyond its own row. `seal_seq` is the seq of the chain entry that sealed the
    row; triggers refuse DELETE and every UPDATE but setting it once, from empty, with nothing else changed."""

    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField(_("time"))
    actor_id = models.CharField(_("actor id"), max_length=36, blank=True)
    actor_alias = models.CharField(_("actor"), max_length=80, blank=True)
    event = models.CharField(_("event"), max_length=40, choices=ReadEvent.choices)
    target_type = models.CharField(_("target type"), max_length=60, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    extra = models.TextField(_("details"), default="{}", help_text=_("Canonical JSON."))
    ip = models.CharField(_("address"), max_length=45, blank=True)
    hash = models.CharField(max_length=64)
    seal_seq = models.BigIntegerField(_("sealed by entry"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("read record")
        verbose_name_plural = _("read records")
        indexes = [
            # Unsealed rows in id order (the seal job), the rows of one seal (the verifier).
            models.Index(fields=["seal_seq", "id"]),
            models.Index(fields=["actor_id", "created_at"]),
            models.Index(fields=["event", "created_at"]),
            # One user's reads or refusals in a period (the anomaly rules).
            models.Index(fields=["actor_id", "event", "created_at"], name="read_record_actor_event"),
        ]

    def __str__(self) -> str:
        return f"read #{self.id} {self.event}"

    def payload(self) -> dict[str, Any]:
        """What the hash covers: the content of the row (not its id, given by the database at insert, nor its seal,
        set later; the seal's digest covers the rows in id order)."""
        return self.content()


class Checkpoint(models.Model):
    """A signed checkpoint of the chain: its first `tree_size` entries as a Merkle tree (`audit/standalone.py`), the
    root signed with the instance key as a C2SP tlog-checkpoint note. `frontier` holds the roots of the tree's full
    subtrees (hex, largest first), so the next checkpoint hashes only the entries added since this one."""

    tree_size = models.BigIntegerField(_("tree size"), unique=True)
    root_hash = models.CharField(_("root hash"), max_length=64)
    head_hash = models.CharField(max_length=64, help_text=_("Hash of the entry at seq = tree size."))
    created_at = models.DateTimeField(_("time"))
    origin = models.CharField(_("origin"), max_length=200)
    key_id = models.CharField(_("key id"), max_length=16)
    note = models.TextField(_("signed note"))
    frontier = models.TextField(default="[]")

    class Meta:
        ordering = ["-tree_size"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"checkpoint {self.tree_size}"

    def frontier_hashes(self) -> list[bytes]:
        return [bytes.fromhex(node) for node in json.loads(self.frontier)]
