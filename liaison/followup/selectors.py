"""Reads of follow-ups, all through the read rule (applied first, in SQL): lists for pages, My day, the watchtower,
reminders and the API, and one follow-up for its page."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Exists, OuterRef, Prefetch, QuerySet, Value, When
from django.utils import timezone

from liaison.accounts.models import RECORDING_ROLES, User
from liaison.followup.models import OPEN_STATUSES, FollowUp, FollowUpEvent, Handover
from liaison.partners.models import Partner
from liaison.policy.access import get_visible_or_404, visible_to


def _followups(user: User) -> QuerySet[FollowUp]:
    """Visible follow-ups with what a list shows, in a constant number of queries; `partner_visible` says whether
    the user may see the linked partner (a follow-up they may read never reveals a partner they may not)."""
    return visible_to(
        FollowUp.objects.select_related(
            "owner", "partner", "classification__scheme", "requested_by_service"
        ).prefetch_related("compartments"),
        user,
    ).annotate(partner_visible=Exists(visible_to(Partner.objects.filter(pk=OuterRef("partner_id")), user)))


def followup_list(
    *,
    user: User,
    owner: Any = None,
    open_only: bool = False,
    kind: str | None = None,
    partner: Any = None,
    overdue: bool = False,
) -> QuerySet[FollowUp]:
    """The follow-ups `user` may read, filtered, soonest due first. A partner the user may not see filters to
    nothing rather than revealing what is linked to it."""
    followups = _followups(user)
    if owner is not None:
        followups = followups.filter(owner_id=getattr(owner, "pk", owner))
    if open_only or overdue:
        followups = followups.filter(status__in=OPEN_STATUSES)
    if overdue:
        followups = followups.filter(due_at__lt=timezone.now())
    if kind:
        followups = followups.filter(kind=kind)
    if partner is not None:
        followups = followups.filter(
            partner__in=visible_to(Partner.objects.filter(pk=getattr(partner, "pk", partner)), user)
        )
    return followups.order_by("due_at", "pk")


def followup_get(*, user: User, pk: Any, request: Any = None) -> FollowUp:
    """One follow-up through the read rule (404 when unseen), with its history and links."""
    return get_visible_or_404(
        FollowUp.objects.select_related(
            "owner",
            "partner",
            "exchange",
            "report",
            "classification__scheme",
            "created_by",
            "closed_by",
            "requested_by_service",
            "consent_request",
            "answer_release",
        ).prefetch_related(
            "compartments", "caveats", "originators", Prefetch("events", FollowUpEvent.objects.select_related("by"))
        ),
        user,
        pk,
        request=request,
    )


def followup_list_linked(
    *, user: User, exchange: Any = None, report: Any = None, partner: Any = None, limit: int = 20
) -> list[FollowUp]:
    """The visible follow-ups of one exchange, report or partner (for the card on its page), open ones first."""
    followups = _followups(user)
    if exchange is not None:
        followups = followups.filter(exchange=exchange)
    if report is not None:
        followups = followups.filter(report=report)
    if partner is not None:
        followups = followups.filter(partner=partner)
    open_first = Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1))
    return list(followups.order_by(open_first, "due_at", "pk")[:limit])


def assignable_owners(*, user: User) -> QuerySet[User]:
    """Who `user` may give a follow-up to: the active officers and desk heads of their service (themself too)."""
    if user.service_id is None:
        return User.objects.filter(pk=user.pk)
    return (
        User.objects.filter(is_active=True, service_id=user.service_id, roles__code__in=RECORDING_ROLES)
        .distinct()
        .order_by("alias")
    )


def followup_open_for(*, user: User) -> QuerySet[FollowUp]:
    """The open follow-ups owned by `user`, soonest due first."""
    return followup_list(user=user, owner=user, open_only=True)


def handover_list(*, user: User, limit: int = 20) -> list[Handover]:
    """The latest hand-overs of the user's service (for its desk heads' page)."""
    if user.service_id is None:
        return []
    return list(
        Handover.objects.filter(from_user__service_id=user.service_id).select_related("from_user", "to_user", "by")[
            :limit
        ]
    )
