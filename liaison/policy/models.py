"""Marking vocabularies (classification schemes, compartments, zones, caveats), the marked-object base model and
explicit access grants. Vocabularies are data that administrators edit; the seed is in migration 0002.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.models import BaseModel
from liaison.core.vocab import BilingualName
from liaison.policy.markings import PAP, TLP, HandlingCode, Marking, Rank

if TYPE_CHECKING:
    from liaison.accounts.models import User


class ClassificationScheme(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_national = models.BooleanField(
        _("national scheme"), default=False, help_text=_("The scheme clearances and computed markings are kept in.")
    )

    class Meta:
        ordering = ["-is_national", "code"]
        verbose_name = _("classification scheme")
        verbose_name_plural = _("classification schemes")
        constraints = [
            models.UniqueConstraint(fields=["is_national"], condition=Q(is_national=True), name="one_national_scheme")
        ]

    def __str__(self) -> str:
        return self.name


class ClassificationLevel(models.Model):
    scheme = models.ForeignKey(ClassificationScheme, on_delete=models.PROTECT, related_name="levels")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=80, help_text=_("As printed on banners, e.g. SECRET."))
    rank = models.PositiveSmallIntegerField(
        _("equivalent rank"), choices=Rank.choices, help_text=_("Place on the common ladder used for equivalence.")
    )

    class Meta:
        ordering = ["scheme", "rank"]
        verbose_name = _("classification level")
        verbose_name_plural = _("classification levels")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="level_code_unique_in_scheme"),
            models.UniqueConstraint(fields=["scheme", "rank"], name="level_rank_unique_in_scheme"),
        ]

    def __str__(self) -> str:
        return self.label if self.scheme.is_national else f"{self.label} ({self.scheme.code.upper()})"


class Compartment(BilingualName):
    """A need-to-know compartment; the themes of the office (terrorism, proliferation, …) are compartments."""

    description = models.TextField(_("description"), blank=True)

    class Meta(BilingualName.Meta):
        verbose_name = _("compartment (theme)")
        verbose_name_plural = _("compartments (themes)")


class Zone(BilingualName):
    class Meta(BilingualName.Meta):
        verbose_name = _("zone")
        verbose_name_plural = _("zones")


class Caveat(BilingualName):
    """An additional handling caveat printed with the markings (the structured ones are fields of MarkedModel)."""

    description = models.TextField(_("description"), blank=True)

    class Meta(BilingualName.Meta):
        verbose_name = _("caveat")
        verbose_name_plural = _("caveats")


class MarkedQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User) -> MarkedQuerySet:
        from liaison.policy.access import visible_to

        return visible_to(self, user)


class MarkedModel(BaseModel):
    """Base of every protected object: its markings and the audience of the read rule.

    The audience is the author, the services the object is shared with, explicit grants, and whatever
    `extra_audience_q` of the concrete model adds (workflow participants, recipients, officers in charge).
    """

    classification = models.ForeignKey(
        ClassificationLevel, on_delete=models.PROTECT, related_name="+", verbose_name=_("classification")
    )
    compartments = models.ManyToManyField(Compartment, blank=True, related_name="+", verbose_name=_("compartments"))
    caveats = models.ManyToManyField(Caveat, blank=True, related_name="+", verbose_name=_("caveats"))
    originators = models.ManyToManyField(
        "partners.Partner",
        blank=True,
        related_name="+",
        verbose_name=_("originator control"),
        help_text=_("Partners whose recorded consent is needed before this goes outside the service."),
    )
    releasable_to = models.JSONField(
        _("releasable to"), null=True, blank=True, help_text=_("ISO 3166 country codes; empty for no list.")
    )
    no_foreign_release = models.BooleanField(_("no foreign release"), default=False)
    handling_code = models.PositiveSmallIntegerField(
        _("handling code"), choices=HandlingCode.choices, default=HandlingCode.H0
    )
    tlp = models.CharField("TLP", max_length=12, choices=TLP.choices, blank=True)
    pap = models.CharField("PAP", max_length=8, choices=PAP.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    shared_with_services = models.ManyToManyField(
        "accounts.Service", blank=True, related_name="+", verbose_name=_("shared with services")
    )

    objects: ClassVar[MarkedQuerySet] = MarkedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        abstract = True

    @classmethod
    def extra_audience_q(cls, user: User) -> Q:
        """Audience beyond author, shared services and grants; concrete models override it. Keep it a condition on
        the row's own columns and uncorrelated subqueries: a join would make the read rule fall back to building the
        ORM condition at each use instead of its compiled form (policy/access.py)."""
        return Q(pk__in=[])

    def extra_audience_users_q(self) -> Q:
        """The same extra audience seen from the users' side (a Q over User)."""
        return Q(pk__in=[])

    def marking(self, originators: Iterable[Any] | None = None) -> Marking:
        """The object's markings. `originators`, when given, are every originator of the object already fetched
        (never a list narrowed to what a reader may see): the markings are then built without another query."""
        if originators is None:
            originators = self.originators.values_list("pk", flat=True)
        else:
            originators = [getattr(p, "pk", p) for p in originators]
        return Marking(
            rank=self.classification.rank,
            compartments=frozenset(c.code for c in self.compartments.all()),
            originators=frozenset(str(p) for p in originators),
            caveats=frozenset(c.code for c in self.caveats.all()),
            releasable_to=None if self.releasable_to is None else frozenset(self.releasable_to),
            no_foreign_release=self.no_foreign_release,
            handling=self.handling_code,
            tlp=self.tlp or None,
            pap=self.pap or None,
        )


class AccessGrantQuerySet(models.QuerySet["AccessGrant"]):
    def active(self, now: datetime | None = None) -> AccessGrantQuerySet:
        now = timezone.now() if now is None else now
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), revoked_at__isnull=True)


class AccessGrant(BaseModel):
    """An explicit, justified grant of one object to one user or one service (part of the read rule's audience).

    A grant never lifts clearance or compartments: it only adds to the audience.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.UUIDField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="access_grants"
    )
    service = models.ForeignKey(
        "accounts.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="access_grants"
    )
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, service__isnull=True) | Q(user__isnull=True, service__isnull=False),
                name="grant_to_user_or_service",
            )
        ]
