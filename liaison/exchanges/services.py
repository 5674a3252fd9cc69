"""Writes on exchanges, information items (versioned) and their encrypted attachments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from liaison.accounts.models import RECORDING_ROLES, Service, User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record, record_read
from liaison.core.exceptions import DomainError, PolicyRefusal
from liaison.core.timeutil import moment_in_zone
from liaison.exchanges import attachments
from liaison.exchanges.models import (
    Attachment,
    Exchange,
    InformationItem,
    ItemDirection,
    ItemVersion,
    OriginatorKind,
)
from liaison.partners.models import Partner
from liaison.policy.access import require_readable
from liaison.policy.apply import apply_marking, refuse_lowering
from liaison.policy.classification import national_level_for_rank
from liaison.policy.gates import has_any_role
from liaison.policy.markings import Marking, combine_all
from liaison.policy.models import ClassificationLevel, Zone


def _require_writer(user: User) -> None:
    if not has_any_role(user, *RECORDING_ROLES):
        raise PolicyRefusal("role", _("Only liaison officers and desk heads record exchanges and items."))


def exchange_create(
    *,
    by: User,
    kind: str,
    title: str,
    occurred_at: datetime,
    time_zone: str,
    place: str = "",
    partners: Iterable[Partner],
    participants: Iterable[User] = (),
    zones: Iterable[Zone] = (),
    notes: str = "",
    marking: Marking,
    level: ClassificationLevel | None = None,
    share_with_my_service: bool = True,
) -> Exchange:
    """Record an exchange; the partners must be ones the author may see. The author always takes part."""
    _require_writer(by)
    occurred_at = moment_in_zone(occurred_at, time_zone)
    partners = list(partners)
    if not partners:
        raise DomainError(_("Choose at least one partner service."))
    require_readable(by, partners, _("partner"))
    # Sticky markings: an exchange is at least as protected as the partnerships it names.
    marking = combine_all([marking, *(partner.marking() for partner in partners)])
    if level is not None and level.rank != marking.rank:
        level = None
    with transaction.atomic():
        exchange = Exchange(
            kind=kind,
            title=title.strip(),
            occurred_at=occurred_at,
            time_zone=time_zone,
            place=place.strip(),
            notes=notes,
            created_by=by,
            classification=level or national_level_for_rank(marking.rank),
        )
        exchange.save()
        apply_marking(exchange, marking, level=level)
        exchange.partners.set(partners)
        exchange.participants.set({by, *participants})
        exchange.zones.set(list(zones))
        if share_with_my_service and by.service_id:
            exchange.shared_with_services.set([by.service_id])
        record(actor=by, event=AuditEvent.OBJECT_CREATED, target=exchange)
    return exchange


@dataclass
class ItemInput:
    direction: str
    originator_kind: str
    title: str
    text: str
    source_reliability: str
    information_credibility: str
    marking: Marking
    level: ClassificationLevel | None = None
    originator_partner: Partner | None = None
    originator_service: Service | None = None
    zones: list[Zone] = field(default_factory=list)


def _item_marking(data: ItemInput, exchange: Exchange) -> Marking:
    """An item carries at least its exchange's markings (its context is protected with it), and the third-party
    rule: what a partner gave us carries that partner's originator control, always."""
    marking = data.marking.combine(exchange.marking())
    if data.originator_kind == OriginatorKind.PARTNER and data.originator_partner is not None:
        marking = marking.combine(Marking(originators=frozenset({str(data.originator_partner.pk)})))
    return marking


def _check_originator(data: ItemInput) -> None:
    if data.originator_kind == OriginatorKind.PARTNER and data.originator_partner is None:
        raise DomainError(_("Name the partner service the information comes from."))
    if data.originator_kind == OriginatorKind.SERVICE and data.originator_service is None:
        raise DomainError(_("Name the internal service the information comes from."))
    if data.direction not in ItemDirection.values:
        raise DomainError(_("Say whether the information was received or provided."))


def _snapshot(item: InformationItem) -> dict[str, Any]:
    marking = item.marking()
    return {
        "title": item.title,
        "text": item.text,
        "direction": item.direction,
        "originator_kind": item.originator_kind,
        "originator_partner": str(item.originator_partner_id or ""),
        "originator_service": str(item.originator_service_id or ""),
        "evaluation": item.evaluation,
        "classification": item.classification.label,
        "compartments": sorted(marking.compartments),
        "caveats": sorted(marking.caveats),
        "originators": sorted(marking.originators),
        "releasable_to": None if marking.releasable_to is None else sorted(marking.releasable_to),
        "no_foreign_release": marking.no_foreign_release,
        "handling_code": marking.handling,
        "tlp": item.tlp,
        "pap": item.pap,
        "zones": sorted(z.code for z in item.zones.all()),
    }


def item_create(*, by: User, exchange: Exchange, data: ItemInput) -> InformationItem:
    """Add an item to an exchange the author may see; it is shared like its exchange and starts at version 1."""
    _require_writer(by)
    require_readable(by, [exchange], _("exchange"))
    _check_originator(data)
    if data.originator_partner is not None:
        require_readable(by, [data.originator_partner], _("partner"))
    marking = _item_marking(data, exchange)
    with transaction.atomic():
        item = InformationItem(
            exchange=exchange,
            direction=data.direction,
            originator_kind=data.originator_kind,
            originator_partner=data.originator_partner if data.originator_kind == OriginatorKind.PARTNER else None,
            originator_service=data.originator_service if data.originator_kind == OriginatorKind.SERVICE else None,
            source_reliability=data.source_reliability,
            information_credibility=data.information_credibility,
            title=data.title.strip(),
            text=data.text,
            created_by=by,
            classification=exchange.classification,
        )
        item.save()
        apply_marking(item, marking, level=data.level)
        item.zones.set(data.zones)
        item.shared_with_services.set(list(exchange.shared_with_services.all()))
        ItemVersion.objects.create(item=item, number=1, snapshot=_snapshot(item), changed_fields=[], created_by=by)
        record(actor=by, event=AuditEvent.OBJECT_CREATED, target=item, extra={"version": 1})
    return item


def item_update(*, by: User, item: InformationItem, data: ItemInput) -> InformationItem:
    """Make a new version of an item. Markings may be raised, never lowered; the history keeps every version."""
    _require_writer(by)
    require_readable(by, [item], _("item"))
    _check_originator(data)
    if data.originator_partner is not None:
        require_readable(by, [data.originator_partner], _("partner"))
    with transaction.atomic():
        # Lock first, then compare with what is stored: two concurrent edits cannot lower the markings.
        item = InformationItem.objects.select_for_update().get(pk=item.pk)
        marking = _item_marking(data, item.exchange)
        refuse_lowering(item.marking(), marking)
        before = _snapshot(item)
        item.direction = data.direction
        item.originator_kind = data.originator_kind
        item.originator_partner = data.originator_partner if data.originator_kind == OriginatorKind.PARTNER else None
        item.originator_service = data.originator_service if data.originator_kind == OriginatorKind.SERVICE else None
        item.source_reliability = data.source_reliability
        item.information_credibility = data.information_credibility
        item.title = data.title.strip()
        item.text = data.text
        apply_marking(item, marking, level=data.level)
        item.zones.set(data.zones)
        after = _snapshot(item)
        changed = sorted(key for key in after if after[key] != before[key])
        if not changed:
            raise DomainError(_("Nothing changed: this would be the same version again."))
        item.version += 1
        item.save(update_fields=["version", "updated_at"])
        ItemVersion.objects.create(
            item=item, number=item.version, snapshot=after, changed_fields=changed, created_by=by
        )
        record(
            actor=by, event=AuditEvent.OBJECT_CHANGED, target=item, extra={"version": item.version, "fields": changed}
        )
    return item


def attachment_add(*, by: User, item: InformationItem, filename: str, data: bytes) -> Attachment:
    """Attach a checked file to an item, encrypted at rest."""
    _require_writer(by)
    require_readable(by, [item], _("item"))
    name, content_type = attachments.check_upload(filename, data, settings.LIAISON_MAX_ATTACHMENT_BYTES)
    with transaction.atomic():
        attachment = Attachment(item=item, filename=name, content_type=content_type, size=len(data), uploaded_by=by)
        sealed = attachments.seal(data, associated=str(attachment.pk).encode())
        attachment.wrapped_key, attachment.nonce = sealed.wrapped_key, sealed.nonce
        attachment.ciphertext, attachment.content_hmac = sealed.ciphertext, sealed.digest
        attachment.save(force_insert=True)
        record(actor=by, event=AuditEvent.OBJECT_CREATED, target=attachment, extra={"item": str(item.pk)})
    return attachment


def attachment_read(*, by: User, attachment: Attachment, request: Any = None) -> bytes:
    """Decrypt an attachment for a reader of its item (the caller fetched it through the item's policy)."""
    data = attachments.unseal(
        wrapped_key=attachment.wrapped_key,
        nonce=attachment.nonce,
        ciphertext=attachment.ciphertext,
        associated=str(attachment.pk).encode(),
        digest=attachment.content_hmac,
    )
    record_read(actor=by, event=AuditEvent.OBJECT_READ, target=attachment, request=request)
    return data
