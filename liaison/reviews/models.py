"""Review campaigns and their items: one item per person and entitlement (clearance, each compartment, each role),
decided by the person's managers (see `managers.py`), never by the person."""

from __future__ import annotations

from datetime import datetime, time, timedelta
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


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class UnansweredOutcome(models.TextChoices):
    REVOKE = "revoke", _("revoke")
    FLAG = "flag", _("flag")


class ReviewCampaign(MarkedModel):
    """One recertification campaign. It is protected like content (it says who holds which compartment): marked
    restricted at least, read by the security officers, administrators and auditors, and by the managers who have
    items to decide in it."""

    name = models.CharField(_("name"), max_length=200)
    services = models.ManyToManyField(
        "accounts.Service",
        blank=True,
        related_name="+",
        verbose_name=_("services reviewed"),
        help_text=_("Empty for every user."),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    unanswered_outcome = models.CharField(
        _("unanswered items at close"), max_length=8, choices=UnansweredOutcome.choices, blank=True
    )
    # The audit entry that holds the signed result (its sequence number in the chain).
    result_seq = models.BigIntegerField(_("result entry"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("access review campaign")
        verbose_name_plural = _("access review campaigns")

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN

    @property
    def due_at(self) -> datetime:
        """The end of the due day in the instance's time zone: items still pending after it are overdue."""
        end = datetime.combine(self.due_on + timedelta(days=1), time.min)
        return timezone.make_aware(end, timezone.get_default_timezone())

    @classmethod
    def extra_audience_q(cls, user: User) -> Q:
        """The security office, administrators and auditors read every campaign; a desk head reads the campaigns in
        which they have items to decide (a subquery, no join: see policy/access.py)."""
        from liaison.accounts.models import RoleCode
        from liaison.reviews.managers import decidable_q

        if any(user.has_role(code) for code in OVERSIGHT_ROLES):
            return Q(pk__isnull=False)
        if not user.has_role(RoleCode.DESK_HEAD):
            return Q(pk__in=[])
        return Q(pk__in=ReviewItem.objects.filter(decidable_q(user)).values("campaign_id"))

    def extra_audience_users_q(self) -> Q:
        from liaison.accounts.models import RoleCode

        services = self.items.exclude(reviewer_service=None).values("reviewer_service_id")
        escalated = self.items.filter(escalated_at__isnull=False).exclude(escalation_service=None)
        desk_heads = Q(roles__code=RoleCode.DESK_HEAD) & (
            Q(service_id__in=services) | Q(service_id__in=escalated.values("escalation_service_id"))
        )
        return Q(roles__code__in=OVERSIGHT_ROLES) | desk_heads


# Who reads every campaign (the administrators and security officers also open and close them).
OVERSIGHT_ROLES = ("security_officer", "administrator", "auditor")


class EntitlementKind(models.TextChoices):
    CLEARANCE = "clearance", _("clearance")
    COMPARTMENT = "compartment", _("compartment")
    ROLE = "role", _("role")


class ItemDecision(models.TextChoices):
    PENDING = "pending", _("pending")
    CONFIRMED = "confirmed", _("confirmed")
    REVOKED = "revoked", _("revoked")
    FLAGGED = "flagged", _("unanswered, flagged")


class ReviewItem(BaseModel):
    """One entitlement of one person, to confirm or revoke. The reviewing service's desk heads decide it; once
    escalated, also the desk heads of the service above and the security officers; never the person."""

    campaign = models.ForeignKey(ReviewCampaign, on_delete=models.CASCADE, related_name="items")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    kind = models.CharField(_("entitlement"), max_length=12, choices=EntitlementKind.choices)
    clearance = models.ForeignKey(
        "policy.ClassificationLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("clearance held"),
    )
    compartment = models.ForeignKey(
        "policy.Compartment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.ForeignKey("accounts.Role", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Whose desk heads review the person (None: the security officers), and to whom it escalates (None: only the
    # security officers). Decided when the campaign opens (managers.py).
    reviewer_service = models.ForeignKey(
        "accounts.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalation_service = models.ForeignKey(
        "accounts.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=ItemDecision.choices, default=ItemDecision.PENDING
    )
    new_clearance = models.ForeignKey(
        "policy.ClassificationLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("clearance lowered to"),
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    is_automatic = models.BooleanField(_("decided when the campaign closed"), default=False)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        ordering = ["person__alias", "kind", "compartment__code", "role__code"]
        verbose_name = _("access review item")
        verbose_name_plural = _("access review items")
        indexes = [models.Index(fields=["campaign", "decision"], name="review_item_decision")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.entitlement_code}"

    @property
    def is_pending(self) -> bool:
        return self.decision == ItemDecision.PENDING

    @property
    def entitlement_code(self) -> str:
        if self.kind == EntitlementKind.CLEARANCE:
            return self.clearance.code if self.clearance else ""
        if self.kind == EntitlementKind.COMPARTMENT:
            return self.compartment.code if self.compartment else ""
        return self.role.code if self.role else ""

    @property
    def entitlement_name(self) -> str:
        thing = {
            EntitlementKind.CLEARANCE: self.clearance,
            EntitlementKind.COMPARTMENT: self.compartment,
            EntitlementKind.ROLE: self.role,
        }[EntitlementKind(self.kind)]
        return str(thing) if thing is not None else ""
