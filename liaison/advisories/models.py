"""Advisories to federal partner administrations (avis de sécurité): the administrations and their contacts, the
advisories the security office drafts, approves (four-eyes) and publishes as CSAF 2.0 documents, and to whom each was
sent and who acknowledged it.

Advisories carry a TLP 2.0 label, not a classification: who may read a published document follows from its label and
its distribution (see selectors.py), never from the read rule of the liaison office's content."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.models import BaseModel
from liaison.policy.markings import TLP


class PartnerKind(models.TextChoices):
    MINISTRY = "ministry", _("ministry or federal public service")
    AGENCY = "agency", _("agency or public body")
    CSIRT = "csirt", _("CERT / CSIRT")
    REGULATOR = "regulator", _("regulator")
    OTHER = "other", _("other administration")


class FederalPartner(BaseModel):
    """A federal administration the office keeps informed (administration fédérale partenaire)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices, default=PartnerKind.MINISTRY)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("federal partner")
        verbose_name_plural = _("federal partners")

    def __str__(self) -> str:
        return f"{self.acronym} — {self.name}"


class PartnerContact(BaseModel):
    """A person at a federal partner; `user`, when set, is the account (role: federal partner contact) through which
    that administration reads the advisories sent to it."""

    partner = models.ForeignKey(FederalPartner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    function = models.CharField(_("function"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="federal_contact",
        verbose_name=_("account"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("federal partner contact")
        verbose_name_plural = _("federal partner contacts")

    def __str__(self) -> str:
        return self.name


class AdvisoryCategory(models.TextChoices):
    INFORMATIONAL = "informational", _("informational advisory")
    SECURITY = "security", _("security advisory")


# The CSAF 2.0 profile (document.category) of each category.
CSAF_PROFILES = {
    AdvisoryCategory.INFORMATIONAL: "csaf_informational_advisory",
    AdvisoryCategory.SECURITY: "csaf_security_advisory",
}


LANGUAGES = [("en", _("English")), ("fr", _("French"))]


class AdvisoryStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("awaiting approval")
    APPROVED = "approved", _("approved")
    PUBLISHED = "published", _("published")


class Advisory(BaseModel):
    """A security advisory. Drafted and edited while a draft; submitted; approved by a security officer other than
    its author; published: the CSAF document is built, validated, hashed, signed and frozen."""

    tracking_id = models.CharField(_("tracking id"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    category = models.CharField(_("category"), max_length=20, choices=AdvisoryCategory.choices)
    tlp = models.CharField(_("TLP"), max_length=20, choices=TLP.choices, default=TLP.GREEN)
    lang = models.CharField(_("language"), max_length=5, choices=LANGUAGES, default="en")
    summary = models.TextField(_("summary"))
    details = models.TextField(_("details"), blank=True)
    # [{"url": ..., "summary": ...}]
    references = models.JSONField(_("references"), default=list, blank=True)
    # Security advisories: [{"vendor": ..., "product": ..., "version": ...}] and
    # [{"cve": ..., "title": ..., "remediation": ...}]; every vulnerability affects every listed product.
    products = models.JSONField(_("affected products"), default=list, blank=True)
    vulnerabilities = models.JSONField(_("vulnerabilities"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=AdvisoryStatus.choices, default=AdvisoryStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advisories_written", verbose_name=_("author")
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advisories_approved",
        verbose_name=_("approver"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # CSAF `tracking`: version and revision history ([{"number", "date", "summary"}]).
    version = models.CharField(_("version"), max_length=20, default="1")
    revision_history = models.JSONField(_("revision history"), default=list, blank=True)
    # What was published, frozen: the exact bytes served, their hashes and detached signature.
    csaf_json = models.BinaryField(_("CSAF document"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    sha512 = models.CharField(_("SHA-512"), max_length=128, blank=True)
    signature = models.TextField(_("signature"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("advisory")
        verbose_name_plural = _("advisories")

    def __str__(self) -> str:
        return f"{self.tracking_id} {self.title}"

    @property
    def is_published(self) -> bool:
        return self.status == AdvisoryStatus.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.status == AdvisoryStatus.DRAFT

    @property
    def document_bytes(self) -> bytes:
        """The published CSAF document, exactly as served (empty before publication)."""
        return bytes(self.csaf_json or b"")

    @property
    def year(self) -> int:
        return int(self.tracking_id.split("-")[2])

    @property
    def file_name(self) -> str:
        """The document's file name in the provider's directory (CSAF 2.0 section 5.1: the lowercased id)."""
        return f"{self.tracking_id.lower()}.json"


class AdvisoryDistribution(BaseModel):
    """A published advisory sent to a federal partner, and that administration's acknowledgement."""

    advisory = models.ForeignKey(Advisory, on_delete=models.CASCADE, related_name="distributions")
    partner = models.ForeignKey(FederalPartner, on_delete=models.PROTECT, related_name="distributions")
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_for = models.ForeignKey(
        PartnerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged on behalf of"),
    )

    class Meta:
        ordering = ["partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["advisory", "partner"], name="advisory_sent_once_per_partner"),
        ]
        verbose_name = _("advisory distribution")
        verbose_name_plural = _("advisory distributions")

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
