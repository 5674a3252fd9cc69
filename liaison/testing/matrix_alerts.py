"""The role matrix of the alerts app's pages (rows like `matrix.ROUTES`).

Security officers (grace) handle alerts; auditors (erin) read them; everyone else gets 404, for the list as for an
alert, so that nobody learns an alert about them exists. An alert about dave is built when a row asks for it.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone

from liaison.alerts.models import Alert, AlertRule
from liaison.alerts.services import raise_alert
from liaison.testing.cast import Cast
from liaison.testing.matrix import Route

READERS = {"erin": 200, "grace": 200}


def daves_alert(cast: Cast) -> Alert:
    cached: Alert | None = getattr(cast, "_alert", None)
    if cached is not None:
        return cached
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    alert, _created = raise_alert(
        rule=AlertRule.REFUSALS,
        user=cast.dave,
        window=(start, start + timedelta(minutes=10)),
        evidence=[],
        facts={"count": 6, "threshold": 5, "minutes": 10},
    )
    cast._alert = alert  # type: ignore[attr-defined]
    return alert


def _alert(cast: Cast) -> list[Any]:
    return [daves_alert(cast).pk]


ALERTS_ROUTES: list[Route] = [
    Route("alerts:list", READERS),
    Route("alerts:detail", READERS, args=_alert),
    Route("alerts:detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    Route("alerts:acknowledge", {"grace": 302}, args=_alert, method="post"),
    Route("alerts:acknowledge", {}, args=lambda c: [uuid.uuid4()], method="post", label="unknown id"),
    Route("alerts:close", {"grace": 302}, args=_alert, method="post", data={"reason": "Expected workload."}),
]
