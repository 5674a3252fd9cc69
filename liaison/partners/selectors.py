from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from liaison.accounts.models import User
from liaison.partners.models import Partner
from liaison.policy.access import get_visible_or_404, visible_to


def partner_list(*, user: User, zone: str = "", status: str = "", query: str = "") -> QuerySet[Partner]:
    """Partners the user may see, filtered in SQL before any slicing."""
    partners = visible_to(
        Partner.objects.select_related("zone", "classification").prefetch_related("compartments"), user
    )
    if zone:
        partners = partners.filter(zone__code=zone)
    if status:
        partners = partners.filter(status=status)
    if query:
        partners = partners.filter(name__icontains=query) | partners.filter(acronym__icontains=query)
    return partners.order_by("name")


def partner_get(*, user: User, pk: Any, request: Any = None) -> Partner:
    return get_visible_or_404(
        Partner.objects.select_related("zone", "classification", "created_by").prefetch_related(
            "compartments", "caveats", "officers_in_charge"
        ),
        user,
        pk,
        request=request,
    )
