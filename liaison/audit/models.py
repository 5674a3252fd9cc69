"""The append-only, hash-chained audit log. Each entry carries the hash of the one before it, so that any edit,
deletion or insertion in the middle breaks the chain at that point; database triggers refuse UPDATE and DELETE.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.audit.events import AuditEvent

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class AuditEntry(models.Model):
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
        indexes = [models.Index(fields=["actor_id", "created_at"]), models.Index(fields=["event", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event}"

    def payload(self) -> dict[str, Any]:
        """What the hash covers: every field but the hash itself, in a fixed textual form."""
        return {
            "seq": self.seq,
            "created_at": self.created_at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_alias": self.actor_alias,
            "event": self.event,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "extra": self.extra,
            "ip": self.ip,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        return hashlib.sha256(canonical_json(self.payload()).encode()).hexdigest()

    @property
    def details(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.extra)
        return value
