"""A user's compartments and roles are read once per request and kept on the instance (`policy.access.reader`,
`User.role_codes`); changing them through that instance drops what was kept, so the change is seen at once."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed

from liaison.policy.access import forget_reader


def _forget(sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    if action.startswith("post_") and not reverse:
        forget_reader(instance)


def connect() -> None:
    from liaison.accounts.models import User

    for relation in (User.compartments, User.roles):
        m2m_changed.connect(_forget, sender=relation.through, dispatch_uid=f"forget-reader-{relation.field.name}")
