"""Agenda pages (day, week, month in the reader's time zone) and the page that issues the calendar feed."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.agenda import selectors, services
from liaison.audit.services import record_list_read
from liaison.core.timeutil import EARLIEST_YEAR, LATEST_YEAR
from liaison.policy.gates import request_user

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _date_or_404(text: str) -> date:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise Http404 from None
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise Http404
    return value


def _filters(request: HttpRequest) -> tuple[bool, list[str], list[str]]:
    """Scope (mine or all I may read) and kinds from the query string; a value the page cannot take is named in a
    message and ignored."""
    problems = []
    scope = request.GET.get("scope", "mine")
    if scope not in ("mine", "all"):
        problems.append(_("Unknown scope: showing your own agenda."))
        scope = "mine"
    kinds = [k for k in request.GET.getlist("kind") if k]
    unknown = [k for k in kinds if k not in selectors.KINDS]
    if unknown:
        problems.append(_("Unknown kind %(kind)s: it is ignored.") % {"kind": unknown[0][:40]})
    return scope == "mine", [k for k in kinds if k in selectors.KINDS], problems


def _page(
    request: HttpRequest, *, view: str, first: date, count: int, prev: date, next: date, extra: dict[str, Any]
) -> HttpResponse:
    user = request_user(request)
    zone = timezone.get_current_timezone()
    mine, kinds, problems = _filters(request)
    start = selectors.day_bounds(first, zone)[0]
    end = selectors.day_bounds(first + timedelta(days=count - 1), zone)[1]
    entries = selectors.agenda_entries(user=user, start=start, end=end, zone=zone, mine=mine, kinds=kinds)
    for source in ("exchange", "followup", "consent"):
        shown = [entry.obj for entry in entries if entry.source == source]
        record_list_read(actor=user, objects=shown, view=f"agenda:{view}", request=request)
    query = urlencode([("scope", "mine" if mine else "all"), *(("kind", k) for k in kinds)])
    today = timezone.localdate()
    url_of = {
        "day": lambda d: reverse("agenda:day", args=[d.isoformat()]),
        "week": lambda d: reverse("agenda:week", args=[d.isoformat()]),
        "month": lambda d: reverse("agenda:month", args=[d.strftime("%Y-%m")]),
    }[view]
    days = selectors.lay_out(entries, first, count, zone)
    if view == "day":
        extra = extra | {"slots": selectors.hour_slots(days[0], zone)}
    return render(
        request,
        f"agenda/{view}.html",
        {
            "view": view,
            "days": days,
            "today": today,
            "first": first,
            "last": first + timedelta(days=count - 1),
            "prev_url": f"{url_of(prev)}?{query}",
            "next_url": f"{url_of(next)}?{query}",
            "today_url": f"{url_of(today)}?{query}",
            "query": query,
            "views": {
                "day": f"{reverse('agenda:day', args=[first.isoformat()])}?{query}",
                "week": f"{reverse('agenda:week', args=[first.isoformat()])}?{query}",
                "month": f"{reverse('agenda:month', args=[first.strftime('%Y-%m')])}?{query}",
            },
            "mine": mine,
            "kinds": kinds,
            "kind_choices": selectors.kind_choices(),
            "legend": [(value, label, selectors.ICONS[value]) for value, label in selectors.kind_choices()],
            "problems": problems,
            "marked": [entry.obj for entry in entries],
            "zone_name": str(zone),
            **extra,
        },
    )


def _week(request: HttpRequest, day: date) -> HttpResponse:
    monday = day - timedelta(days=day.weekday())
    return _page(
        request, view="week", first=monday, count=7, prev=monday - timedelta(7), next=monday + timedelta(7), extra={}
    )


@login_required
def agenda_index_view(request: HttpRequest) -> HttpResponse:
    """This week; on a Saturday or Sunday, the week to come (the one the officer is preparing)."""
    today = timezone.localdate()
    return _week(request, today + timedelta(days=2) if today.weekday() >= 5 else today)


@login_required
def agenda_week_view(request: HttpRequest, day: str) -> HttpResponse:
    return _week(request, _date_or_404(day))


@login_required
def agenda_day_view(request: HttpRequest, day: str) -> HttpResponse:
    current = _date_or_404(day)
    if current in (date(EARLIEST_YEAR, 1, 1), date(LATEST_YEAR, 12, 31)):
        raise Http404
    return _page(
        request, view="day", first=current, count=1, prev=current - timedelta(1), next=current + timedelta(1), extra={}
    )


@login_required
def agenda_month_view(request: HttpRequest, month: str) -> HttpResponse:
    match = MONTH.match(month)
    if match is None or not 1 <= int(match[2]) <= 12 or not EARLIEST_YEAR < int(match[1]) < LATEST_YEAR:
        raise Http404
    first_of_month = date(int(match[1]), int(match[2]), 1)
    next_month = (first_of_month + timedelta(days=32)).replace(day=1)
    prev_month = (first_of_month - timedelta(days=1)).replace(day=1)
    grid_start = first_of_month - timedelta(days=first_of_month.weekday())
    grid_end = next_month + timedelta(days=(7 - next_month.weekday()) % 7)
    return _page(
        request,
        view="month",
        first=grid_start,
        count=(grid_end - grid_start).days,
        prev=prev_month,
        next=next_month,
        extra={"month": first_of_month},
    )


@login_required
def feed_settings_view(request: HttpRequest) -> HttpResponse:
    """Issue, rotate or revoke the calendar feed's address, and choose whether it carries titles."""
    user = request_user(request)
    feed = selectors.calendar_feed_get(user=user)
    token = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        shows_titles = request.POST.get("shows_titles") == "on"
        language = translation.get_language() or "fr"
        if action == "issue":
            feed, token = services.calendar_feed_issue(user=user, shows_titles=shows_titles, language=language)
            messages.success(request, _("New feed address issued: copy it now, it will not be shown again."))
        elif action == "revoke":
            services.calendar_feed_revoke(user=user)
            messages.success(request, _("Feed address revoked: calendars using it no longer receive anything."))
            return redirect("agenda:feed_settings")
        elif action == "configure":
            services.calendar_feed_configure(user=user, shows_titles=shows_titles, language=language)
            messages.success(request, _("Feed settings saved."))
            return redirect("agenda:feed_settings")
        else:
            messages.error(request, _("Choose an action: issue, revoke or save the settings."))
    feed_url = request.build_absolute_uri(reverse("agenda:feed_ics", args=[token])) if token else ""
    return render(request, "agenda/feed_settings.html", {"feed": feed, "feed_url": feed_url})
