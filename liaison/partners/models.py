"""Partner services (services partenaires). A partnership is itself protected: a partner file is marked and seen
only by its audience (officers in charge, services it is shared with, explicit grants).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.countries import country_name
from liaison.core.models import BaseModel
from liaison.policy.models import ClassificationLevel, Compartment, MarkedModel, Zone

if TYPE_CHECKING:
    from liaison.accounts.models import User


class PartnerKind(models.TextChoices):
    INTELLIGENCE = "intelligence", _("intelligence service")
    SECURITY = "security", _("security service")
    POLICE = "police", _("police")
    CERT = "cert", _("CERT / CSIRT")
    MINISTRY = "ministry", _("ministry")


class PartnerStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    ENDED = "ended", _("ended")


class TrustLevel(models.IntegerChoices):
    LOW = 1, _("1 — limited")
    MODERATE = 2, _("2 — moderate")
    HIGH = 3, _("3 — high")
    VERY_HIGH = 4, _("4 — very high")


class Partner(MarkedModel):
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code."))
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="partners", verbose_name=_("zone"))
    trust_level = models.PositiveSmallIntegerField(
        _("trust level"), choices=TrustLevel.choices, default=TrustLevel.MODERATE
    )
    status = models.CharField(_("status"), max_length=12, choices=PartnerStatus.choices, default=PartnerStatus.ACTIVE)
    notes = models.TextField(_("notes"), blank=True)
    officers_in_charge = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="partners_in_charge", verbose_name=_("officers in charge")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner service")
        verbose_name_plural = _("partner services")

    def __str__(self) -> str:
        return self.label_of(self.acronym, self.name)

    @staticmethod
    def label_of(acronym: str, name: str) -> str:
        return f"{acronym} — {name}" if acronym else name

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    @property
    def is_foreign(self) -> bool:
        return self.country != settings.LIAISON_HOME_COUNTRY

    @classmethod
    def extra_audience_q(cls, user: User) -> Q:
        through = cls.officers_in_charge.through
        return Q(pk__in=through.objects.filter(user=user).values("partner_id"))

    def extra_audience_users_q(self) -> Q:
        return Q(pk__in=self.officers_in_charge.values("pk"))


class Agreement(BaseModel):
    """A cooperation arrangement with a partner: the themes it covers, the highest classification that may be
    exchanged, whether onward dissemination is allowed, and when it is in force."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="agreements")
    title = models.CharField(_("title"), max_length=200)
    themes = models.ManyToManyField(Compartment, related_name="+", verbose_name=_("themes covered"))
    max_classification = models.ForeignKey(
        ClassificationLevel,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("highest classification exchangeable"),
        limit_choices_to={"scheme__is_national": True},
    )
    onward_dissemination = models.BooleanField(_("onward dissemination allowed"), default=False)
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="agreement_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()


class Contact(MarkedModel):
    """A person at a partner service. Personal data, kept minimal and protected like content."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    channel = models.CharField(_("how to reach"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def extra_audience_q(cls, user: User) -> Q:
        through = Partner.officers_in_charge.through
        return Q(partner__in=through.objects.filter(user=user).values("partner_id"))

    def extra_audience_users_q(self) -> Q:
        return Q(pk__in=self.partner.officers_in_charge.values("pk"))
