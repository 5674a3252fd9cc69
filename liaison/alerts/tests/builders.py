"""Crafted activity for the alert tests: reads, refusals, exports and logins recorded through the audit services at
chosen times (a fixed past week, so that no test depends on today's date)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from django.conf import settings

from liaison.accounts.models import User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record, record_read

DAY = date(2026, 2, 10)  # a Tuesday, away from daylight-saving changes


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A local time of the office on `day`, in UTC as the services store (and hash) it."""
    return datetime.combine(day, time(hour, minute), ZoneInfo(settings.TIME_ZONE)).astimezone(UTC)


@contextmanager
def moment(when: datetime) -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", lambda: when):
        yield


def reads(
    user: User,
    start: datetime,
    count: int,
    *,
    event: AuditEvent = AuditEvent.OBJECT_READ,
    every: timedelta = timedelta(seconds=20),
    targets: list[str] | None = None,
) -> None:
    """`count` reads (or refusals) by `user` from `start`, one every `every`, each of a distinct object unless
    `targets` names them."""
    for n in range(count):
        target = targets[n % len(targets)] if targets else str(uuid.uuid4())
        with moment(start + n * every):
            record_read(
                actor=user, event=event, target_type="exchanges.informationitem", target_id=target, ip="10.0.0.5"
            )


def daily_reads(user: User, day: date, days: int, per_day: int, hour: int = 10) -> None:
    """The user's ordinary work: `per_day` reads at `hour` on each of the `days` days before `day`."""
    for n in range(1, days + 1):
        reads(user, at(day - timedelta(days=n), hour), per_day)


def exports(user: User, start: datetime, count: int) -> None:
    for n in range(count):
        with moment(start + timedelta(minutes=n)):
            record(actor=user, event=AuditEvent.OBJECT_EXPORTED, target_type="reports.report", target_id=str(n))


def login(user: User, when: datetime, *, ip: str, agent: str) -> Any:
    with moment(when):
        return record(
            actor=user,
            event=AuditEvent.LOGIN_SUCCEEDED,
            target=user,
            extra={"second_factor": True, "user_agent": agent},
            ip=ip,
        )
