"""Follow-ups for the notification tests, written directly so that a test can set states the services rightly
refuse (a deadline already past, an estimate that has slipped); markings go through apply_marking as everywhere."""

from __future__ import annotations

from datetime import datetime

from liaison.accounts.models import User
from liaison.followup.models import FollowUp, FollowUpKind
from liaison.policy.apply import apply_marking
from liaison.policy.markings import Marking, Rank
from liaison.testing.cast import level


def make_followup(
    *,
    owner: User,
    by: User,
    due_at: datetime,
    kind: str = FollowUpKind.TASK,
    title: str = "Send the courier list",
    compartments: frozenset[str] = frozenset(),
    estimate_at: datetime | None = None,
    assigned_at: datetime | None = None,
) -> FollowUp:
    followup = FollowUp(
        kind=kind,
        title=title,
        owner=owner,
        due_at=due_at,
        estimate_at=estimate_at,
        classification=level("dr"),
        created_by=by,
    )
    if assigned_at is not None:
        followup.assigned_at = assigned_at
    followup.save()
    apply_marking(followup, Marking(rank=Rank.RESTRICTED, compartments=compartments))
    return followup
