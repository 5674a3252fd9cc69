"""Writes on partner services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.accounts.models import Service, User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.countries import is_country
from liaison.core.exceptions import DomainError
from liaison.core.timeutil import date_check
from liaison.partners.models import Agreement, Contact, Partner
from liaison.policy.apply import apply_marking
from liaison.policy.markings import Marking
from liaison.policy.models import ClassificationLevel, Compartment, Zone


def partner_create(
    *,
    name: str,
    acronym: str = "",
    country: str,
    kind: str,
    zone: Zone,
    trust_level: int,
    status: str,
    notes: str = "",
    classification: ClassificationLevel,
    compartments: Iterable[Compartment] = (),
    shared_with: Iterable[Service] = (),
    officers_in_charge: Iterable[User] = (),
    marking: Marking | None = None,
    by: User,
) -> Partner:
    """Create a partner file; the partnership is marked like any protected object and shared with services."""
    country = country.strip().upper()
    if not is_country(country):
        raise DomainError(_("%(code)s is not an ISO 3166 country code (two letters, e.g. BE).") % {"code": country})
    if not name.strip():
        raise DomainError(_("Give the partner service a name."))
    with transaction.atomic():
        partner = Partner.objects.create(
            name=name.strip(),
            acronym=acronym.strip(),
            country=country,
            kind=kind,
            zone=zone,
            trust_level=trust_level,
            status=status,
            notes=notes,
            classification=classification,
            created_by=by,
        )
        partner.compartments.set(list(compartments))
        if marking is not None:  # caveats, releasability, TLP/PAP and handling code as chosen
            apply_marking(partner, marking.combine(partner.marking()), level=classification)
        partner.shared_with_services.set(list(shared_with))
        partner.officers_in_charge.set(list(officers_in_charge))
        record(actor=by, event=AuditEvent.OBJECT_CREATED, target=partner)
    return partner


def partner_update(*, by: User, partner: Partner, fields: dict[str, object]) -> Partner:
    """Change a partner file's description (not its markings, which are raised through a marking change)."""
    allowed = {"name", "acronym", "kind", "zone", "trust_level", "status", "notes"}
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        changed = sorted(key for key, value in fields.items() if getattr(partner, key) != value)
        for key in changed:
            setattr(partner, key, fields[key])
        partner.save()
        record(actor=by, event=AuditEvent.OBJECT_CHANGED, target=partner, extra={"fields": changed})
    return partner


def agreement_create(
    *,
    by: User,
    partner: Partner,
    title: str,
    themes: Iterable[Compartment],
    max_classification: ClassificationLevel,
    onward_dissemination: bool,
    valid_from: date,
    valid_until: date | None,
    notes: str = "",
) -> Agreement:
    """Record a cooperation agreement; the release check reads it."""
    date_check(valid_from)
    if valid_until is not None:
        date_check(valid_until)
    if valid_until is not None and valid_until < valid_from:
        raise DomainError(_("The agreement cannot end before it starts: check the dates."))
    if not max_classification.scheme.is_national:
        raise DomainError(_("Express the highest classification in the national scheme."))
    themes = list(themes)
    if not themes:
        raise DomainError(_("Choose at least one theme the agreement covers."))
    with transaction.atomic():
        agreement = Agreement.objects.create(
            partner=partner,
            title=title.strip(),
            max_classification=max_classification,
            onward_dissemination=onward_dissemination,
            valid_from=valid_from,
            valid_until=valid_until,
            notes=notes,
            created_by=by,
        )
        agreement.themes.set(themes)
        record(actor=by, event=AuditEvent.OBJECT_CREATED, target=agreement, extra={"partner": str(partner.pk)})
    return agreement


def contact_create(
    *, by: User, partner: Partner, name: str, position: str = "", channel: str = "", notes: str = ""
) -> Contact:
    """Record a contact at a partner: protected like the partner file it belongs to."""
    if not name.strip():
        raise DomainError(_("Give the contact's name."))
    with transaction.atomic():
        contact = Contact(
            partner=partner,
            name=name.strip(),
            position=position.strip(),
            channel=channel.strip(),
            notes=notes,
            created_by=by,
            classification=partner.classification,
        )
        contact.save()
        apply_marking(contact, partner.marking(), level=partner.classification)
        contact.shared_with_services.set(list(partner.shared_with_services.all()))
        record(actor=by, event=AuditEvent.OBJECT_CREATED, target=contact, extra={"partner": str(partner.pk)})
    return contact
