"""Follow-ups (suivis): tasks and requests for information to and from partners and internal services, with an
owner, a deadline, an estimate, a history and the markings of what they link (sticky, like reports)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.models import BaseModel
from liaison.policy.models import MarkedModel

if TYPE_CHECKING:
    from liaison.accounts.models import User


class FollowUpKind(models.TextChoices):
    TASK = "task", _("task")
    RFI_IN = "rfi_in", _("request from a partner")
    RFI_OUT = "rfi_out", _("request to a partner")
    RFI_INTERNAL = "rfi_internal", _("question from a recipient service")
    CONSENT = "consent", _("consent request")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    ANSWERED = "answered", _("answered")
    REFUSED = "refused", _("refused")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


OPEN_STATUSES = (FollowUpStatus.OPEN, FollowUpStatus.ACKNOWLEDGED)
# What a user opens by hand; questions from recipients and consent follow-ups are opened by their workflows.
CREATABLE_KIND_CHOICES = [(k.value, k.label) for k in (FollowUpKind.TASK, FollowUpKind.RFI_IN, FollowUpKind.RFI_OUT)]


class Priority(models.TextChoices):
    URGENT = "urgent", _("urgent")
    NORMAL = "normal", _("normal")
    ROUTINE = "routine", _("routine")


class FollowUp(MarkedModel):
    """A task or a request for information. Its audience is its author, its owner and, for a question from a
    recipient service, that service's members; its markings are at least those of what it links."""

    kind = models.CharField(_("kind"), max_length=14, choices=FollowUpKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=14, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="followups", verbose_name=_("owner")
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    due_at = models.DateTimeField(_("due at"))
    partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("partner"),
    )
    exchange = models.ForeignKey(
        "exchanges.Exchange",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("exchange"),
    )
    report = models.ForeignKey(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("report"),
    )
    items = models.ManyToManyField(
        "exchanges.InformationItem", blank=True, related_name="followups", verbose_name=_("items")
    )
    consent_request = models.OneToOneField(
        "releases.ConsentRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followup",
        verbose_name=_("consent request"),
    )
    requested_by_service = models.ForeignKey(
        "accounts.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followups_requested",
        verbose_name=_("requested by service"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    estimate_at = models.DateTimeField(_("estimated answer"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    outcome = models.TextField(_("outcome"), blank=True)
    answer_release = models.ForeignKey(
        "releases.Release",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answered_followups",
        verbose_name=_("release given"),
    )
    partner_reference = models.CharField(_("partner's reference"), max_length=120, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [
            models.Index(fields=["owner", "status", "due_at"], name="followup_owner_status_due"),
            models.Index(fields=["status", "due_at"], name="followup_status_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()

    @property
    def is_slipping(self) -> bool:
        return self.is_open and self.estimate_at is not None and self.estimate_at < timezone.now()

    @classmethod
    def extra_audience_q(cls, user: User) -> Q:
        """The owner; for a question from a recipient service, that service's members; and the desk heads of the
        owner's service, who watch their team's follow-ups and hand them over."""
        from liaison.accounts.models import RoleCode, User

        audience = Q(owner=user)
        if user.service_id is not None:
            audience |= Q(kind=FollowUpKind.RFI_INTERNAL, requested_by_service_id=user.service_id)
            if user.has_role(RoleCode.DESK_HEAD):
                # A subquery, not a join: the read rule stays a condition on the row itself (policy/access.py).
                audience |= Q(owner__in=User.objects.filter(service_id=user.service_id).values("pk"))
        return audience

    def extra_audience_users_q(self) -> Q:
        from liaison.accounts.models import RoleCode

        audience = Q(pk=self.owner_id)
        if self.kind == FollowUpKind.RFI_INTERNAL and self.requested_by_service_id is not None:
            audience |= Q(service_id=self.requested_by_service_id)
        if self.owner.service_id is not None:
            audience |= Q(roles__code=RoleCode.DESK_HEAD, service_id=self.owner.service_id, is_active=True)
        return audience


class FollowUpAction(models.TextChoices):
    CREATED = "created", _("created")
    ASSIGNED = "assigned", _("assigned")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    RE_ESTIMATED = "re_estimated", _("re-estimated")
    COMMENTED = "commented", _("commented")
    ANSWERED = "answered", _("answered")
    REFUSED = "refused", _("refused")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")
    REOPENED = "reopened", _("reopened")
    HANDED_OVER = "handed_over", _("handed over")


class FollowUpEvent(models.Model):
    """The follow-up's own history: each action, by whom, its comment and the estimate it set (the audit log keeps
    the authoritative trail)."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=14, choices=FollowUpAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    estimate_at = models.DateTimeField(_("estimated answer"), null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class Handover(BaseModel):
    """The record of a rotation: one officer's open follow-ups and partners given to another, with a note."""

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers_given", verbose_name=_("from")
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers_received", verbose_name=_("to")
    )
    note = models.TextField(_("hand-over note"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")

    def __str__(self) -> str:
        return f"{self.from_user_id} → {self.to_user_id} {self.at:%Y-%m-%d}"
