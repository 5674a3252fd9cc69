"""Reads of exchanges, items and attachments, all through the read rule."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from liaison.accounts.models import User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record_read
from liaison.exchanges.models import Attachment, Exchange, InformationItem
from liaison.partners.models import Partner
from liaison.policy.access import get_visible_or_404, visible_to


def visible_partners(user: User, attribute: str = "partners") -> Prefetch:
    """Prefetch the partners named by an object, keeping only those the user may see: an exchange the user may
    read never reveals a partnership they may not."""
    return Prefetch(attribute, queryset=visible_to(Partner.objects.all(), user))


def _visible_partner(user: User, partner: Any) -> QuerySet[Partner]:
    """One partner (object or id) as a filter, empty when the user may not see it: filtering by a hidden partner
    finds nothing instead of revealing what it is linked to."""
    return visible_to(Partner.objects.filter(pk=getattr(partner, "pk", partner)), user)


def exchange_list(
    *,
    user: User,
    partner: Any = None,
    upcoming: bool | None = None,
    zone: str = "",
    theme: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    officer: Any = None,
    kind: str = "",
) -> QuerySet[Exchange]:
    """Exchanges the user may read, narrowed in SQL after the read rule: by partner (one they may see), zone code,
    theme (compartment code), period [since, until), officer (author or participant) and kind."""
    from django.utils import timezone

    exchanges = visible_to(
        Exchange.objects.select_related("classification__scheme").prefetch_related(
            visible_partners(user), "compartments"
        ),
        user,
    )
    if partner is not None:
        exchanges = exchanges.filter(partners__in=_visible_partner(user, partner))
    if zone:
        exchanges = exchanges.filter(
            pk__in=Exchange.zones.through.objects.filter(zone__code=zone).values("exchange_id")
        )
    if theme:
        exchanges = exchanges.filter(compartments__code=theme)
    if since is not None:
        exchanges = exchanges.filter(occurred_at__gte=since)
    if until is not None:
        exchanges = exchanges.filter(occurred_at__lt=until)
    if officer is not None:
        officer_id = getattr(officer, "pk", officer)
        taking_part = Exchange.participants.through.objects.filter(user_id=officer_id).values("exchange_id")
        exchanges = exchanges.filter(Q(created_by_id=officer_id) | Q(pk__in=taking_part))
    if kind:
        exchanges = exchanges.filter(kind=kind)
    if upcoming is True:
        exchanges = exchanges.filter(occurred_at__gte=timezone.now()).order_by("occurred_at")
    elif upcoming is False:
        exchanges = exchanges.filter(occurred_at__lt=timezone.now()).order_by("-occurred_at")
    return exchanges


def exchange_get(*, user: User, pk: Any, request: Any = None) -> Exchange:
    return get_visible_or_404(
        Exchange.objects.select_related("classification__scheme", "created_by").prefetch_related(
            visible_partners(user), "participants", "zones", "compartments", "caveats"
        ),
        user,
        pk,
        request=request,
    )


def _with_originator_visibility(items: QuerySet[InformationItem], user: User) -> QuerySet[InformationItem]:
    """Annotate `originator_visible`: whether the user may see the partner an item came from."""
    return items.annotate(
        originator_visible=Exists(visible_to(Partner.objects.filter(pk=OuterRef("originator_partner_id")), user))
    )


def item_list(*, user: User, exchange: Exchange | None = None, partner: Any = None) -> QuerySet[InformationItem]:
    items = visible_to(
        InformationItem.objects.select_related(
            "classification__scheme", "originator_partner", "exchange"
        ).prefetch_related("compartments"),
        user,
    )
    if exchange is not None:
        items = items.filter(exchange=exchange)
    if partner is not None:
        items = items.filter(exchange__partners__in=_visible_partner(user, partner))
    return _with_originator_visibility(items, user)


def item_get(*, user: User, pk: Any, request: Any = None) -> InformationItem:
    """One item through the read rule; the partners it names that the user may not see are left out (originator
    controls) or flagged (`originator_visible`), so neither the page nor the API reveals them."""
    items = InformationItem.objects.select_related(
        "classification__scheme", "originator_partner", "originator_service", "exchange", "created_by"
    ).prefetch_related("compartments", "caveats", visible_partners(user, "originators"), "zones", "attachments")
    return get_visible_or_404(_with_originator_visibility(items, user), user, pk, request=request)


def attachment_get(*, user: User, pk: Any, request: Any = None) -> Attachment:
    """An attachment answers 404 unless its item is visible to the user."""
    attachment = Attachment.objects.select_related("item").filter(pk=pk).first()
    if attachment is None or not visible_to(InformationItem.objects.filter(pk=attachment.item_id), user).exists():
        # The refusal names the attachment asked for, whether it does not exist or its item is not visible.
        record_read(
            actor=user,
            event=AuditEvent.ACCESS_REFUSED,
            target_type="exchanges.attachment",
            target_id=str(pk),
            request=request,
        )
        raise Http404
    return attachment


def item_versions(*, user: User, item: InformationItem) -> list[Any]:
    """The versions of an item the user may read, newest first. Each snapshot names partners by id; those the
    user may not see are left out, as on the item's own page."""
    versions = list(item.versions.select_related("created_by").order_by("-number"))
    named = {
        pk
        for version in versions
        for pk in [version.snapshot.get("originator_partner"), *version.snapshot.get("originators", [])]
        if pk
    }
    visible = {str(pk) for pk in visible_to(Partner.objects.filter(pk__in=named), user).values_list("pk", flat=True)}
    for version in versions:
        snapshot = dict(version.snapshot)
        if snapshot.get("originator_partner") and snapshot["originator_partner"] not in visible:
            snapshot["originator_partner"] = ""
        snapshot["originators"] = [pk for pk in snapshot.get("originators", []) if pk in visible]
        version.snapshot = snapshot
    return versions
