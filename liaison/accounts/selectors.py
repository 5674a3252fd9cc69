from __future__ import annotations

from django.db.models import QuerySet

from liaison.accounts.models import User


def user_list_for_administration() -> QuerySet[User]:
    """Every account with what an administrator manages; the civil identity is deliberately not loaded."""
    return (
        User.objects.select_related("service", "clearance")
        .prefetch_related("roles", "compartments")
        .defer("civil_first_name", "civil_last_name")
        .order_by("alias")
    )
