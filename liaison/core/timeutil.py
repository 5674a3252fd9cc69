"""The one validation of dates and times that users give (forms, API and services alike): a wall-clock time read in
a named time zone becomes an aware UTC moment, or a `DomainError` that says what to change.

Why a range: PostgreSQL stores moments far outside what Python can read back (year 10000 in UTC, or year 1 shown
in a zone east of Greenwich), so a value accepted at the edge would be written and then break every page that shows
it. Every moment and date a user gives must lie between `EARLIEST` and `LATEST`, which every database and every
time zone can store and show. Daylight-saving gaps (a time that never happens) and folds (a time that happens twice)
are refused with the two instants around them, never guessed, so the record says exactly when something happened.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django import forms
from django.forms.fields import BaseTemporalField
from django.utils.translation import gettext as _

from liaison.core.exceptions import DomainError

EARLIEST_YEAR = 1900
LATEST_YEAR = 2199
EARLIEST = datetime(EARLIEST_YEAR, 1, 1, tzinfo=UTC)
LATEST = datetime(LATEST_YEAR + 1, 1, 1, tzinfo=UTC) - timedelta(microseconds=1)


class TimeInputError(DomainError):
    """A date or time a user gave cannot be recorded as it is; the message says what to change."""


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def time_zone_get(name: str) -> ZoneInfo:
    """The named IANA time zone, or a refusal that says how to name one."""
    if name not in _zone_names():
        raise TimeInputError(_("Unknown time zone %(tz)s: use a name such as Europe/Paris.") % {"tz": name[:64]})
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimeInputError(
            _("Unknown time zone %(tz)s: use a name such as Europe/Paris.") % {"tz": name[:64]}
        ) from None


def _out_of_range() -> TimeInputError:
    return TimeInputError(
        _("Give a date between %(first)d and %(last)d: this one cannot be recorded.")
        % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
    )


def date_check(value: date) -> date:
    """A calendar date a user gave (e.g. an agreement's validity), within the recordable range."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise _out_of_range()
    return value


def _fmt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %z")


def moment_in_zone(value: datetime, time_zone: str) -> datetime:
    """The UTC moment of `value`: a wall-clock time read in `time_zone`, or an aware time taken as it is.

    Refused: an unknown zone, a moment outside the recordable range, a wall-clock time that falls in a
    daylight-saving gap or fold of that zone (the message gives the instants around it)."""
    zone = time_zone_get(time_zone)
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise _out_of_range()
    if value.tzinfo is not None and value.utcoffset() is not None:
        moment = value.astimezone(UTC)
    else:
        naive = value.replace(tzinfo=None)
        first = naive.replace(tzinfo=zone, fold=0)
        second = naive.replace(tzinfo=zone, fold=1)
        if first.utcoffset() != second.utcoffset():
            before, after = sorted((first.astimezone(UTC), second.astimezone(UTC)))
            if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
                raise TimeInputError(
                    _(
                        "%(time)s does not exist in %(tz)s: the clocks jump forward then. Did you mean %(earlier)s "
                        "or %(later)s?"
                    )
                    % {
                        "time": naive.strftime("%Y-%m-%d %H:%M"),
                        "tz": time_zone,
                        "earlier": _fmt(before.astimezone(zone)),
                        "later": _fmt(after.astimezone(zone)),
                    }
                )
            raise TimeInputError(
                _(
                    "%(time)s happens twice in %(tz)s: the clocks go back then. Give the time in UTC instead "
                    "(%(first)s or %(second)s), or with its UTC offset in the API."
                )
                % {
                    "time": naive.strftime("%Y-%m-%d %H:%M"),
                    "tz": time_zone,
                    "first": before.strftime("%Y-%m-%d %H:%M UTC"),
                    "second": after.strftime("%Y-%m-%d %H:%M UTC"),
                }
            )
        moment = first.astimezone(UTC)
    if not EARLIEST <= moment <= LATEST:
        raise _out_of_range()
    return moment


class WallClockDateTimeField(forms.DateTimeField):
    """A date and time as typed, without a time zone: the form reads it in the zone chosen beside it (through
    `moment_in_zone`), never in the server's zone, so the same rules apply as in the API and the services."""

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        parsed = BaseTemporalField.to_python(self, value)
        return parsed if isinstance(parsed, datetime) else None

    def strptime(self, value: str, format: str) -> datetime:
        return datetime.strptime(value, format)
