"""Pages of the reciprocity ledger: the office-wide table of partners sortable by any column, and one partner's
ledger month by month and theme by theme. Figures come from `liaison.releases.ledger`, counted over what the
reader may read; the charts are inline SVG drawn on the server."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.accounts.models import LEDGER_ROLES
from liaison.audit.services import record_list_read
from liaison.core.svgcharts import diverging_bars, paired_bars, sparkline
from liaison.partners.selectors import partner_get
from liaison.policy.gates import request_user, roles_required
from liaison.releases.ledger import Figures, Ledger, PartnerRow, ledger_office, ledger_partner
from liaison.releases.ledger_forms import LedgerFilterForm

PAGE_SIZE = 25

# (sort key, column heading); the table shows them in this order.
COLUMNS = [
    ("partner", gettext_lazy("Partner")),
    ("received", gettext_lazy("Received")),
    ("share_ab", gettext_lazy("Sources A/B")),
    ("share_12", gettext_lazy("Information 1/2")),
    ("requests_answered", gettext_lazy("Requests answered")),
    ("given", gettext_lazy("Given")),
    ("recalled", gettext_lazy("Recalled")),
    ("imbalance", gettext_lazy("Imbalance")),
    ("proactive_share", gettext_lazy("Proactive")),
]


def _month_labels(ledger: Ledger) -> list[str]:
    return [formats.date_format(month, "M Y") for month in ledger.period.months]


def _given_received_chart(ledger: Ledger, title: str) -> Any:
    return paired_bars(
        title=title,
        categories=_month_labels(ledger),
        series=[(_("received"), ledger.series("received")), (_("given"), ledger.series("given"))],
        description=_("Items received from the partner and items given to it (provided in exchanges or released)."),
    )


def _headings(form: LedgerFilterForm, sort: str) -> list[dict[str, Any]]:
    """Each column's heading with the link that sorts by it (descending first, then ascending)."""
    period = {"from": form.cleaned_data.get("from") or "", "to": form.cleaned_data.get("to") or ""}
    headings = []
    for key, label in COLUMNS:
        current = sort.removeprefix("-") == key
        descending = sort.startswith("-")
        target = key if current and descending else f"-{key}"
        if key == "partner" and not current:
            target = key  # names read best from A
        query = urlencode({**{k: v for k, v in period.items() if v}, "sort": target})
        state = ("descending" if descending else "ascending") if current else ""
        headings.append({"key": key, "label": label, "query": query, "sort": state})
    return headings


def _rows(rows: list[PartnerRow], ledger: Ledger) -> list[dict[str, Any]]:
    months = ledger.period.months
    return [
        {
            "row": row,
            "received_line": sparkline(row.series(months, "received"), label=_("received per month")),
            "given_line": sparkline(row.series(months, "given"), label=_("given per month")),
        }
        for row in rows
    ]


def _shown_form(ledger: Ledger, sort: str = "") -> LedgerFilterForm:
    """The filter as the page shows it: the period counted, even when the reader left it to the default."""
    period = ledger.period
    return LedgerFilterForm({"from": f"{period.first:%Y-%m}", "to": f"{period.last:%Y-%m}", "sort": sort})


def _refused(request: HttpRequest, template: str, form: LedgerFilterForm, context: dict[str, Any]) -> HttpResponse:
    """The page with the filter's errors and no figures: 400, nothing counted."""
    return render(request, template, {"form": form, "ledger": None, **context}, status=400)


@roles_required(*LEDGER_ROLES)
def ledger_office_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = LedgerFilterForm(request.GET)
    template = "releases/ledger_office.html"
    if not form.is_valid():
        return _refused(request, template, form, {})
    sort = form.cleaned_data["sort_column"]
    ledger = ledger_office(user=user, period=form.period, sort=sort)
    page = Paginator(ledger.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown: list[PartnerRow] = list(page.object_list)
    record_list_read(actor=user, objects=[r.partner for r in shown], view="releases:ledger", request=request)
    imbalance = diverging_bars(
        title=_("Received and given per partner"),
        rows=[(r.partner.acronym or r.partner.name, r.totals.received, r.totals.given) for r in shown],
        left_label=_("received"),
        right_label=_("given"),
        description=_("Partners of this page, in the order of the table."),
    )
    return render(
        request,
        template,
        {
            "form": _shown_form(ledger, sort),
            "ledger": ledger,
            "page": page,
            "rows": _rows(shown, ledger),
            "headings": _headings(form, sort),
            "filters": {
                "from": form.cleaned_data.get("from") or "",
                "to": form.cleaned_data.get("to") or "",
                "sort": sort,
            },
            "monthly_chart": _given_received_chart(ledger, _("Received and given per month, every partner")),
            "imbalance_chart": imbalance if shown else "",
            "marked": ledger.marked,
        },
    )


@roles_required(*LEDGER_ROLES)
def ledger_partner_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    partner = partner_get(user=user, pk=pk, request=request)
    form = LedgerFilterForm(request.GET)
    template = "releases/ledger_partner.html"
    if not form.is_valid():
        return _refused(request, template, form, {"partner": partner, "marked": [partner]})
    ledger = ledger_partner(user=user, partner=partner, period=form.period)
    themes = diverging_bars(
        title=_("Received and given per theme"),
        rows=[(row.name, row.received, row.given) for row in ledger.themes],
        left_label=_("received"),
        right_label=_("given"),
        description=_("An item counts under each of its themes."),
    )
    months = [(month, ledger.by_month.get(month) or Figures()) for month in reversed(ledger.period.months)]
    return render(
        request,
        template,
        {
            "form": _shown_form(ledger),
            "partner": partner,
            "ledger": ledger,
            "totals": ledger.totals,
            "months": months,
            "monthly_chart": _given_received_chart(ledger, _("Received and given per month")),
            "theme_chart": themes if ledger.themes else "",
            "marked": [partner, *ledger.marked],
        },
    )
