from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class PasskeysConfig(AppConfig):
    name = "liaison.passkeys"
    label = "passkeys"
    verbose_name = _("Security keys")

    def ready(self) -> None:
        checks.register(check_key_required_roles, checks.Tags.security)


def check_key_required_roles(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A role code misspelt in LIAISON_KEY_REQUIRED_ROLES would silently exempt that role: refuse to start."""
    from django.conf import settings

    from liaison.accounts.models import RoleCode

    unknown = sorted(set(settings.LIAISON_KEY_REQUIRED_ROLES) - set(RoleCode.values))
    if not unknown:
        return []
    return [
        checks.Error(
            f"LIAISON_KEY_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"Use role codes among: {', '.join(RoleCode.values)}.",
            id="liaison.passkeys.E001",
        )
    ]
