"""Records the home tests need beyond the shared cast: exchanges at a chosen moment and follow-ups."""

from __future__ import annotations

from datetime import datetime

from liaison.accounts.models import User
from liaison.exchanges.models import Exchange
from liaison.exchanges.services import exchange_create
from liaison.followup.models import FollowUp, FollowUpKind, FollowUpStatus
from liaison.partners.models import Partner
from liaison.policy.apply import apply_marking
from liaison.policy.markings import Marking
from liaison.testing.cast import level, service


def exchange_at(
    by: User, partner: Partner, when: datetime, compartments: tuple[str, ...] = (), title: str = "Meeting"
) -> Exchange:
    """An exchange at an aware moment, marked DR with `compartments`."""
    return exchange_create(
        by=by,
        kind="meeting",
        title=title,
        occurred_at=when,
        time_zone="UTC",
        place="Brussels",
        partners=[partner],
        marking=Marking(rank=1, compartments=frozenset(compartments)),
    )


def followup(
    owner: User,
    due_at: datetime,
    *,
    kind: str = FollowUpKind.TASK,
    title: str = "Send the list",
    partner: Partner | None = None,
    exchange: Exchange | None = None,
    compartments: tuple[str, ...] = (),
    shared: tuple[str, ...] = (),
    requested_by: str = "",
    status: str = FollowUpStatus.OPEN,
    created_at: datetime | None = None,
    acknowledged_at: datetime | None = None,
    closed_at: datetime | None = None,
) -> FollowUp:
    """A follow-up as the follow-up services leave it, at any stage of its life: those services stamp the present and
    refuse a deadline already past, and these tests need requests acknowledged and closed days ago, or late."""
    row = FollowUp.objects.create(
        kind=kind,
        title=title,
        owner=owner,
        due_at=due_at,
        partner=partner,
        exchange=exchange,
        created_by=owner,
        classification=level("dr"),
        status=status,
        requested_by_service=service(requested_by) if requested_by else None,
        acknowledged_at=acknowledged_at,
        closed_at=closed_at,
    )
    apply_marking(row, Marking(rank=1, compartments=frozenset(compartments)), level=level("dr"))
    row.shared_with_services.set([service(code) for code in shared])
    if created_at is not None:
        FollowUp.objects.filter(pk=row.pk).update(created_at=created_at)
        row.refresh_from_db()
    return row
