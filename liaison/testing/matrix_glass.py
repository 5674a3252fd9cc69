"""The role matrix of the break-glass pages (rows like `matrix.ROUTES`). Only administrators request and read;
administrators and security officers decide; everyone else gets 404 for every page.

Requests are built on the shared cast only when a row asks for them:
  pending  frank's request naming the office exchange, waiting for a decision
  opened   frank's request naming the SECRET terrorism partner (above frank's clearance), approved by grace
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from liaison.breakglass.identifiers import parse_identifiers
from liaison.breakglass.models import BreakGlassRequest
from liaison.breakglass.services import breakglass_decide, breakglass_request
from liaison.testing.cast import Cast
from liaison.testing.matrix import Route

ADMINS = {"frank": 200}
APPROVERS = {"frank": 200, "grace": 200}
WHY = "Incident 2026-114: the export job crashes on this object; the logs point to its data."


@dataclass
class GlassCast:
    pending: BreakGlassRequest
    opened: BreakGlassRequest


def glass_cast(cast: Cast) -> GlassCast:
    cached: GlassCast | None = getattr(cast, "_glass", None)
    if cached is not None:
        return cached
    pending = breakglass_request(
        by=cast.frank,
        justification=WHY,
        minutes=30,
        objects=parse_identifiers(reverse("exchanges:detail", args=[cast.exchange.pk])),
    )
    opened = breakglass_request(
        by=cast.frank,
        justification=WHY,
        minutes=30,
        objects=parse_identifiers(reverse("partners:detail", args=[cast.secret_partner.pk])),
    )
    opened = breakglass_decide(by=cast.grace, request=opened, approve=True, reason="Ticket checked with the desk.")
    glass = GlassCast(pending=pending, opened=opened)
    cast._glass = glass  # type: ignore[attr-defined]
    return glass


def _pending(cast: Cast) -> list[Any]:
    return [glass_cast(cast).pending.pk]


def _opened(cast: Cast) -> list[Any]:
    return [glass_cast(cast).opened.pk]


def _opened_target(cast: Cast) -> list[Any]:
    opened = glass_cast(cast).opened
    return [opened.pk, opened.targets.get().pk]


def _pending_target(cast: Cast) -> list[Any]:
    pending = glass_cast(cast).pending
    return [pending.pk, pending.targets.get().pk]


GLASS_ROUTES: list[Route] = [
    Route("breakglass:list", ADMINS),
    Route("breakglass:create", ADMINS),
    Route(
        "breakglass:create",
        {"frank": 302},
        method="post",
        data={"objects": str(uuid.uuid4()), "justification": WHY, "minutes": "15"},
        label="send",
    ),
    Route("breakglass:pending", APPROVERS),
    Route("breakglass:detail", APPROVERS, args=_pending, label="pending"),
    Route("breakglass:detail", APPROVERS, args=_opened, label="open window"),
    Route("breakglass:detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    # grace approves first (the cast's order); frank, the requester, is refused with the rule named on the page.
    Route(
        "breakglass:decide",
        {"grace": 302, "frank": 302},
        args=_pending,
        method="post",
        data={"decision": "approve", "reason": "Ticket checked."},
    ),
    Route("breakglass:close", {"grace": 302, "frank": 302}, args=_opened, method="post", data={"reason": "Done."}),
    Route("breakglass:object", ADMINS, args=_opened_target, label="open window"),
    Route("breakglass:object", {}, args=_pending_target, label="window not approved"),
    Route("breakglass:object", {}, args=lambda c: [uuid.uuid4(), uuid.uuid4()], label="unknown ids"),
]
