"""Break-glass access: an administrator's justified request to read named objects outside the read rule, decided
by a second administrator or a security officer, opening a short window in which every read is recorded."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.models import BaseModel


class BreakGlassStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a decision")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    CLOSED = "closed", _("closed")


def new_reference() -> str:
    return "BG-" + secrets.token_hex(4).upper()


class BreakGlassRequest(BaseModel):
    """One request: who asks, why, for how long, and for which identifiers. The identifiers are kept as entered
    (never looked up before approval, so the request confirms nothing). Approval opens the window
    [opens_at, expires_at); closing it early sets closed_at and the status `closed`."""

    reference = models.CharField(_("reference"), max_length=16, unique=True, default=new_reference)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    justification = models.TextField(_("justification"))
    minutes = models.PositiveIntegerField(_("duration (minutes)"))
    status = models.CharField(
        _("status"), max_length=10, choices=BreakGlassStatus.choices, default=BreakGlassStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    opens_at = models.DateTimeField(_("window opens at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("window ends at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    close_reason = models.TextField(_("reason for closing"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("break-glass request")
        verbose_name_plural = _("break-glass requests")
        indexes = [models.Index(fields=["requester", "status"]), models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.reference

    def is_open(self, now: datetime) -> bool:
        """Whether the window is open at `now` (exact to the second: open from opens_at, shut at expires_at)."""
        return (
            self.status == BreakGlassStatus.APPROVED
            and self.opens_at is not None
            and self.expires_at is not None
            and self.opens_at <= now < self.expires_at
        )

    def state(self, now: datetime) -> str:
        """The status as shown: an approved window past its end reads as expired."""
        if self.status == BreakGlassStatus.APPROVED and not self.is_open(now):
            return "expired"
        return str(self.status)


class BreakGlassTarget(BaseModel):
    """One object named by a request: the model (empty for a bare id, which may be of any kind of marked object)
    and the object's id, with the text the requester entered."""

    request = models.ForeignKey(BreakGlassRequest, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    object_id = models.UUIDField(_("object id"))
    entered = models.CharField(_("as entered"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["request", "position"]
        constraints = [models.UniqueConstraint(fields=["request", "kind", "object_id"], name="one_target_per_request")]

    def __str__(self) -> str:
        return self.entered


class BreakGlassRead(BaseModel):
    """One read of a named object during a window (the audit log's read record is the authoritative trail; this
    row lets the request's page list the reads and keys the notice sent for each)."""

    request = models.ForeignKey(BreakGlassRequest, on_delete=models.PROTECT, related_name="reads")
    target = models.ForeignKey(BreakGlassTarget, on_delete=models.PROTECT, related_name="reads")
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        ordering = ["read_at"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.target_id} {self.read_at:%Y-%m-%d %H:%M:%S}"
