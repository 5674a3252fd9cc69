"""My day (everyone's home page) and the watchtower (desk heads): thin views over `my_day` and `watchtower`."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import RoleCode
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.svgcharts import paired_bars
from liaison.home.forms import WatchtowerFilterForm
from liaison.home.my_day import my_day
from liaison.home.tables import TABLES, table_rows
from liaison.home.watchtower import Watchtower, watchtower
from liaison.partners.selectors import partner_list
from liaison.policy.gates import has_any_role, request_user, roles_required
from liaison.policy.security_office import PLAN_READERS
from liaison.security.selectors import user_owns_measures

WATCHTOWER_ROLES = (RoleCode.DESK_HEAD,)


def _tools(request: HttpRequest) -> list[tuple[str, str]]:
    """Links to the pages a role without a day of records works from (security office, audit, administration)."""
    from django.urls import reverse

    user = request_user(request)
    tools = []
    if has_any_role(user, RoleCode.AUDITOR, RoleCode.SECURITY_OFFICER):
        tools += [
            (reverse("audit:log"), _("Audit log")),
            (reverse("audit:auth_failures"), _("Failed logins")),
        ]
    if has_any_role(user, RoleCode.ADMINISTRATOR):
        tools += [(reverse("accounts:user_list"), _("Users")), (reverse("admin:index"), _("Vocabularies"))]
    if has_any_role(user, *WATCHTOWER_ROLES):
        tools.append((reverse("home:watchtower"), _("Watchtower")))
    if has_any_role(user, *PLAN_READERS):
        tools.append((reverse("security:plan"), _("Security plan")))
    if user_owns_measures(user=user):  # the strengthening plan's measures are owned across the organisation
        tools.append((reverse("security:my_measures"), _("My measures")))
    return tools


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    day = my_day(user=user)
    partners = partner_list(user=user)
    in_charge = has_any_role(user, RoleCode.LIAISON_OFFICER, RoleCode.DESK_HEAD)
    return render(
        request,
        "home/my_day.html",
        {
            "day": day,
            "profile": user,
            "partner_count": partners.count(),
            # The card prints names and countries only: no markings to prefetch.
            "my_partners": list(partners.filter(officers_in_charge=user).prefetch_related(None)[:10])
            if in_charge
            else [],
            "show_partners": in_charge,
            "tools": _tools(request),
            "marked": day.marked,
        },
    )


def _filtered(request: HttpRequest) -> tuple[WatchtowerFilterForm, Watchtower | None]:
    """The filter as asked (refused with its errors), and the watchtower it selects; a page opened without a
    filter shows the defaults it counted (the last 12 weeks, silent after the instance's number of weeks)."""
    user = request_user(request)
    form = WatchtowerFilterForm(request.GET, user=user)
    if not form.is_valid():
        return form, None
    scope = form.scope
    if not request.GET:
        initial = {"start": scope.weeks.first, "end": scope.weeks.last, "silent": scope.silent_weeks}
        form = WatchtowerFilterForm(initial=initial, user=user)
    return form, watchtower(user=user, scope=scope)


def _activity_chart(tower: Watchtower) -> Any:
    return paired_bars(
        title=_("Activity per week"),
        categories=[formats.date_format(week.monday, "SHORT_DATE_FORMAT") for week in tower.weeks],
        series=[
            (_("exchanges"), [week.exchanges for week in tower.weeks]),
            (_("information items"), [week.items for week in tower.weeks]),
            (_("reports"), [week.reports for week in tower.weeks]),
        ],
        description=_(
            "Per week of the exchange (weeks start on Monday); items and reports are those of the week's exchanges."
        ),
    )


def _zone_chart(tower: Watchtower) -> Any:
    return paired_bars(
        title=_("Activity per zone"),
        categories=[str(row.zone) for row in tower.zones],
        series=[
            (_("exchanges"), [row.exchanges for row in tower.zones]),
            (_("reports"), [row.reports for row in tower.zones]),
            (_("partners gone silent"), [row.silent for row in tower.zones]),
        ],
        description=_("An exchange with partners in two zones counts in both."),
    )


@roles_required(*WATCHTOWER_ROLES)
def watchtower_view(request: HttpRequest) -> HttpResponse:
    form, tower = _filtered(request)
    if tower is None:
        return render(request, "home/watchtower.html", {"form": form, "tower": None}, status=400)
    return render(
        request,
        "home/watchtower.html",
        {
            "form": form,
            "tower": tower,
            "activity_chart": _activity_chart(tower),
            "zone_chart": _zone_chart(tower) if tower.zones else "",
            "query": request.GET.urlencode(),
            "delays": [
                (_("Partner requests: acknowledgement"), tower.rfi_acknowledgement),
                (_("Partner requests: answer"), tower.rfi_answer),
                (_("Reports: submission to approval"), tower.approval),
                (_("Reports: dissemination to acknowledgement"), tower.acknowledgement),
            ],
            "marked": tower.marked,
        },
    )


@roles_required(*WATCHTOWER_ROLES)
def watchtower_csv_view(request: HttpRequest, table: str) -> HttpResponse:
    """One table of the watchtower as CSV, counted through the same filter and read rule as the page; the first
    line carries the classification of what was counted."""
    if table not in TABLES:
        raise Http404
    form, tower = _filtered(request)
    if tower is None:
        return render(request, "home/watchtower.html", {"form": form, "tower": None}, status=400)
    user = request_user(request)
    record(
        actor=user,
        event=AuditEvent.OBJECT_EXPORTED,
        target_type="home.watchtower",
        target_id=table,
        extra={"format": "csv", "filter": {k: v for k, v in request.GET.items() if k in form.fields}},
        request=request,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="watchtower-{table}-{stamp}.csv"'
    writer = csv.writer(response)
    for row in table_rows(tower, table):
        writer.writerow(row)
    return response
