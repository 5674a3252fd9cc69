"""Reads of releases, tearlines, consents and consent requests: every one through the read rule, filtered in SQL
before any slicing."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from liaison.accounts.models import User
from liaison.partners.models import Partner
from liaison.policy.access import get_visible_or_404, visible_to
from liaison.releases.models import Consent, ConsentRequest, Release, ReleaseStatus, Tearline


def release_list(*, user: User, status: str = "", partner: Any = None) -> QuerySet[Release]:
    releases = visible_to(
        Release.objects.select_related("partner", "classification", "created_by", "decided_by", "tearline"), user
    )
    if status:
        releases = releases.filter(status=status)
    if partner is not None:
        releases = releases.filter(partner=partner)
    return releases.order_by("-created_at")


def release_list_to_approve(*, user: User) -> QuerySet[Release]:
    """Releases waiting for a release authority: never the user's own."""
    if not user.has_role("release_authority"):
        return Release.objects.none()
    return release_list(user=user, status=ReleaseStatus.SUBMITTED).exclude(created_by=user)


def release_list_page(
    *, user: User, status: str = "", partner: Any = None, awaiting: bool = False
) -> QuerySet[Release]:
    """The release list page: filters inside the read rule, with what each row shows fetched in the same queries
    (markings for the banner, the package code) so a page costs the same whatever its length."""
    releases = release_list_to_approve(user=user) if awaiting else release_list(user=user, status=status)
    if awaiting and status:
        releases = releases.filter(status=status)
    if partner is not None:
        releases = releases.filter(partner__in=visible_to(Partner.objects.filter(pk=partner), user))
    return releases.select_related("classification__scheme", "package", "recall").prefetch_related("compartments")


def partner_releases(*, user: User, partner: Any, limit: int = 20) -> list[Release]:
    """The partner page's releases card: the partner's latest releases the user may read, with package and
    recall (and its receipt)."""
    return list(release_list_page(user=user, partner=partner.pk)[:limit])


def release_get(*, user: User, pk: Any, request: Any = None) -> Release:
    """One release with its package and recall (and who recalled it, who recorded the receipt) in the same query."""
    return get_visible_or_404(
        Release.objects.select_related(
            "partner",
            "classification__scheme",
            "created_by",
            "decided_by",
            "tearline",
            "tearline__classification",
            "package",
            "recall__recalled_by",
            "recall__receipt_recorded_by",
        ).prefetch_related("compartments", "caveats", "originators"),
        user,
        pk,
        request=request,
    )


def tearline_list(*, user: User) -> QuerySet[Tearline]:
    return visible_to(Tearline.objects.select_related("classification", "created_by"), user).order_by("-created_at")


def tearline_get(*, user: User, pk: Any, request: Any = None) -> Tearline:
    return get_visible_or_404(
        Tearline.objects.select_related(
            "classification", "created_by", "downgrade_to", "downgrade_requested_by", "downgrade_decided_by"
        ).prefetch_related("compartments", "caveats", "originators"),
        user,
        pk,
        request=request,
    )


def consent_list(*, user: User, originator_partner: Any = None) -> QuerySet[Consent]:
    consents = visible_to(
        Consent.objects.select_related(
            "originator_partner", "originator_service", "partner", "created_by", "classification"
        ),
        user,
    )
    if originator_partner is not None:
        consents = consents.filter(originator_partner=originator_partner)
    return consents.order_by("-created_at")


def consent_get(*, user: User, pk: Any, request: Any = None) -> Consent:
    return get_visible_or_404(
        Consent.objects.select_related("originator_partner", "originator_service", "partner", "created_by"),
        user,
        pk,
        request=request,
    )


def consent_request_list(*, user: User, status: str = "") -> QuerySet[ConsentRequest]:
    requests = visible_to(
        ConsentRequest.objects.select_related(
            "originator_partner", "originator_service", "partner", "created_by", "classification", "release"
        ),
        user,
    )
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-created_at")


def consent_request_get(*, user: User, pk: Any, request: Any = None) -> ConsentRequest:
    return get_visible_or_404(
        ConsentRequest.objects.select_related(
            "originator_partner", "originator_service", "partner", "created_by", "release"
        ),
        user,
        pk,
        request=request,
    )


def visible_items(*, user: User, ids: list[str]) -> dict[str, Any]:
    """The items among `ids` the user may read, by id: what a page may name when a rule concerns an item."""
    from liaison.exchanges.models import InformationItem

    return {str(item.pk): item for item in visible_to(InformationItem.objects.filter(pk__in=ids), user)}
