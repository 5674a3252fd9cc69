from __future__ import annotations

from typing import Any

from liaison.accounts.models import User
from liaison.exchanges.selectors import exchange_list
from liaison.partners.selectors import partner_list
from liaison.reports.models import ReportStatus
from liaison.reports.selectors import report_inbox, report_list, report_list_to_review


def dashboard_for(user: User) -> dict[str, Any]:
    """What the dashboard shows: the user's standing and what waits for them, all through the read rule."""
    partners = partner_list(user=user)
    return {
        "profile": user,
        "partner_count": partners.count(),
        "my_partners": partners.filter(officers_in_charge=user)[:10],
        "upcoming": exchange_list(user=user, upcoming=True)[:6],
        "to_review": report_list_to_review(user=user)[:10],
        "to_acknowledge": report_inbox(user=user, pending_only=True)[:10],
        "returned": report_list(user=user, status=ReportStatus.RETURNED).filter(created_by=user)[:10],
    }
