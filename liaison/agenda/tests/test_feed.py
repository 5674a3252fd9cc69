"""The personal iCalendar feed: a hashed, revocable token; "Liaison: meeting" and the time unless the owner opted in
to titles; only what the owner may read at the moment of the fetch; every fetch audited."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from liaison.agenda.models import CalendarFeed
from liaison.agenda.services import calendar_feed_configure, calendar_feed_issue, calendar_feed_revoke
from liaison.agenda.tests.test_agenda_pages import exchange_at
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.testing.cast import Cast, compartment
from liaison.testing.clock import run_clock_from
from liaison.testing.matrix import login_as


@pytest.fixture(autouse=True)
def late_november_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are written around the cast's exchange of 2 November 2026 and deadlines in early December: the
    clock runs from 29 November 2026, whatever today's date."""
    run_clock_from(monkeypatch, datetime(2026, 11, 29, 12, 0, tzinfo=UTC))


def fetch(client: Client, token: str) -> icalendar.Calendar:
    response = client.get(f"/agenda/feed/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def soon(days: int = 2, hour: int = 19) -> datetime:
    return (timezone.now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0, tzinfo=None)


def test_the_feed_parses_and_carries_only_the_placeholder_and_the_time(cast: Cast, client: Client) -> None:
    exchange = exchange_at(cast, soon(), kind="reception", title="Reception at the embassy", time_zone="UTC")
    _feed, token = calendar_feed_issue(user=cast.alice, shows_titles=False, language="en")
    response = client.get(f"/agenda/feed/{token}.ics")
    raw = response.content.decode()
    calendar = icalendar.Calendar.from_ical(response.content)
    # The cast's own exchange of 2 November is within the month before: two events, each a placeholder.
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"exchange-{exchange.pk}@liaison", f"exchange-{cast.exchange.pk}@liaison"}
    event = events[f"exchange-{exchange.pk}@liaison"]
    assert str(event["SUMMARY"]) == "Liaison: meeting"
    assert event["UID"] == f"exchange-{exchange.pk}@liaison"
    assert event.decoded("DTSTART") == exchange.occurred_at
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=2, minutes=30)
    assert "DTSTAMP" in event
    # Strictly nothing else: no title, partner, place, notes or description anywhere in the document.
    for secret in ("Reception at the embassy", "Open partner", "OPE", "DESCRIPTION", "LOCATION", "Quarterly"):
        assert secret not in raw, secret
    for each in events.values():
        assert str(each["SUMMARY"]) == "Liaison: meeting"
        assert set(each) <= {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "CLASS", "TRANSP"}


def test_the_placeholder_follows_the_language_chosen_when_issuing(cast: Cast, client: Client) -> None:
    exchange_at(cast, soon(), time_zone="UTC")
    _feed, token = calendar_feed_issue(user=cast.alice, shows_titles=False, language="fr")
    assert str(fetch(client, token).walk("VEVENT")[0]["SUMMARY"]) == "Liaison : réunion"


def test_titles_only_when_opted_in_and_only_what_the_owner_may_read_now(cast: Cast, client: Client) -> None:
    exchange_at(cast, soon(), title="Terrorism desk talk", compartments=("terrorism",), time_zone="UTC")
    exchange_at(cast, soon(3), title="Open talk", time_zone="UTC")
    _feed, token = calendar_feed_issue(user=cast.alice, shows_titles=True, language="en")
    summaries = {str(e["SUMMARY"]) for e in fetch(client, token).walk("VEVENT")}
    assert summaries == {"Terrorism desk talk — OPE", "Open talk — OPE", "Quarterly meeting — OPE"}
    cast.alice.compartments.remove(compartment("terrorism"))  # she loses the compartment: the next fetch forgets it
    summaries = {str(e["SUMMARY"]) for e in fetch(client, token).walk("VEVENT")}
    assert summaries == {"Open talk — OPE", "Quarterly meeting — OPE"}


def test_uids_are_stable_between_fetches(cast: Cast, client: Client) -> None:
    exchange_at(cast, soon(), time_zone="UTC")
    _feed, token = calendar_feed_issue(user=cast.alice, shows_titles=False, language="en")
    first = [str(e["UID"]) for e in fetch(client, token).walk("VEVENT")]
    assert first == [str(e["UID"]) for e in fetch(client, token).walk("VEVENT")]


def test_only_the_hash_is_stored_and_a_new_address_ends_the_old_one(cast: Cast, client: Client) -> None:
    feed, old = calendar_feed_issue(user=cast.alice, shows_titles=False, language="en")
    assert feed.token_hash and old not in feed.token_hash
    assert not CalendarFeed.objects.filter(token_hash=old).exists()
    _feed, new = calendar_feed_issue(user=cast.alice, shows_titles=False, language="en")
    assert client.get(f"/agenda/feed/{old}.ics").status_code == 404
    assert client.get(f"/agenda/feed/{new}.ics").status_code == 200
    calendar_feed_revoke(user=cast.alice)
    assert client.get(f"/agenda/feed/{new}.ics").status_code == 404


def test_an_inactive_owner_s_feed_answers_404(cast: Cast, client: Client) -> None:
    _feed, token = calendar_feed_issue(user=cast.alice, shows_titles=False, language="en")
    cast.alice.is_active = False
    cast.alice.save(update_fields=["is_active"])
    assert client.get(f"/agenda/feed/{token}.ics").status_code == 404


def test_issuing_revoking_and_each_fetch_are_audited(cast: Cast, client: Client) -> None:
    _feed, token = calendar_feed_issue(user=cast.alice, shows_titles=False, language="en")
    fetch(client, token)
    calendar_feed_configure(user=cast.alice, shows_titles=True, language="en")
    calendar_feed_revoke(user=cast.alice)
    events = list(AuditEntry.objects.filter(actor_id=str(cast.alice.pk)).values_list("event", flat=True))
    for event in (
        AuditEvent.CALENDAR_FEED_ISSUED,
        AuditEvent.CALENDAR_FEED_FETCHED,
        AuditEvent.CALENDAR_FEED_CHANGED,
        AuditEvent.CALENDAR_FEED_REVOKED,
    ):
        assert event.value in events
    assert token not in str(list(AuditEntry.objects.values_list("extra", flat=True)))


def test_the_settings_page_shows_the_address_once(cast: Cast, client: Client) -> None:
    login_as(client, cast.bob)
    body = client.post("/agenda/feed/", {"action": "issue"}).content.decode()
    assert "/agenda/feed/" in body and ".ics" in body
    found = re.search(r"/agenda/feed/([A-Za-z0-9_-]{16,})\.ics", body)
    assert found is not None
    token = found[1]
    assert client.get(f"/agenda/feed/{token}.ics").status_code == 200
    assert f"{token}.ics" not in client.get("/agenda/feed/").content.decode()
    response = client.post("/agenda/feed/", {"action": "revoke"})
    assert response.status_code == 302
    assert client.get(f"/agenda/feed/{token}.ics").status_code == 404
    body = client.post("/agenda/feed/", {"action": "bogus"}).content.decode()
    assert "Choose an action" in body
