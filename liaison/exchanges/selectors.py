"""Reads of exchanges, items and attachments, all through the read rule."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from liaison.accounts.models import User
from liaison.exchanges.models import Attachment, Exchange, InformationItem
from liaison.policy.access import get_visible_or_404, visible_to


def exchange_list(*, user: User, partner: Any = None, upcoming: bool | None = None) -> QuerySet[Exchange]:
    from django.utils import timezone

    exchanges = visible_to(
        Exchange.objects.select_related("classification").prefetch_related("partners", "compartments"), user
    )
    if partner is not None:
        exchanges = exchanges.filter(partners=partner)
    if upcoming is True:
        exchanges = exchanges.filter(occurred_at__gte=timezone.now()).order_by("occurred_at")
    elif upcoming is False:
        exchanges = exchanges.filter(occurred_at__lt=timezone.now()).order_by("-occurred_at")
    return exchanges


def exchange_get(*, user: User, pk: Any, request: Any = None) -> Exchange:
    return get_visible_or_404(
        Exchange.objects.select_related("classification", "created_by").prefetch_related(
            "partners", "participants", "zones", "compartments", "caveats"
        ),
        user,
        pk,
        request=request,
    )


def item_list(*, user: User, exchange: Exchange | None = None, partner: Any = None) -> QuerySet[InformationItem]:
    items = visible_to(
        InformationItem.objects.select_related("classification", "originator_partner", "exchange").prefetch_related(
            "compartments"
        ),
        user,
    )
    if exchange is not None:
        items = items.filter(exchange=exchange)
    if partner is not None:
        items = items.filter(exchange__partners=partner)
    return items


def item_get(*, user: User, pk: Any, request: Any = None) -> InformationItem:
    return get_visible_or_404(
        InformationItem.objects.select_related(
            "classification", "originator_partner", "originator_service", "exchange", "created_by"
        ).prefetch_related("compartments", "caveats", "originators", "zones", "attachments"),
        user,
        pk,
        request=request,
    )


def attachment_get(*, user: User, pk: Any, request: Any = None) -> Attachment:
    """An attachment answers 404 unless its item is visible to the user."""
    attachment = Attachment.objects.select_related("item").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    item_get(user=user, pk=attachment.item_id, request=request)
    return attachment
