"""Reports (comptes-rendus): written after an exchange, quoting items with their markings, reviewed by the
hierarchy, frozen and signed on approval, disseminated to internal services that acknowledge them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.models import BaseModel
from liaison.policy.models import Compartment, MarkedModel, Zone

if TYPE_CHECKING:
    from liaison.accounts.models import User


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned with comments")
    APPROVED = "approved", _("approved")
    DISSEMINATED = "disseminated", _("disseminated")


REVIEWABLE = (ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.APPROVED, ReportStatus.DISSEMINATED)
FROZEN = (ReportStatus.APPROVED, ReportStatus.DISSEMINATED)

# The structured template of a compte-rendu, in order: (field, label).
SECTIONS = [
    ("context", _("Context")),
    ("participants_notes", _("Participants")),
    ("information_received", _("Information received")),
    ("information_provided", _("Information provided")),
    ("assessment", _("Assessment")),
    ("proposed_followups", _("Proposed follow-ups")),
]


class Report(MarkedModel):
    exchange = models.ForeignKey(
        "exchanges.Exchange", on_delete=models.PROTECT, related_name="reports", verbose_name=_("exchange")
    )
    title = models.CharField(_("title"), max_length=200)
    context = models.TextField(_("context"), blank=True)
    participants_notes = models.TextField(_("participants"), blank=True)
    information_received = models.TextField(_("information received"), blank=True)
    information_provided = models.TextField(_("information provided"), blank=True)
    assessment = models.TextField(_("assessment"), blank=True)
    proposed_followups = models.TextField(_("proposed follow-ups"), blank=True)
    zones = models.ManyToManyField(Zone, blank=True, related_name="reports", verbose_name=_("zones"))
    status = models.CharField(_("status"), max_length=14, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    disseminated_at = models.DateTimeField(_("disseminated at"), null=True, blank=True)
    signed_payload = models.TextField(blank=True, help_text=_("Canonical JSON of the approved report."))
    signature = models.TextField(blank=True, help_text=_("Ed25519 signature of the payload, base64."))
    signing_key_id = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.title

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN

    @classmethod
    def extra_audience_q(cls, user: User) -> Q:
        """Workflow participants: the desk heads of the author's service once the report is submitted."""
        from liaison.accounts.models import RoleCode, User

        if user.service_id is None or not user.has_role(RoleCode.DESK_HEAD):
            return Q(pk__in=[])
        # A subquery, not a join: the read rule stays a condition on the report's own row (policy/access.py).
        authors = User.objects.filter(service_id=user.service_id).values("pk")
        return Q(status__in=REVIEWABLE, created_by__in=authors)

    def extra_audience_users_q(self) -> Q:
        from liaison.accounts.models import RoleCode

        if self.status not in REVIEWABLE or self.created_by.service_id is None:
            return Q(pk__in=[])
        return Q(roles__code=RoleCode.DESK_HEAD, service_id=self.created_by.service_id, is_active=True)


class ReportQuote(models.Model):
    """An extract of an item quoted in a report, pinned to the item version it was taken from."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="quotes")
    item = models.ForeignKey("exchanges.InformationItem", on_delete=models.PROTECT, related_name="quotes")
    item_version = models.PositiveIntegerField()
    extract = models.TextField(_("extract"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "item"], name="one_quote_per_item_per_report")]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.item_version}"


class ReportAction(models.TextChoices):
    CREATED = "created", _("created")
    EDITED = "edited", _("edited")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned with comments")
    APPROVED = "approved", _("approved and signed")
    DISSEMINATED = "disseminated", _("disseminated")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")


class ReportEvent(models.Model):
    """The report's own history (the audit log keeps the authoritative trail)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=14, choices=ReportAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class RoutingRule(BaseModel):
    """Theme (and optionally zone) → internal service: who should receive reports on what."""

    compartment = models.ForeignKey(Compartment, on_delete=models.PROTECT, related_name="+", verbose_name=_("theme"))
    zone = models.ForeignKey(
        Zone, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone (any if empty)")
    )
    service = models.ForeignKey(
        "accounts.Service", on_delete=models.PROTECT, related_name="routing_rules", verbose_name=_("service")
    )

    class Meta:
        ordering = ["compartment", "zone"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["compartment", "zone", "service"], name="routing_rule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.compartment} / {self.zone or '*'} → {self.service}"


class ReportRecipient(models.Model):
    """A service a report was disseminated to, and its acknowledgement (accusé de réception)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="recipients")
    service = models.ForeignKey("accounts.Service", on_delete=models.PROTECT, related_name="received_reports")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(_("acknowledge by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["service__code"]
        constraints = [models.UniqueConstraint(fields=["report", "service"], name="one_recipient_row_per_service")]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.service_id}"

    @property
    def is_overdue(self) -> bool:
        return self.acknowledged_at is None and self.due_at < timezone.now()


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    JSON = "json", "JSON"


class ReportExport(models.Model):
    """One export of a report: who, when, and the unique code printed in its watermark."""

    code = models.CharField(max_length=16, unique=True)
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="exports")
    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    exported_at = models.DateTimeField(default=timezone.now)
    format = models.CharField(max_length=4, choices=ExportFormat.choices)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-exported_at"]

    def __str__(self) -> str:
        return self.code
