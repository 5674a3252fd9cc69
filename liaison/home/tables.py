"""The watchtower's tables as rows of cells, for the CSV export (the page shows the same figures)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.home.watchtower import Delay, Watchtower

TABLES = {
    "activity": gettext_lazy("Activity per week"),
    "zones": gettext_lazy("Zones"),
    "workload": gettext_lazy("Workload per officer"),
    "silent": gettext_lazy("Partners gone silent"),
    "delays": gettext_lazy("Response times and delays"),
}

# A spreadsheet runs a cell that starts with one of these as a formula: such text is quoted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def _banner(tower: Watchtower) -> list[str]:
    marking = tower.marking
    label = marking.classification.label if marking.classification is not None else ""
    compartments = " / ".join(c.code.upper() for c in marking.compartment_list)
    period = f"{tower.scope.weeks.first.isoformat()} — {tower.scope.weeks.last.isoformat()}"
    return [_("Classification"), label, compartments, _("Weeks counted"), period]


def _delay(name: str, delay: Delay) -> list[Any]:
    return [name, delay.count, delay.average_hours, delay.on_time_share, delay.late]


def _rows(tower: Watchtower, table: str) -> Iterator[list[Any]]:
    if table == "activity":
        yield [_("Week of"), _("Exchanges"), _("Information items"), _("Reports")]
        for week in tower.weeks:
            yield [week.monday.isoformat(), week.exchanges, week.items, week.reports]
    elif table == "zones":
        yield [
            _("Zone"),
            _("Exchanges"),
            _("Information items"),
            _("Reports"),
            _("Reports approved"),
            _("Active partners"),
            _("Partners gone silent"),
        ]
        for zone in tower.zones:
            yield [str(zone.zone), zone.exchanges, zone.items, zone.reports, zone.approved, zone.partners, zone.silent]
    elif table == "workload":
        yield [_("Owner"), _("Open follow-ups"), _("Of which overdue"), _("Due within 7 days")]
        for officer in tower.officers:
            yield [officer.alias, officer.open, officer.overdue, officer.due_this_week]
    elif table == "silent":
        yield [_("Partner"), _("Zone"), _("Last exchange")]
        for row in tower.silent:
            last = timezone.localtime(row.last_exchange_at).date().isoformat() if row.last_exchange_at else ""
            yield [str(row.partner), str(row.partner.zone), last]
    elif table == "delays":
        yield [
            _("What is measured"),
            _("Records counted"),
            _("Average (hours)"),
            _("On time (%)"),
            _("Still open and late"),
        ]
        yield _delay(_("Partner requests: acknowledgement"), tower.rfi_acknowledgement)
        yield _delay(_("Partner requests: answer"), tower.rfi_answer)
        yield _delay(_("Reports: submission to approval"), tower.approval)
        yield _delay(_("Reports: dissemination to acknowledgement"), tower.acknowledgement)


def table_rows(tower: Watchtower, table: str) -> Iterator[list[Any]]:
    yield _banner(tower)
    for row in _rows(tower, table):
        yield [cell(value) for value in row]
