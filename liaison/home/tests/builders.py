"""Records the home tests need beyond the shared cast: exchanges at a chosen moment."""

from __future__ import annotations

from datetime import datetime

from liaison.accounts.models import User
from liaison.exchanges.models import Exchange
from liaison.exchanges.services import exchange_create
from liaison.partners.models import Partner
from liaison.policy.markings import Marking


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
