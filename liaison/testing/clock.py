"""A clock that tests move by hand: `timezone.now()` answers its time, which starts just after the beginning of a
failure window, so a test decides when windows close instead of racing the wall clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
