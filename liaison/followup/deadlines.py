"""Deadline arithmetic of follow-ups: default deadlines by priority, counted in the owner's time zone so that "in 3
days" keeps its wall-clock time across a daylight-saving change, and the syntax of proposed follow-ups in a report.

A deadline in hours (urgent: 8 hours) is elapsed time. A deadline in days is a calendar count: the same local time
N days later in the owner's zone. Should that local time not exist (a spring-forward gap) it moves forward by the
gap; should it happen twice (an autumn fold) the first occurrence is taken: the deadline is computed, not typed,
so it is resolved rather than refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from liaison.followup.models import Priority

# When a follow-up is due on a day (a proposed follow-up's "[2026-12-04]", a consent's answer date), it is due at
# this local time in its owner's zone: the end of the working day.
DUE_TIME_OF_DAY = time(18, 0)


def local_to_utc(naive: datetime, zone: ZoneInfo) -> datetime:
    """A computed local time as a UTC moment: a time in a gap moves forward by the gap, a folded time is the first."""
    # PEP 495: with fold=0 a time in a gap is read with the offset before it (so it lands after the gap, moved
    # forward by its length) and a folded time is its first occurrence.
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def add_local_days(start: datetime, days: int, zone: ZoneInfo) -> datetime:
    """`start` plus `days` calendar days at the same wall-clock time in `zone` (an aware UTC moment)."""
    local = start.astimezone(zone).replace(tzinfo=None)
    return local_to_utc(local + timedelta(days=days), zone)


def default_due(priority: str, *, start: datetime, zone: ZoneInfo) -> datetime:
    """The default deadline of a partner's request: urgent in hours, normal and routine in days (settings)."""
    if priority == Priority.URGENT:
        return start + timedelta(hours=settings.LIAISON_FOLLOWUP_DUE_URGENT_HOURS)
    days = (
        settings.LIAISON_FOLLOWUP_DUE_ROUTINE_DAYS
        if priority == Priority.ROUTINE
        else settings.LIAISON_FOLLOWUP_DUE_NORMAL_DAYS
    )
    return add_local_days(start, days, zone)


def due_on_day(day: date, zone: ZoneInfo) -> datetime:
    """A follow-up due on `day`: at the end of that working day in `zone`."""
    return local_to_utc(datetime.combine(day, DUE_TIME_OF_DAY), zone)


@dataclass(frozen=True)
class Proposed:
    """One proposed follow-up read from a report: its text and, if it named one, its due day."""

    text: str
    due_on: date | None


# "- Send the list of numbers [2026-12-04]": an optional bullet, the text, an optional day in brackets at the end.
_BULLET = re.compile(r"^\s*(?:[-*•]\s+)?")
_DUE = re.compile(r"\s*\[(\d{4}-\d{2}-\d{2})\]\s*$")


def parse_proposed(text: str) -> list[Proposed]:
    """The proposed follow-ups of a report, one per non-empty line. A line may start with "- " (or "* ", "• ")
    and end with its due day in brackets, "[YYYY-MM-DD]"; a bracket that is not a real day stays in the text."""
    proposals = []
    for line in text.splitlines():
        line = _BULLET.sub("", line, count=1).strip()
        if not line:
            continue
        due_on = None
        match = _DUE.search(line)
        if match:
            try:
                due_on = date.fromisoformat(match.group(1))
            except ValueError:
                due_on = None
            else:
                line = line[: match.start()].strip()
        if line:
            proposals.append(Proposed(text=line, due_on=due_on))
    return proposals
