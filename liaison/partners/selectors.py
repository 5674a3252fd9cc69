from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from liaison.accounts.models import User
from liaison.partners.models import Partner
from liaison.policy.access import get_visible_or_404, visible_to
from liaison.policy.release import AgreementTerms, Recipient


def partner_list(*, user: User, zone: str = "", status: str = "", query: str = "") -> QuerySet[Partner]:
    """Partners the user may see, filtered in SQL before any slicing."""
    partners = visible_to(
        Partner.objects.select_related("zone", "classification__scheme").prefetch_related("compartments"), user
    )
    if zone:
        partners = partners.filter(zone__code=zone)
    if status:
        partners = partners.filter(status=status)
    if query:
        partners = partners.filter(name__icontains=query) | partners.filter(acronym__icontains=query)
    return partners.order_by("name")


def partner_choices(*, user: User) -> QuerySet[Partner]:
    """The partners the user may see as the choices of a form field: only what their label needs (a list of a
    thousand partners must not load each one's markings)."""
    return visible_to(Partner.objects.only("pk", "name", "acronym"), user).order_by("name")


def partner_get(*, user: User, pk: Any, request: Any = None) -> Partner:
    return get_visible_or_404(
        Partner.objects.select_related("zone", "classification__scheme", "created_by").prefetch_related(
            "compartments", "caveats", "officers_in_charge"
        ),
        user,
        pk,
        request=request,
    )


def partner_dossier(*, user: User, partner: Partner) -> dict[str, Any]:
    """The relationship at a glance, every part through the read rule, each fetched with what its card and the
    page's banner show (markings, themes, partners) so the file costs the same whatever the partner's history."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from liaison.exchanges.selectors import exchange_list, item_list
    from liaison.partners.models import Contact
    from liaison.reports.selectors import report_list

    items = item_list(user=user, partner=partner)
    flows = (
        items.annotate(month=TruncMonth("exchange__occurred_at"))
        .values("month", "direction")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-month")
    )
    months: dict[Any, dict[str, int]] = {}
    for row in flows:
        months.setdefault(row["month"], {"received": 0, "provided": 0})[row["direction"]] = row["n"]
    reports = report_list(user=user).filter(exchange__partners=partner)
    contacts = Contact.objects.filter(partner=partner).select_related("classification__scheme")
    return {
        "agreements": list(partner.agreements.select_related("max_classification__scheme").prefetch_related("themes")),
        "contacts": list(visible_to(contacts.prefetch_related("compartments"), user)),
        "exchanges": list(exchange_list(user=user, partner=partner).order_by("-occurred_at")[:10]),
        "flows": sorted(months.items(), key=lambda pair: pair[0], reverse=True)[:12],
        "proposed": list(reports.exclude(proposed_followups="").order_by("-created_at")[:5]),
    }


def partner_release_terms(partner: Partner) -> Recipient:
    """The facts the release rule needs about `partner`: its country and every cooperation agreement's terms."""
    agreements = partner.agreements.select_related("max_classification").prefetch_related("themes")
    return Recipient(
        id=str(partner.pk),
        country=partner.country,
        agreements=tuple(
            AgreementTerms(
                valid_from=agreement.valid_from,
                valid_until=agreement.valid_until,
                themes=frozenset(theme.code for theme in agreement.themes.all()),
                max_rank=agreement.max_classification.rank,
            )
            for agreement in agreements
        ),
    )
