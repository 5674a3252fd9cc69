"""Releases to partners (communications): consents of originators and requests for them, tearlines (sanitised
texts) with their approved downgrades, release requests with their four-eyes decision, the signed package and its
recall. The rule that decides lives in `liaison.policy.release`; these are the facts it is given."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.models import BaseModel
from liaison.policy import release as rule
from liaison.policy.models import ClassificationLevel, MarkedModel

if TYPE_CHECKING:
    from liaison.accounts.models import User
    from liaison.exchanges.models import InformationItem


class OriginatorKind(models.TextChoices):
    PARTNER = rule.PARTNER, _("partner service")
    SERVICE = rule.SERVICE, _("internal service")
    OPEN_SOURCE = rule.OPEN_SOURCE, _("open source")


class FromOriginator(models.Model):
    """Who an answer is owed by: a partner service, an internal service, or open sources (named by the item)."""

    originator_kind = models.CharField(_("originator"), max_length=12, choices=OriginatorKind.choices)
    originator_partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("originating partner"),
    )
    originator_service = models.ForeignKey(
        "accounts.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("originating service"),
    )

    class Meta:
        abstract = True

    @property
    def originator(self) -> rule.Originator:
        if self.originator_kind == OriginatorKind.PARTNER:
            return rule.Originator(rule.PARTNER, str(self.originator_partner_id))
        if self.originator_kind == OriginatorKind.SERVICE:
            service = self.originator_service
            return rule.Originator(rule.SERVICE, service.code if service else "")
        return rule.Originator(rule.OPEN_SOURCE, "")

    @property
    def originator_label(self) -> str:
        if self.originator_kind == OriginatorKind.PARTNER and self.originator_partner is not None:
            return str(self.originator_partner)
        if self.originator_kind == OriginatorKind.SERVICE and self.originator_service is not None:
            return str(self.originator_service)
        return str(OriginatorKind(self.originator_kind).label)


class ConsentRequestStatus(models.TextChoices):
    OPEN = "open", _("waiting for the originator")
    ANSWERED = "answered", _("answered")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ConsentRequest(FromOriginator, MarkedModel):
    """A request to an originator for its consent to release items to a partner, opened from a refusal of the
    release rule and tracked until its answer is recorded. Marked with the items it names."""

    items = models.ManyToManyField(
        "exchanges.InformationItem", related_name="consent_requests", verbose_name=_("items")
    )
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="consent_requests_for", verbose_name=_("for partner")
    )
    release = models.ForeignKey(
        "releases.Release",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consent_requests",
        verbose_name=_("release"),
    )
    message = models.TextField(_("message to the originator"))
    status = models.CharField(
        _("status"), max_length=10, choices=ConsentRequestStatus.choices, default=ConsentRequestStatus.OPEN
    )
    answer_due = models.DateField(_("answer expected by"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consent request")
        verbose_name_plural = _("consent requests")

    def __str__(self) -> str:
        return str(_("Consent request to %(originator)s") % {"originator": self.originator_label})


class Consent(FromOriginator, MarkedModel):
    """An originator's answer on record: granted or refused, for the items listed or all of its items, for one
    partner or any, until a day (inclusive). Never edited: a new answer is a new record, and for one question the
    latest record that covers it decides. Marked with what it names."""

    all_items = models.BooleanField(_("all of this originator's items"), default=False)
    items = models.ManyToManyField(
        "exchanges.InformationItem", blank=True, related_name="consents", verbose_name=_("items")
    )
    partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents_for",
        verbose_name=_("for partner"),
        help_text=_("Empty: for any partner."),
    )
    granted = models.BooleanField(_("granted"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Inclusive; empty: no end."))
    reference = models.CharField(
        _("reference of the answer"), max_length=200, help_text=_("Where the answer is: message number, letter, call.")
    )
    note = models.TextField(_("note"), blank=True)
    request = models.ForeignKey(
        ConsentRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("answers the request"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        verdict = _("granted") if self.granted else _("refused")
        return f"{self.originator_label} — {verdict}"

    def as_record(self, item_ids: frozenset[str] | None) -> rule.ConsentRecord:
        """The plain value the release rule reads; `item_ids` are the items listed (ignored when all items)."""
        return rule.ConsentRecord(
            originator=self.originator,
            granted=self.granted,
            recorded_at=self.created_at,
            items=None if self.all_items else (item_ids or frozenset()),
            partner=str(self.partner_id) if self.partner_id else None,
            valid_until=self.valid_until,
        )


class DowngradeStatus(models.TextChoices):
    NONE = "", _("none")
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class Tearline(MarkedModel):
    """A sanitised text written from named source items for release. Its markings are the combination of its
    sources' (classification the highest, compartments the union, releasable-to the intersection, TLP and
    no-foreign-release inherited) unless a downgrade of its classification was approved by a second person;
    what is owed to originators stays owed per source item, whatever the downgrade."""

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("sanitised text"))
    sources: models.ManyToManyField[InformationItem, TearlineSource] = models.ManyToManyField(
        "exchanges.InformationItem",
        through="TearlineSource",
        related_name="tearlines",
        verbose_name=_("source items"),
    )
    downgrade_status = models.CharField(
        _("downgrade"), max_length=10, choices=DowngradeStatus.choices, default=DowngradeStatus.NONE, blank=True
    )
    downgrade_to = models.ForeignKey(
        ClassificationLevel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("downgrade to"),
    )
    downgrade_reason = models.TextField(_("reason for the downgrade"), blank=True)
    downgrade_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    downgrade_requested_at = models.DateTimeField(null=True, blank=True)
    downgrade_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    downgrade_decided_at = models.DateTimeField(null=True, blank=True)
    downgrade_decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tearline")
        verbose_name_plural = _("tearlines")

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        """Text and sources are fixed once a downgrade is asked for or a release of it is submitted."""
        return bool(self.downgrade_status) or self.releases.exclude(status=ReleaseStatus.DRAFT).exists()


class TearlineSource(models.Model):
    tearline = models.ForeignKey(Tearline, on_delete=models.CASCADE, related_name="source_links")
    item = models.ForeignKey("exchanges.InformationItem", on_delete=models.PROTECT, related_name="+")
    item_version = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tearline", "item"], name="one_link_per_tearline_source")]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.item_version}"


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("waiting for approval")
    RELEASED = "released", _("approved and released")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")
    RECALLED = "recalled", _("recalled")


class Release(MarkedModel):
    """A release request to one partner: items or one tearline, with a justification. A release authority other
    than the requester approves (the rule runs again then) or refuses; approval produces the signed package.
    Marked with everything it carries (sticky), seen by its requester's service and its approver."""

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, related_name="releases", verbose_name=_("partner")
    )
    justification = models.TextField(_("justification"))
    items: models.ManyToManyField[InformationItem, ReleaseItem] = models.ManyToManyField(
        "exchanges.InformationItem", through="ReleaseItem", related_name="releases", verbose_name=_("items")
    )
    tearline = models.ForeignKey(
        Tearline,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="releases",
        verbose_name=_("tearline"),
    )
    status = models.CharField(_("status"), max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    last_check = models.JSONField(_("last check"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return str(_("Release to %(partner)s") % {"partner": self.partner})

    @classmethod
    def extra_audience_q(cls, user: User) -> Q:
        return Q(decided_by=user)

    def extra_audience_users_q(self) -> Q:
        return Q(pk=self.decided_by_id) if self.decided_by_id else Q(pk__in=[])


class ReleaseItem(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="item_links")
    item = models.ForeignKey("exchanges.InformationItem", on_delete=models.PROTECT, related_name="+")
    item_version = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["release", "item"], name="one_link_per_release_item")]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.item_version}"


class ReleaseAction(models.TextChoices):
    CREATED = "created", _("created")
    EDITED = "edited", _("edited")
    SUBMITTED = "submitted", _("submitted for approval")
    APPROVED = "approved", _("approved, package signed")
    REFUSED = "refused", _("refused")
    APPROVAL_BLOCKED = "blocked", _("approval blocked by the release rule")
    WITHDRAWN = "withdrawn", _("withdrawn")
    RECALLED = "recalled", _("recalled")
    RECALL_RECEIPT = "receipt", _("partner's receipt of the recall recorded")


class ReleaseEvent(models.Model):
    """The release's own history (the audit log keeps the authoritative trail)."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=ReleaseAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class ReleasePackage(BaseModel):
    """What an approved release gave: the signed JSON manifest and the signed PDF (stored encrypted, its own data
    key wrapped by the master key), with their hashes. One per release."""

    release = models.OneToOneField(Release, on_delete=models.PROTECT, related_name="package")
    manifest = models.TextField(help_text=_("Canonical JSON manifest."))
    manifest_sha256 = models.CharField(max_length=64)
    signature = models.TextField(help_text=_("Ed25519 signature of the manifest, base64."))
    signing_key_id = models.CharField(max_length=32)
    pdf_sha256 = models.CharField(max_length=64)
    pdf_size = models.PositiveIntegerField()
    pdf_wrapped_key = models.BinaryField()
    pdf_nonce = models.BinaryField()
    pdf_ciphertext = models.BinaryField()
    pdf_digest = models.CharField(max_length=64, help_text=_("HMAC-SHA256 of the PDF under its own data key."))
    code = models.CharField(_("package code"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("release package")
        verbose_name_plural = _("release packages")

    def __str__(self) -> str:
        return self.code


class Recall(BaseModel):
    """A recall of a release: a signed message for the partner, and the partner's receipt once it comes."""

    release = models.OneToOneField(Release, on_delete=models.PROTECT, related_name="recall")
    reason = models.TextField(_("reason"))
    recalled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(help_text=_("Canonical JSON recall message."))
    signature = models.TextField(help_text=_("Ed25519 signature of the message, base64."))
    signing_key_id = models.CharField(max_length=32)
    receipt_at = models.DateTimeField(_("receipt date"), null=True, blank=True)
    receipt_by = models.CharField(_("acknowledged by (at the partner)"), max_length=200, blank=True)
    receipt_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("recall")
        verbose_name_plural = _("recalls")

    def __str__(self) -> str:
        return str(_("Recall of %(release)s") % {"release": self.release})
