"""The unread count in the header of every page: one COUNT over the user's own unread notices (indexed)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from liaison.notifications.selectors import notification_unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": notification_unread_count(user=user)}
