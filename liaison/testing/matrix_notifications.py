"""The role matrix of the notifications app's pages and API endpoints (rows like `matrix.ROUTES`).

Everyone has a notification centre; a notification is its recipient's alone: anyone else gets 404 for it, like
for an id that does not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from liaison.notifications.models import NotificationKind
from liaison.notifications.services import notify
from liaison.testing.api_matrix import ApiRoute
from liaison.testing.cast import Cast
from liaison.testing.matrix import Route, everyone


def carols_notice(cast: Cast) -> list[Any]:
    """Carol's notice that alice's report waits for her review."""
    notification, _created = notify(
        recipient=cast.carol, kind=NotificationKind.REPORT_TO_REVIEW, target=cast.submitted_report, key="matrix"
    )
    return [notification.pk]


NOTIFICATIONS_ROUTES: list[Route] = [
    Route("notifications:list", everyone()),
    Route("notifications:read", {"carol": 302}, args=carols_notice, method="post"),
    Route("notifications:read", {}, args=lambda c: [uuid.uuid4()], method="post", label="unknown id"),
    Route("notifications:read_all", everyone(302), method="post"),
    ApiRoute("api:notification-list", everyone()),
    ApiRoute("api:notification-read", {"carol": 200}, args=carols_notice, method="post"),
    ApiRoute("api:notification-read", {}, args=lambda c: [uuid.uuid4()], method="post", label="unknown id"),
    ApiRoute("api:notification-read-all", everyone(), method="post"),
]
