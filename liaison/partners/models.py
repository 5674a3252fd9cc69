"""Partner services (services partenaires). A partnership is itself protected: a partner file is marked and seen
only by its audience (officers in charge, services it is shared with, explicit grants).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core.countries import country_name
from liaison.policy.access import Decision
from liaison.policy.markings import Marking
from liaison.policy.models import MarkedModel, Zone

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
        return f"{self.acronym} — {self.name}" if self.acronym else self.name

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

    def agreement_decision(self, marking: Marking) -> Decision:
        """The agreement part of the release rule. Cooperation agreements are not recorded yet, so no release
        can be covered: the rule fails closed until they are."""
        return Decision.refuse(
            "agreement",
            gettext("No cooperation agreement covering this material is recorded for this partner."),
            gettext("Record the cooperation agreement with this partner, then run the check again."),
        )
