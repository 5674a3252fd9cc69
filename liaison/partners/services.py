"""Writes on partner services."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.accounts.models import Service, User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.countries import is_country
from liaison.core.exceptions import DomainError
from liaison.partners.models import Partner
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
        partner.shared_with_services.set(list(shared_with))
        partner.officers_in_charge.set(list(officers_in_charge))
        record(actor=by, event=AuditEvent.OBJECT_CREATED, target=partner)
    return partner
