"""The agenda pages: what each reader sees, on which day and hour of their own time zone, filtered and counted in a
fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from unittest.mock import patch

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from liaison.exchanges.models import Exchange
from liaison.exchanges.services import exchange_create
from liaison.partners.models import Partner
from liaison.policy.markings import Marking
from liaison.testing.cast import Cast
from liaison.testing.clock import run_clock_from
from liaison.testing.matrix import login_as


@pytest.fixture(autouse=True)
def late_november_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are written around the cast's exchange of 2 November 2026 and deadlines in early December: the
    clock runs from 29 November 2026, whatever today's date."""
    run_clock_from(monkeypatch, datetime(2026, 11, 29, 12, 0, tzinfo=UTC))


DASH = "\N{EN DASH}"


def exchange_at(
    cast: Cast,
    when: datetime,
    *,
    time_zone: str = "Europe/Paris",
    kind: str = "meeting",
    title: str = "Planning talk",
    partner: Partner | None = None,
    by: str = "alice",
    compartments: tuple[str, ...] = (),
) -> Exchange:
    return exchange_create(
        by=cast.member(by),
        kind=kind,
        title=title,
        occurred_at=when,
        time_zone=time_zone,
        partners=[partner or cast.open_partner],
        marking=Marking(rank=1, compartments=frozenset(compartments)),
    )


def page(client: Client, cast: Cast, who: str, url: str) -> str:
    login_as(client, cast.member(who))
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_week_shows_my_exchange_on_its_day_and_hour_in_my_time_zone(cast: Cast, client: Client) -> None:
    # The cast's exchange: 2 November 2026, 10:00 in Brussels (09:00 UTC).
    body = page(client, cast, "alice", "/agenda/week/2026-11-04/")
    assert "Quarterly meeting" in body
    assert f"10:00{DASH}11:30" in body
    cast.alice.time_zone = "America/New_York"
    cast.alice.save(update_fields=["time_zone"])
    body = page(client, cast, "alice", "/agenda/week/2026-11-02/")
    assert f"04:00{DASH}05:30" in body and f"10:00{DASH}11:30" not in body


def test_mine_is_the_default_and_all_shows_what_the_office_shares(cast: Cast, client: Client) -> None:
    assert "Quarterly meeting" not in page(client, cast, "bob", "/agenda/week/2026-11-02/")
    assert "Quarterly meeting" in page(client, cast, "bob", "/agenda/week/2026-11-02/?scope=all")


def test_what_the_read_rule_hides_is_never_shown(cast: Cast, client: Client) -> None:
    exchange_at(cast, datetime(2026, 11, 3, 15, 0), by="carol", title="Centrifuge talks", partner=cast.prolif_partner)
    assert "Centrifuge talks" in page(client, cast, "carol", "/agenda/week/2026-11-02/")
    for who in ("alice", "bob", "dave", "erin", "frank"):
        body = page(client, cast, who, "/agenda/week/2026-11-02/?scope=all")
        assert "Centrifuge talks" not in body, who
        assert "PRO" not in body  # not even the partner's acronym
    assert "Quarterly meeting" not in page(client, cast, "dave", "/agenda/week/2026-11-02/?scope=all")


def test_an_evening_reception_crossing_midnight_shows_on_both_days(cast: Cast, client: Client) -> None:
    exchange_at(cast, datetime(2026, 11, 3, 23, 0), kind="reception", title="Embassy reception")
    body = page(client, cast, "alice", "/agenda/day/2026-11-03/")
    assert "Embassy reception" in body and "agenda-reception agenda-evening" in body
    assert f"23:00{DASH}00:00" in body
    body = page(client, cast, "alice", "/agenda/day/2026-11-04/")
    assert "Embassy reception" in body and f"00:00{DASH}01:30" in body
    assert "Embassy reception" not in page(client, cast, "alice", "/agenda/day/2026-11-05/")


def test_the_week_the_clocks_go_back_puts_each_event_on_its_day_and_hour(cast: Cast, client: Client) -> None:
    # Europe/Paris goes back from 03:00 CEST to 02:00 CET on Sunday 25 October 2026: 02:30 happens twice.
    utc = "UTC"
    exchange_at(cast, datetime(2026, 10, 25, 0, 30), time_zone=utc, title="First half past two")
    exchange_at(cast, datetime(2026, 10, 25, 1, 30), time_zone=utc, title="Second half past two")
    exchange_at(cast, datetime(2026, 10, 24, 22, 30), time_zone=utc, title="Sunday half past midnight")
    exchange_at(cast, datetime(2026, 10, 25, 23, 30), time_zone=utc, title="Monday half past midnight")
    body = page(client, cast, "alice", "/agenda/day/2026-10-25/")
    assert f"02:30 <small>+0200</small>{DASH}03:00" in body  # 00:30 UTC, summer time, for 90 minutes
    assert f"02:30 <small>+0100</small>{DASH}04:00" in body  # 01:30 UTC, winter time
    assert "Sunday half past midnight" in body and "Monday half past midnight" not in body
    assert body.count('<th scope="row">02:00') == 2  # the hour that happens twice has two rows
    week = page(client, cast, "alice", "/agenda/week/2026-10-22/")
    sunday = week[week.index("2026-10-25") :]
    saturday = week[week.index("2026-10-24") : week.index("2026-10-25")]
    assert "Sunday half past midnight" in sunday and "Sunday half past midnight" not in saturday
    assert "Monday half past midnight" not in week
    assert "Monday half past midnight" in page(client, cast, "alice", "/agenda/week/2026-10-26/")


def test_filters_by_kind_and_refuses_unknown_values_with_a_message(cast: Cast, client: Client) -> None:
    exchange_at(cast, datetime(2026, 11, 4, 19, 0), kind="reception", title="Embassy reception")
    body = page(client, cast, "alice", "/agenda/week/2026-11-02/?kind=reception")
    assert "Embassy reception" in body and "Quarterly meeting" not in body
    body = page(client, cast, "alice", "/agenda/week/2026-11-02/?kind=bogus&scope=nobody")
    assert "Unknown kind bogus" in body and "Unknown scope" in body
    assert "Quarterly meeting" in body


def test_month_and_day_pages_and_impossible_dates(cast: Cast, client: Client) -> None:
    body = page(client, cast, "alice", "/agenda/month/2026-11/")
    assert "Quarterly meeting" in body and "November 2026" in body
    assert 'href="/agenda/month/2026-12/?scope=mine"' in body and 'href="/agenda/month/2026-10/?scope=mine"' in body
    login_as(client, cast.alice)
    for url in ("/agenda/day/2026-02-30/", "/agenda/month/2026-00/", "/agenda/week/9999-01-01/"):
        assert client.get(url).status_code == 404, url


def test_the_page_carries_the_banner_of_what_it_shows(cast: Cast, client: Client) -> None:
    exchange_at(cast, datetime(2026, 11, 5, 9, 0), compartments=("terrorism",), partner=cast.secret_partner)
    body = page(client, cast, "alice", "/agenda/week/2026-11-02/")
    assert body.count('class="banner banner-rank-3') == 2
    assert "TERRORISM" in body


@contextmanager
def freeze_before(moment: datetime) -> Iterator[None]:
    """Follow-ups refuse a due date in the past: the clock is set back so that November's deadlines are to come."""
    with patch("django.utils.timezone.now", return_value=moment):
        yield


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "view", ["/agenda/week/2026-11-02/?scope=all", "/agenda/month/2026-11/", "/agenda/day/2026-11-03/"]
)
def test_the_agenda_runs_the_same_queries_for_3_or_10_entries(cast: Cast, client: Client, view: str) -> None:
    login_as(client, cast.alice)
    for hour in range(8, 11):
        exchange_at(cast, datetime(2026, 11, 3, hour, 0))
    with freeze_before(datetime(2026, 11, 1, tzinfo=UTC)):
        followup_due(cast, datetime(2026, 11, 3, 18, 0))
        client.get(view)  # the first request of a session warms per-process caches
        few = _queries(client, view)
        for hour in range(11, 18):
            exchange_at(cast, datetime(2026, 11, 3, hour, 0), partner=cast.secret_partner, compartments=("terrorism",))
            followup_due(cast, datetime(2026, 11, 3, hour, 30), title=f"Deadline {hour}")
        assert _queries(client, view) == few


def followup_due(cast: Cast, when: datetime, title: str = "Send the minutes", owner: str = "alice") -> object:
    from zoneinfo import ZoneInfo

    from liaison.followup.services import followup_create

    return followup_create(
        by=cast.alice,
        kind="task",
        title=title,
        owner=cast.member(owner),
        due_at=when.replace(tzinfo=ZoneInfo("Europe/Paris")),
        exchange=cast.exchange,
    )


def test_open_follow_up_deadlines_show_at_their_hour_and_closed_ones_do_not(cast: Cast, client: Client) -> None:
    from liaison.followup.services import followup_complete

    followup_due(cast, datetime(2026, 12, 2, 17, 0))
    done = followup_due(cast, datetime(2026, 12, 3, 12, 0), title="Already done")
    followup_complete(by=cast.alice, followup=done)  # type: ignore[arg-type]
    body = page(client, cast, "alice", "/agenda/week/2026-12-02/")
    assert "Send the minutes" in body and "due 17:00" in body and "agenda-deadline" in body
    assert "Already done" not in body
    assert "Send the minutes" not in page(client, cast, "alice", "/agenda/week/2026-12-02/?kind=meeting")
    # The office view names the owner; others see it only where the read rule lets them.
    assert 'agenda-owner">ALICE<' in page(client, cast, "alice", "/agenda/week/2026-12-02/?scope=all&kind=deadline")
    assert "Send the minutes" not in page(client, cast, "dave", "/agenda/week/2026-12-02/?scope=all")
    assert "Send the minutes" not in page(client, cast, "bob", "/agenda/week/2026-12-02/?scope=all")


def test_the_feed_carries_my_deadlines_as_placeholders(cast: Cast, client: Client) -> None:
    import icalendar

    from liaison.agenda.services import calendar_feed_issue

    followup = followup_due(cast, datetime(2026, 12, 2, 17, 0))
    _feed, token = calendar_feed_issue(user=cast.alice, shows_titles=False, language="en")
    response = client.get(f"/agenda/feed/{token}.ics")
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    event = events[f"followup-{followup.pk}@liaison"]  # type: ignore[attr-defined]
    assert str(event["SUMMARY"]) == "Liaison: deadline"
    assert b"Send the minutes" not in response.content


def test_a_consent_answer_due_shows_all_day_for_those_who_may_read_the_request(cast: Cast, client: Client) -> None:
    from datetime import date

    from liaison.releases.models import ConsentRequest
    from liaison.testing.release_cast import release_cast

    request = release_cast(cast).consent_request
    ConsentRequest.objects.filter(pk=request.pk).update(answer_due=date(2026, 12, 4))
    body = page(client, cast, "alice", "/agenda/week/2026-12-02/")
    assert "Consent request: answer expected" in body and "all day" in body
    assert str(request.pk) in body  # the entry links to the request
    assert "Consent request: answer expected" not in page(client, cast, "bob", "/agenda/week/2026-12-02/")
    assert "Consent request: answer expected" in page(client, cast, "bob", "/agenda/week/2026-12-02/?scope=all")
    assert "Consent request: answer expected" not in page(client, cast, "dave", "/agenda/week/2026-12-02/?scope=all")
