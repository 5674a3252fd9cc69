"""Anomaly alerts (second line of defence): what a rule found in the audit log about one user in one time window,
with references to the entries and read records that show it, and the security officer's handling of it.

An alert holds no protected content: ids, counts, times and event kinds only. It is not a marked object; who reads
it is decided by role (security officers handle alerts, auditors read them), see `liaison/alerts/selectors.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.models import BaseModel


class AlertRule(models.TextChoices):
    """Every rule that raises alerts, one value each (other apps add theirs here and call `raise_alert`)."""

    READ_VOLUME = "reads.volume", _("reads above the user's baseline")
    EXPORT_VOLUME = "exports.volume", _("exports above the user's baseline")
    REFUSALS = "access.refusals", _("repeated access refusals")
    OFF_HOURS = "reads.off_hours", _("bulk reads outside the user's usual hours")
    LOOKUPS = "reads.lookups", _("many distinct look-ups")
    ADMIN_NEW_DEVICE = "admin.new_device", _("administrator on a new device")
    ADMIN_NEW_ADDRESS = "admin.new_address", _("administrator from a new address")


class Severity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}


class AlertStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    CLOSED = "closed", _("closed")


class Alert(BaseModel):
    """One finding of one rule about one user in one window. Unique per (rule, user, window start): a rule that
    finds more in the same window adds to the alert (while it is not closed) instead of raising another."""

    rule = models.CharField(_("rule"), max_length=40, choices=AlertRule.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="alerts_about", verbose_name=_("user")
    )
    window_start = models.DateTimeField(_("from"))
    window_end = models.DateTimeField(_("until"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(_("status"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    facts = models.JSONField(_("facts"), default=dict, help_text=_("The figures the explanation quotes."))
    evidence_count = models.PositiveIntegerField(_("matching records"), default=0)
    raised_at = models.DateTimeField(_("raised at"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.TextField(_("reason for closing"), blank=True)

    class Meta:
        ordering = ["-raised_at", "id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(fields=["rule", "user", "window_start"], name="one_alert_per_rule_user_window"),
        ]
        indexes = [models.Index(fields=["status", "raised_at"], name="alert_status_raised")]

    def __str__(self) -> str:
        return f"{self.rule} {self.user_id} {self.window_start:%Y-%m-%d %H:%M}"

    @property
    def is_closed(self) -> bool:
        return self.status == AlertStatus.CLOSED

    @property
    def explanation(self) -> str:
        from liaison.alerts.texts import explain

        return explain(self)


class EvidenceSource(models.TextChoices):
    ENTRY = "entry", _("audit entry")
    READ = "read", _("read record")


class AlertEvidence(models.Model):
    """One audit entry (by seq) or read record (by id) that an alert rests on."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="evidence")
    source = models.CharField(max_length=8, choices=EvidenceSource.choices)
    ref = models.BigIntegerField()

    class Meta:
        ordering = ["source", "ref"]
        constraints = [models.UniqueConstraint(fields=["alert", "source", "ref"], name="one_evidence_per_ref")]

    def __str__(self) -> str:
        return f"{self.source} #{self.ref}"


class Watermark(models.Model):
    """How far the rules have read the audit log: every chain entry up to `last_seq`, and every read record sealed
    by one of them. The chain's seq is assigned under its lock and commits in order, so nothing is skipped."""

    name = models.CharField(max_length=40, unique=True)
    last_seq = models.BigIntegerField(default=0)
    evaluated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_seq}"
