from __future__ import annotations

from typing import Any

from liaison.accounts.models import User
from liaison.partners.selectors import partner_list


def dashboard_for(user: User) -> dict[str, Any]:
    """What the dashboard shows: the user's standing and what they follow, all through the read rule."""
    partners = partner_list(user=user)
    return {
        "profile": user,
        "partner_count": partners.count(),
        "my_partners": partners.filter(officers_in_charge=user)[:10],
    }
