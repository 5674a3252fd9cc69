"""Who does what in the cybersecurity office's areas, kept with the rest of the policy: the strengthening plan and its
indicators, colleagues' concerns, the management committee's report and advisories to federal partners.

These objects carry no classification: access is by role (and, for a concern, by being its requester), and a page or
object a user may not use answers 404 like an unseen one (see gates.py)."""

from __future__ import annotations

from typing import Any

from liaison.accounts.models import RoleCode
from liaison.policy.gates import has_any_role

# The 2nd line runs the plan, concerns, indicators, the committee's report and advisories.
SECURITY_OFFICE = (RoleCode.SECURITY_OFFICER,)
# The plan and its evidence: the security office, and the 3rd line (internal audit), read-only.
PLAN_READERS = (RoleCode.SECURITY_OFFICER, RoleCode.AUDITOR)
# The committee's report once approved: the security office, the head of office (desk heads), management, audit.
COMMITTEE_READERS = (RoleCode.SECURITY_OFFICER, RoleCode.DESK_HEAD, RoleCode.MANAGEMENT, RoleCode.AUDITOR)
# Concerns: every signed-in user may raise one and read their own and the published answers; the security office
# handles them all; audit reads them all.
CONCERN_HANDLERS = (RoleCode.SECURITY_OFFICER,)
CONCERN_READERS = (RoleCode.SECURITY_OFFICER, RoleCode.AUDITOR)
# Advisories: drafted, approved (by a second security officer) and sent by the security office; federal partners'
# contacts read those addressed to their administration.
ADVISORY_EDITORS = (RoleCode.SECURITY_OFFICER,)
FEDERAL_PARTNER = (RoleCode.FEDERAL_PARTNER,)


def can_read_plan(user: Any) -> bool:
    """The whole plan, its coverage and evidence: the security office and internal audit."""
    return has_any_role(user, *PLAN_READERS)


def can_edit_plan(user: Any) -> bool:
    """Objectives, measures, catalogues: the security office only (audit reads, never writes)."""
    return has_any_role(user, *SECURITY_OFFICE)


def can_read_measure(user: Any, measure: Any) -> bool:
    """A measure: the plan's readers, and the measure's owner (whoever they are)."""
    return can_read_plan(user) or _owns(user, measure)


def can_report_on_measure(user: Any, measure: Any) -> bool:
    """Updates and evidence on a measure: the security office, and the measure's owner."""
    return can_edit_plan(user) or _owns(user, measure)


def _owns(user: Any, measure: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and measure.owner_id == user.pk)


# What a federal partner account may reach: its advisories page and acknowledgements, the CSAF provider location,
# logging in and out with its second factor, its profile, the language switch and static files.
PARTNER_PATHS = (
    "/advisories/mine/",
    "/advisories/sent/",
    "/.well-known/csaf/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/profile/",
    "/accounts/keys/",
    "/i18n/",
    "/static/",
)


def is_partner_only(user: object) -> bool:
    """Whether `user` is a federal partner account holding no other role."""
    if not getattr(user, "is_authenticated", False):
        return False
    # role_codes() is cached on the user for the request: the navigation and the gates reuse it.
    return bool(user.role_codes() == {RoleCode.FEDERAL_PARTNER})  # type: ignore[attr-defined]
