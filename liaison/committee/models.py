"""The management committee's report: a month's or a quarter's figures of the cybersecurity office and of the
liaison office's activity, with the security head's commentary, approved by a second security officer, its figures
frozen and its PDF signed at approval."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from liaison.core.models import BaseModel


class PeriodKind(models.TextChoices):
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")


class ReportLanguage(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class CommitteeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")


class CommitteeReport(BaseModel):
    """One report to the management committee for one period, in one language. Until approval its figures are read
    live; approval freezes them (`figures`) and stores the signed PDF with its SHA-256."""

    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"), help_text=_("The last day of the period, included."))
    language = models.CharField(_("language"), max_length=2, choices=ReportLanguage.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=CommitteeStatus.choices, default=CommitteeStatus.DRAFT
    )
    commentary = models.TextField(_("commentary"), blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("prepared by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    figures = models.JSONField(_("figures as approved"), default=dict, blank=True)
    pdf = models.BinaryField(_("signed PDF"), blank=True, default=b"")
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)

    class Meta:
        ordering = ["-period_start", "period_kind", "language", "-created_at"]
        verbose_name = _("committee report")
        verbose_name_plural = _("committee reports")
        constraints = [
            models.UniqueConstraint(
                fields=["period_kind", "period_start", "language"],
                condition=Q(status="approved"),
                name="committee_one_approved_report_per_period_and_language",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="committee_period_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_period_kind_display()} {self.period_start:%Y-%m-%d} ({self.language})"

    @property
    def is_draft(self) -> bool:
        return self.status == CommitteeStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == CommitteeStatus.SUBMITTED

    @property
    def is_approved(self) -> bool:
        return self.status == CommitteeStatus.APPROVED
