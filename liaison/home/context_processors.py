"""What the base layout needs on every page: the navigation the user may use and the theme."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import LEDGER_ROLES, RoleCode
from liaison.policy.gates import has_any_role
from liaison.policy.security_office import (
    ADVISORY_EDITORS,
    COMMITTEE_READERS,
    CONCERN_READERS,
    PLAN_READERS,
    is_partner_only,
)

# (url name, label, roles that see the entry; empty = every logged-in user)
NAVIGATION: list[tuple[str, Any, tuple[str, ...]]] = [
    ("home:home", _("My day"), ()),
    ("home:watchtower", _("Watchtower"), (RoleCode.DESK_HEAD,)),
    ("partners:list", _("Partners"), ()),
    ("agenda:index", _("Agenda"), ()),
    ("exchanges:list", _("Exchanges"), ()),
    ("reports:list", _("Reports"), ()),
    ("followup:list", _("Follow-ups"), ()),
    (
        "releases:list",
        _("Releases"),
        (RoleCode.LIAISON_OFFICER, RoleCode.DESK_HEAD, RoleCode.RELEASE_AUTHORITY),
    ),
    ("releases:ledger", _("Reciprocity"), LEDGER_ROLES),
    ("home:markings", _("Markings"), ()),
    ("audit:log", _("Audit log"), (RoleCode.AUDITOR, RoleCode.SECURITY_OFFICER)),
    ("reviews:mine", _("My reviews"), (RoleCode.DESK_HEAD, RoleCode.SECURITY_OFFICER)),
    (
        "reviews:list",
        _("Access reviews"),
        (RoleCode.SECURITY_OFFICER, RoleCode.ADMINISTRATOR, RoleCode.AUDITOR),
    ),
    ("alerts:list", _("Alerts"), (RoleCode.SECURITY_OFFICER, RoleCode.AUDITOR)),
    ("security:plan", _("Security plan"), PLAN_READERS),
    ("concerns:queue", _("Concern queue"), CONCERN_READERS),
    ("committee:list", _("Committee report"), COMMITTEE_READERS),
    ("advisories:list", _("Advisories"), (*ADVISORY_EDITORS, RoleCode.AUDITOR)),
    ("concerns:mine", _("Security concerns"), ()),
    ("accounts:user_list", _("Users"), (RoleCode.ADMINISTRATOR,)),
    ("breakglass:pending", _("Break-glass"), (RoleCode.SECURITY_OFFICER, RoleCode.ADMINISTRATOR)),
    ("admin:index", _("Vocabularies"), (RoleCode.ADMINISTRATOR,)),
]


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    nav = []
    if is_partner_only(user):
        # A federal partner account reaches nothing but the advisories sent to its administration.
        nav = [{"url": reverse("advisories:mine"), "label": _("Advisories"), "active": True}]
    elif user is not None and user.is_authenticated:
        nav = [
            {"url": reverse(name), "label": label, "active": request.path == reverse(name)}
            for name, label, roles in NAVIGATION
            if not roles or has_any_role(user, *roles)
        ]
    theme = getattr(user, "theme", "auto") if user is not None and user.is_authenticated else "auto"
    return {"navigation": nav, "theme": theme, "demo_mode": settings.DEMO}
