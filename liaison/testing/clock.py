"""A clock that tests move by hand: `timezone.now()` answers its time, which starts just after the beginning of a
failure window, so a test decides when windows close instead of racing the wall clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings


class Clock:
    def __init__(self) -> None:
        length = settings.LIAISON_AUTH_WINDOW_SECONDS
        start = int(datetime.now(tz=UTC).timestamp()) // length * length
        self.now = datetime.fromtimestamp(start + 1, tz=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def next_window(self) -> None:
        """Move just past the end of the current window."""
        self.advance(settings.LIAISON_AUTH_WINDOW_SECONDS)


def run_clock_from(monkeypatch: Any, start: datetime) -> None:
    """Make `timezone.now()` run on from `start` (it keeps advancing), for tests written around fixed dates."""
    from django.utils import timezone

    real_now = timezone.now
    shift = start - real_now()
    monkeypatch.setattr("django.utils.timezone.now", lambda: real_now() + shift)
