"""Exchanges with partner services and the information items received or provided in them. Items are never
edited in place: every change makes a new version, and attachments are encrypted at rest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.core.models import BaseModel
from liaison.policy.markings import InformationCredibility, SourceReliability, europol_code
from liaison.policy.models import MarkedModel, Zone

if TYPE_CHECKING:
    from liaison.accounts.models import User


class ExchangeKind(models.TextChoices):
    MEETING = "meeting", _("meeting")
    CALL = "call", _("call")
    SECURE_MESSAGE = "secure_message", _("secure message")
    VISIT = "visit", _("visit")
    RECEPTION = "reception", _("reception")


class Exchange(MarkedModel):
    """A meeting, call, message, visit or reception with one or more partners. Its compartments are its themes."""

    kind = models.CharField(_("kind"), max_length=20, choices=ExchangeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    occurred_at = models.DateTimeField(_("date and time"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    place = models.CharField(_("place"), max_length=200, blank=True)
    partners = models.ManyToManyField("partners.Partner", related_name="exchanges", verbose_name=_("partners"))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="exchanges", verbose_name=_("participants")
    )
    zones = models.ManyToManyField(Zone, blank=True, related_name="exchanges", verbose_name=_("zones"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def extra_audience_q(cls, user: User) -> Q:
        through = cls.participants.through
        return Q(pk__in=through.objects.filter(user=user).values("exchange_id"))

    def extra_audience_users_q(self) -> Q:
        return Q(pk__in=self.participants.values("pk"))


class ItemDirection(models.TextChoices):
    RECEIVED = "received", _("received")
    PROVIDED = "provided", _("provided")


class OriginatorKind(models.TextChoices):
    PARTNER = "partner", _("partner service")
    SERVICE = "service", _("internal service")
    OPEN_SOURCE = "open_source", _("open source")


class InformationItem(MarkedModel):
    """One unit of information received from or provided to a partner. The originator control (third-party rule)
    of an item received from a partner names that partner."""

    exchange = models.ForeignKey(Exchange, on_delete=models.PROTECT, related_name="items", verbose_name=_("exchange"))
    direction = models.CharField(_("direction"), max_length=10, choices=ItemDirection.choices)
    originator_kind = models.CharField(_("originator"), max_length=12, choices=OriginatorKind.choices)
    originator_partner = models.ForeignKey(
        "partners.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="originated_items",
        verbose_name=_("originating partner"),
    )
    originator_service = models.ForeignKey(
        "accounts.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="originated_items",
        verbose_name=_("originating service"),
    )
    source_reliability = models.CharField(_("source reliability"), max_length=1, choices=SourceReliability.choices)
    information_credibility = models.CharField(
        _("information credibility"), max_length=1, choices=InformationCredibility.choices
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    zones = models.ManyToManyField(Zone, blank=True, related_name="items", verbose_name=_("zones"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("information item")
        verbose_name_plural = _("information items")

    def __str__(self) -> str:
        return self.title

    @property
    def evaluation(self) -> str:
        return f"{self.source_reliability}{self.information_credibility}"

    @property
    def europol_evaluation(self) -> str:
        return europol_code(self.source_reliability, self.information_credibility)

    @classmethod
    def extra_audience_q(cls, user: User) -> Q:
        through = Exchange.participants.through
        return Q(exchange__in=through.objects.filter(user=user).values("exchange_id"))

    def extra_audience_users_q(self) -> Q:
        return Q(pk__in=self.exchange.participants.values("pk"))


class ItemVersion(models.Model):
    """What an item said at one version: a frozen snapshot, who made it and which fields changed."""

    item = models.ForeignKey(InformationItem, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("content"))
    changed_fields = models.JSONField(_("changed fields"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["item", "-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="one_row_per_item_version")]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"

    @property
    def changed_labels(self) -> list[str]:
        """The changed fields as the reader calls them."""
        from django.core.exceptions import FieldDoesNotExist

        labels = []
        for key in self.changed_fields:
            try:
                labels.append(str(getattr(InformationItem._meta.get_field(key), "verbose_name", key)))
            except FieldDoesNotExist:
                labels.append(str(_("evaluation")) if key == "evaluation" else key)
        return labels


class Attachment(BaseModel):
    """A file attached to an item, stored encrypted (AES-256-GCM, own data key wrapped by the master key). It is
    read only through its item, so the item's markings and audience govern it."""

    item = models.ForeignKey(InformationItem, on_delete=models.PROTECT, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    content_hmac = models.CharField(max_length=64, help_text=_("HMAC-SHA256 of the content under its own data key."))
    wrapped_key = models.BinaryField()
    nonce = models.BinaryField()
    ciphertext = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename
