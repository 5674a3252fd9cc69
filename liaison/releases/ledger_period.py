"""The period and sort order the reciprocity ledger is asked for, checked once for pages and API alike: whole
months as YYYY-MM (both included; by default the 12 months up to this one, at most 60) and a column of the office
table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core.exceptions import InputFieldError

DEFAULT_MONTHS = 12
MAX_MONTHS = 60
MONTH = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})")

# Columns of the office table a reader may sort by; `-column` sorts in descending order.
SORT_COLUMNS = (
    "partner",
    "received",
    "given",
    "imbalance",
    "requests_answered",
    "share_ab",
    "share_12",
    "proactive_share",
    "recalled",
)
DEFAULT_SORT = "-imbalance"


class LedgerInputError(InputFieldError):
    """A period or sort order the ledger cannot use (field: from, to or sort)."""


# ---------------------------------------------------------------- the period


@dataclass(frozen=True)
class Period:
    """Whole months from `first` to `last` (both the first day of their month), in the display time zone."""

    first: date
    last: date

    @property
    def months(self) -> list[date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = _next_month(month)
        return months

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime(self.first.year, self.first.month, 1))

    @property
    def ends_at(self) -> datetime:
        """The first moment after the period."""
        after = _next_month(self.last)
        return timezone.make_aware(datetime(after.year, after.month, 1))

    @property
    def query(self) -> str:
        return f"from={self.first:%Y-%m}&to={self.last:%Y-%m}"


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _months_back(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _parse_month(raw: str, name: str) -> date:
    match = MONTH.fullmatch(raw.strip())
    if match and 1900 <= int(match["year"]) <= 2199 and 1 <= int(match["month"]) <= 12:
        return date(int(match["year"]), int(match["month"]), 1)
    raise LedgerInputError(name, _("Give a month as YYYY-MM between 1900-01 and 2199-12, e.g. 2026-03."))


def period_parse(raw_from: str | None, raw_to: str | None, *, today: date | None = None) -> Period:
    """The period a reader asks for (`from`, `to` as YYYY-MM, both included). Without `to`, up to this month; without
    `from`, the 12 months up to `to`. At most 60 months; `from` after `to` is refused."""
    today = today or timezone.localdate()
    last = _parse_month(raw_to, "to") if raw_to else date(today.year, today.month, 1)
    first = _parse_month(raw_from, "from") if raw_from else _months_back(last, DEFAULT_MONTHS - 1)
    if first > last:
        raise LedgerInputError(
            "from", _("The first month comes after the last one: give a first month before the last.")
        )
    if len(Period(first, last).months) > MAX_MONTHS:
        raise LedgerInputError(
            "from", _("The period covers more than %(max)d months: give a shorter one.") % {"max": MAX_MONTHS}
        )
    return Period(first, last)


def sort_parse(raw: str | None) -> str:
    """A column of the office table, optionally prefixed with `-` for descending; refused when unknown."""
    value = (raw or DEFAULT_SORT).strip()
    if value.removeprefix("-") not in SORT_COLUMNS:
        raise LedgerInputError(
            "sort",
            _("Unknown column: sort by one of %(columns)s, with - in front for descending order.")
            % {"columns": ", ".join(SORT_COLUMNS)},
        )
    return value
