"""Colleagues' security concerns (préoccupations): submitted by any staff member, triaged and answered by the
security office with the rationale, and, where useful to others, published without the requester's identity."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.models import BaseModel


class ConcernCategory(models.TextChoices):
    SUSPICIOUS_MESSAGE = "suspicious_message", _("suspicious message or call")
    DEVICE = "device", _("device lost, stolen or behaving oddly")
    TRAVEL = "travel", _("travel and posts abroad")
    ACCESS = "access", _("accounts and access")
    HANDLING = "handling", _("handling of information")
    RULE = "rule", _("question about a security rule")
    OTHER = "other", _("other")


class ConcernStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    TRIAGED = "triaged", _("being handled")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


class ConcernSeverity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    CRITICAL = "critical", _("critical")


class ConcernOutcome(models.TextChoices):
    WILL_DO = "will_do", _("will be done")
    WILL_NOT_DO = "will_not_do", _("will not be done")
    ALREADY_IN_PLACE = "already_in_place", _("already in place")
    ADVICE = "advice", _("advice given")


class Concern(BaseModel):
    """A concern or question from a colleague. Its requester reads it with its status and answer; the security office
    triages and answers it; its published form carries neither the requester nor the post."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="security_concerns")
    category = models.CharField(_("category"), max_length=20, choices=ConcernCategory.choices)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    post_or_service = models.CharField(_("post or service"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ConcernStatus.choices, default=ConcernStatus.SUBMITTED
    )
    severity = models.CharField(_("severity"), max_length=10, choices=ConcernSeverity.choices, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handled by"),
    )
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ConcernOutcome.choices, blank=True)
    answer = models.TextField(_("answer and rationale"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The published form: the question restated without who asked or from where, and the answer as published.
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_question = models.TextField(_("question as published"), blank=True)
    published_answer = models.TextField(_("answer as published"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("security concern")
        verbose_name_plural = _("security concerns")
        indexes = [models.Index(fields=["status", "-created_at"], name="concerns_status_recent")]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"
