"""Reporting periods: a calendar month or quarter, its bounds as aware datetimes in the office's time zone, and the
period before it (the comparison the committee reads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    kind: str  # "month" or "quarter"
    start: date
    end: date  # the last day, included

    @property
    def months(self) -> int:
        return 3 if self.kind == "quarter" else 1

    def bounds(self) -> tuple[datetime, datetime]:
        """[first instant, first instant after the period), in UTC, from the office's local midnights."""
        zone = ZoneInfo(settings.TIME_ZONE)
        first = datetime.combine(self.start, time(), zone).astimezone(UTC)
        after = datetime.combine(self.end + timedelta(days=1), time(), zone).astimezone(UTC)
        return first, after

    def previous(self) -> Period:
        return period_of(self.kind, add_months(self.start, -self.months))

    def label(self) -> str:
        """The period in the active language: "Q3 2026" / "T3 2026", "March 2026" / "mars 2026"."""
        if self.kind == "quarter":
            return _("Q%(number)d %(year)d") % {"number": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        return date_format(self.start, "YEAR_MONTH_FORMAT")


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_of(kind: str, start: date) -> Period:
    """The month or quarter that begins on `start` (which must be such a first day)."""
    months = 3 if kind == "quarter" else 1
    return Period(kind, start, add_months(start, months) - timedelta(days=1))


def is_period_start(kind: str, day: date) -> bool:
    return day.day == 1 and (kind != "quarter" or day.month in (1, 4, 7, 10))
