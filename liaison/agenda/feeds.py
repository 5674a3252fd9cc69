"""The personal iCalendar feed. A calendar client has no session: the token in the address authenticates, and the
owner's access is checked again at every fetch. By default an event reads "Liaison: meeting" and its time; titles
(and partner acronyms) only when the owner opted in, and only for what the read rule lets them read right now."""

from __future__ import annotations

from datetime import UTC, timedelta

import icalendar
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from liaison.agenda import selectors
from liaison.audit.events import AuditEvent
from liaison.audit.services import record

PAST, FUTURE = timedelta(days=31), timedelta(days=183)


def _summary(entry: selectors.Entry, shows_titles: bool) -> str:
    if not shows_titles:
        return _("Liaison: meeting") if entry.source == "exchange" else _("Liaison: deadline")
    return f"{entry.title} — {entry.partners}" if entry.partners else entry.title


def _event(entry: selectors.Entry, shows_titles: bool) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{entry.uid}@liaison")
    stamp = getattr(entry.obj, "updated_at", None) or timezone.now()
    event.add("dtstamp", stamp.astimezone(UTC))
    if entry.day is not None:
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
    else:
        assert entry.start is not None and entry.end is not None
        event.add("dtstart", entry.start.astimezone(UTC))
        if entry.end > entry.start:
            event.add("dtend", entry.end.astimezone(UTC))
    event.add("summary", _summary(entry, shows_titles))
    event.add("class", "PRIVATE")
    event.add("transp", "OPAQUE" if entry.source == "exchange" else "TRANSPARENT")
    return event


@require_safe
def feed_view(request: HttpRequest, token: str) -> HttpResponse:
    feed = selectors.calendar_feed_by_token(token=token)
    if feed is None:
        raise Http404
    user = feed.user
    zone = user.zone
    now = timezone.now()
    with translation.override(feed.language):
        entries = selectors.agenda_entries(user=user, start=now - PAST, end=now + FUTURE, zone=zone, mine=True)
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Liaison//Agenda//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", "Liaison")
        for entry in entries:
            calendar.add_component(_event(entry, feed.shows_titles))
    # One entry per fetch, without ids: which feed, how many events, from where.
    record(
        actor=user, event=AuditEvent.CALENDAR_FEED_FETCHED, target=feed, extra={"events": len(entries)}, request=request
    )
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="liaison.ics"'
    return response
