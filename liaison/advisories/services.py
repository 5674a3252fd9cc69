"""Writes of advisories and of the federal partners they go to. Each service validates, writes and records its audit
entry in one transaction. The workflow: draft → submitted → approved (by a security officer other than the author)
→ published (the CSAF document built, validated against the official schema, hashed, signed and frozen) → sent."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import RoleCode, User
from liaison.advisories import csaf
from liaison.advisories.models import (
    Advisory,
    AdvisoryCategory,
    AdvisoryDistribution,
    AdvisoryStatus,
    FederalPartner,
    PartnerContact,
)
from liaison.advisories.openpgp import instance_key
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.exceptions import Conflict, DomainError, InputFieldError

CVE_ID = re.compile(r"^CVE-[0-9]{4}-[0-9]{4,}$")
TRACKING_PREFIX = "LIAISON-SA"


def _check_unique(model: type[FederalPartner], field_name: str, value: str, instance: Any, message: str) -> None:
    others = model.objects.filter(**{f"{field_name}__iexact": value})
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if others.exists():
        raise InputFieldError(field_name, message)


def partner_save(
    *,
    by: User,
    name: str,
    acronym: str,
    kind: str,
    notes: str = "",
    partner: FederalPartner | None = None,
    request: HttpRequest | None = None,
) -> FederalPartner:
    """Create a federal partner, or edit `partner`; names and acronyms are unique whatever their case."""
    name, acronym = name.strip(), acronym.strip()
    _check_unique(FederalPartner, "name", name, partner, _("Another federal partner already has this name."))
    _check_unique(FederalPartner, "acronym", acronym, partner, _("Another federal partner already has this acronym."))
    with transaction.atomic():
        target = partner or FederalPartner()
        target.name, target.acronym, target.kind, target.notes = name, acronym, kind, notes.strip()
        target.save()
        record(
            actor=by,
            event=AuditEvent.FEDERAL_PARTNER_SAVED,
            target=target,
            extra={"created": partner is None},
            request=request,
        )
    return target


def contact_save(
    *,
    by: User,
    partner: FederalPartner,
    name: str,
    email: str = "",
    phone: str = "",
    function: str = "",
    user: User | None = None,
    contact: PartnerContact | None = None,
    request: HttpRequest | None = None,
) -> PartnerContact:
    """Create a contact of `partner`, or edit `contact`. A linked account must hold the federal partner contact role
    and represent no other contact: it is the door through which that administration reads its advisories."""
    if user is not None:
        if not user.has_role(RoleCode.FEDERAL_PARTNER):
            raise InputFieldError("user", _("This account does not hold the federal partner contact role."))
        taken = PartnerContact.objects.filter(user=user)
        if contact is not None:
            taken = taken.exclude(pk=contact.pk)
        if taken.exists():
            raise InputFieldError("user", _("This account already represents another contact."))
    with transaction.atomic():
        target = contact or PartnerContact(partner=partner)
        target.name, target.email, target.phone, target.function = name.strip(), email, phone.strip(), function
        target.user = user
        target.save()
        record(
            actor=by,
            event=AuditEvent.FEDERAL_CONTACT_SAVED,
            target=target,
            extra={"partner": str(partner.pk), "created": contact is None, "account": str(user.pk) if user else ""},
            request=request,
        )
    return target


@dataclass
class AdvisoryContent:
    """What an author writes in an advisory; `check()` refuses what could never be published."""

    title: str
    category: str
    tlp: str
    summary: str
    lang: str = "en"
    details: str = ""
    references: list[dict[str, str]] = field(default_factory=list)
    products: list[dict[str, str]] = field(default_factory=list)
    vulnerabilities: list[dict[str, str]] = field(default_factory=list)

    def check(self) -> None:
        if self.category == AdvisoryCategory.INFORMATIONAL:
            if not self.references:
                raise InputFieldError("references", _("An informational advisory needs at least one reference."))
            if self.products or self.vulnerabilities:
                raise InputFieldError(
                    "vulnerabilities",
                    _("An informational advisory lists no products or vulnerabilities: choose a security advisory."),
                )
        else:
            if not self.products:
                raise InputFieldError("products", _("A security advisory needs at least one affected product."))
            if not self.vulnerabilities:
                raise InputFieldError("vulnerabilities", _("A security advisory needs at least one vulnerability."))
        for v in self.vulnerabilities:
            if v.get("cve") and not CVE_ID.match(v["cve"]):
                raise InputFieldError(
                    "vulnerabilities", _("%(cve)s is not a CVE id: write CVE-YYYY-NNNN.") % {"cve": v["cve"]}
                )


def _next_tracking_id(year: int) -> str:
    prefix = f"{TRACKING_PREFIX}-{year}-"
    last = Advisory.objects.filter(tracking_id__startswith=prefix).aggregate(last=Max("tracking_id"))["last"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def advisory_create(
    *, by: User, content: AdvisoryContent, now: datetime | None = None, request: HttpRequest | None = None
) -> Advisory:
    """Draft an advisory; its tracking id is `LIAISON-SA-<year>-<number>`, numbered within the year."""
    content.check()
    moment = now or timezone.now()
    # Two officers drafting at once may draw the same number: the unique id refuses the second, which draws again.
    for _attempt in range(3):
        try:
            with transaction.atomic():
                advisory = Advisory(author=by, tracking_id=_next_tracking_id(moment.year), **content.__dict__)
                advisory.save()
                Advisory.objects.filter(pk=advisory.pk).update(created_at=moment)
                record(actor=by, event=AuditEvent.ADVISORY_CREATED, target=advisory, request=request)
            return advisory
        except IntegrityError:
            continue
    raise Conflict(_("Another advisory was being numbered at the same moment: save again."))


def advisory_update(
    *, advisory: Advisory, by: User, content: AdvisoryContent, request: HttpRequest | None = None
) -> Advisory:
    """Edit a draft; a submitted, approved or published advisory is no longer edited."""
    if not advisory.is_editable:
        raise Conflict(_("Only a draft can be edited."))
    content.check()
    with transaction.atomic():
        for name, value in content.__dict__.items():
            setattr(advisory, name, value)
        advisory.save()
        record(actor=by, event=AuditEvent.ADVISORY_EDITED, target=advisory, request=request)
    return advisory


def advisory_submit(*, advisory: Advisory, by: User, request: HttpRequest | None = None) -> Advisory:
    """Submit a draft for approval by a second security officer."""
    if advisory.status != AdvisoryStatus.DRAFT:
        raise Conflict(_("Only a draft can be submitted."))
    with transaction.atomic():
        advisory.status, advisory.submitted_at = AdvisoryStatus.SUBMITTED, timezone.now()
        advisory.save(update_fields=["status", "submitted_at", "updated_at"])
        record(actor=by, event=AuditEvent.ADVISORY_SUBMITTED, target=advisory, request=request)
    return advisory


def advisory_approve(*, advisory: Advisory, by: User, request: HttpRequest | None = None) -> Advisory:
    """Approve a submitted advisory: four eyes, so the approver is a security officer other than the author."""
    if advisory.status != AdvisoryStatus.SUBMITTED:
        raise Conflict(_("Only a submitted advisory can be approved."))
    if by.pk == advisory.author_id:
        raise DomainError(_("You wrote this advisory: another security officer must approve it (four-eyes principle)."))
    if not by.has_role(RoleCode.SECURITY_OFFICER):
        raise DomainError(_("Only a security officer can approve an advisory."))
    with transaction.atomic():
        advisory.status, advisory.approver, advisory.approved_at = AdvisoryStatus.APPROVED, by, timezone.now()
        advisory.save(update_fields=["status", "approver", "approved_at", "updated_at"])
        record(actor=by, event=AuditEvent.ADVISORY_APPROVED, target=advisory, request=request)
    return advisory


class InvalidDocument(DomainError):
    """The CSAF document would not validate; `problems` name each failing JSON path."""

    def __init__(self, problems: list[csaf.Problem]) -> None:
        shown = "; ".join(str(p) for p in problems[:5])
        more = len(problems) - 5
        message = _("The CSAF document does not validate, nothing was published: %(problems)s") % {"problems": shown}
        if more > 0:
            message += " " + _("(and %(n)d more)") % {"n": more}
        super().__init__(message)
        self.problems = problems


def publish_document(advisory: Advisory, document: dict[str, Any], *, at: datetime) -> None:
    """Validate `document`, then freeze it on `advisory`: its bytes, SHA-256, SHA-512 and OpenPGP signature.
    Raises InvalidDocument (naming each failing path) and changes nothing when it does not validate."""
    problems = csaf.validate(document)
    if problems:
        raise InvalidDocument(problems)
    data = csaf.serialise(document)
    advisory.csaf_json = data
    advisory.sha256 = hashlib.sha256(data).hexdigest()
    advisory.sha512 = hashlib.sha512(data).hexdigest()
    advisory.signature = instance_key().sign_detached(data, created=int(at.timestamp()))


def advisory_publish(
    *, advisory: Advisory, by: User, now: datetime | None = None, request: HttpRequest | None = None
) -> Advisory:
    """Publish an approved advisory as a CSAF 2.0 document. An invalid document is refused with its failing paths."""
    if advisory.status != AdvisoryStatus.APPROVED:
        raise Conflict(_("Only an approved advisory can be published."))
    moment = (now or timezone.now()).replace(microsecond=0)
    with transaction.atomic():
        advisory.revision_history = [
            {"date": csaf.utc_text(moment), "number": advisory.version, "summary": "Initial release."}
        ]
        publish_document(advisory, csaf.build_document(advisory, released_at=moment), at=moment)
        advisory.status, advisory.published_at = AdvisoryStatus.PUBLISHED, moment
        advisory.save()
        record(
            actor=by,
            event=AuditEvent.ADVISORY_PUBLISHED,
            target=advisory,
            extra={"tlp": advisory.tlp, "sha256": advisory.sha256},
            request=request,
        )
    return advisory


def advisory_send(
    *,
    advisory: Advisory,
    partners: Iterable[FederalPartner],
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> list[AdvisoryDistribution]:
    """Send a published advisory to federal partners; one it was already sent to is not sent twice."""
    if not advisory.is_published:
        raise Conflict(_("Only a published advisory can be sent."))
    chosen = list(partners)
    if not chosen:
        raise InputFieldError("partners", _("Choose at least one federal partner."))
    moment = now or timezone.now()
    with transaction.atomic():
        already = set(advisory.distributions.values_list("partner_id", flat=True))
        rows = [
            AdvisoryDistribution(advisory=advisory, partner=p, sent_at=moment, sent_by=by)
            for p in chosen
            if p.pk not in already
        ]
        AdvisoryDistribution.objects.bulk_create(rows)
        record(
            actor=by,
            event=AuditEvent.ADVISORY_SENT,
            target=advisory,
            extra={"partners": sorted(str(r.partner_id) for r in rows)},
            request=request,
        )
    return rows


def distribution_acknowledge(
    *,
    distribution: AdvisoryDistribution,
    by: User,
    contact: PartnerContact | None = None,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> AdvisoryDistribution:
    """Record that a federal partner acknowledged an advisory: by its own account, or by a security officer on
    behalf of one of its contacts."""
    if distribution.is_acknowledged:
        raise Conflict(_("This advisory was already acknowledged by this administration."))
    own = PartnerContact.objects.filter(user=by, partner_id=distribution.partner_id).first()
    if own is not None:
        contact = own
    elif not by.has_role(RoleCode.SECURITY_OFFICER):
        raise DomainError(_("Only the administration the advisory was sent to can acknowledge it."))
    elif contact is None or contact.partner_id != distribution.partner_id:
        raise InputFieldError("contact", _("Choose the contact of this administration who acknowledged it."))
    with transaction.atomic():
        distribution.acknowledged_at = now or timezone.now()
        distribution.acknowledged_by = by
        distribution.acknowledged_for = contact
        distribution.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledged_for", "updated_at"])
        record(
            actor=by,
            event=AuditEvent.ADVISORY_ACKNOWLEDGED,
            target=distribution.advisory,
            extra={"partner": str(distribution.partner_id), "contact": str(contact.pk)},
            request=request,
        )
    return distribution
