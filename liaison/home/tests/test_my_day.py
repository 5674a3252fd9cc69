"""My day: each role's sections, each entry one click from its action, nothing the read rule hides, a constant
number of queries, and days counted in the user's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.followup.models import FollowUpKind, FollowUpStatus
from liaison.home.my_day import my_day
from liaison.home.tests.builders import exchange_at
from liaison.testing.cast import Cast, make_followup, make_report
from liaison.testing.matrix import login_as


def _keys(section: object) -> list[str]:
    return [entry.title for entry in section.entries]  # type: ignore[attr-defined]


def test_the_home_page_is_my_day_at_the_root(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    page = client.get("/")
    assert page.status_code == 200
    assert reverse("home:home") == "/"
    assert page.templates[0].name == "home/my_day.html"


def test_each_role_gets_the_sections_of_its_work(cast: Cast) -> None:
    sections = {name: [s.key for s in my_day(user=cast.member(name)).sections] for name in ("alice", "carol")}
    assert {"meetings", "no_report", "drafts", "returned", "submitted", "unacknowledged", "rfis"} <= set(
        sections["alice"]
    )
    assert sections["carol"][:2] == ["to_review", "team_overdue"]
    assert [s.key for s in my_day(user=cast.heidi).sections] == ["releases"]
    assert [s.key for s in my_day(user=cast.dave).sections] == ["to_acknowledge", "questions"]
    assert my_day(user=cast.erin).sections == []


def test_what_waits_for_each_role_is_listed(cast: Cast, client: Client) -> None:
    login_as(client, cast.carol)
    assert cast.submitted_report in [e.obj for e in client.get("/").context["day"].section("to_review").entries]
    login_as(client, cast.dave)
    assert [e.obj for e in client.get("/").context["day"].section("to_acknowledge").entries] == [cast.sent_report]
    login_as(client, cast.alice)
    day = client.get("/").context["day"]
    assert [e.obj for e in day.section("drafts").entries] == [cast.draft_report]
    assert [e.obj for e in day.section("submitted").entries] == [cast.submitted_report]
    unacknowledged = day.section("unacknowledged").entries
    assert [e.obj for e in unacknowledged] == [cast.sent_report]
    assert unacknowledged[0].url == reverse("reports:detail", args=[cast.sent_report.pk])


def test_an_exchange_without_a_report_offers_to_write_it_in_one_click(cast: Cast, client: Client) -> None:
    old = exchange_at(cast.alice, cast.open_partner, timezone.now() - timedelta(days=5), title="Courier debrief")
    recent = exchange_at(cast.alice, cast.open_partner, timezone.now() - timedelta(days=1), title="Fresh")
    login_as(client, cast.alice)
    entries = client.get("/").context["day"].section("no_report").entries
    assert [e.obj for e in entries] == [old]  # the cast's own exchange has reports; the recent one has time
    assert entries[0].post and recent not in [e.obj for e in entries]
    html = client.get("/").content.decode()
    assert f'action="{reverse("reports:create", args=[old.pk])}"' in html
    response = client.post(entries[0].url)
    assert response.status_code == 302 and "/edit/" in response["Location"]
    assert not client.get("/").context["day"].section("no_report").entries


def test_a_report_the_officer_may_not_read_does_not_hide_the_missing_report(cast: Cast, client: Client) -> None:
    """Carol's draft on alice's exchange is hers alone: alice is still asked to report (nothing leaks)."""
    old = exchange_at(cast.alice, cast.open_partner, timezone.now() - timedelta(days=5))
    make_report(cast.carol, old, cast.item)
    assert [e.obj for e in my_day(user=cast.alice).section("no_report").entries] == [old]  # type: ignore[union-attr]


def test_meetings_are_today_and_tomorrow_in_the_user_time_zone(cast: Cast) -> None:
    now = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)  # 21:00 on the 29th in Paris, 09:00 on the 30th in Auckland
    exchange_at(cast.alice, cast.open_partner, datetime(2026, 11, 29, 9, 0, tzinfo=UTC), title="Early")
    exchange_at(cast.alice, cast.open_partner, datetime(2026, 11, 30, 22, 30, tzinfo=UTC), title="Late")
    exchange_at(cast.alice, cast.open_partner, datetime(2026, 12, 1, 0, 30, tzinfo=UTC), title="Night")
    cast.alice.time_zone = "Europe/Paris"
    # Paris: the 29th at 10:00 and the 30th at 23:30 are today and tomorrow; 1 December 01:30 is not.
    assert _keys(my_day(user=cast.alice, now=now).section("meetings")) == ["Early", "Late"]
    cast.alice.time_zone = "Pacific/Auckland"
    # Auckland: today is the 30th; "Early" was yesterday, the other two fall on 1 December, tomorrow.
    assert _keys(my_day(user=cast.alice, now=now).section("meetings")) == ["Late", "Night"]


def test_a_meeting_on_the_day_clocks_change_is_counted_once(cast: Cast) -> None:
    """Paris leaves summer time on 25 October 2026: today and tomorrow still end at local midnight."""
    cast.alice.time_zone = "Europe/Paris"
    now = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    exchange_at(cast.alice, cast.open_partner, datetime(2026, 10, 25, 22, 30, tzinfo=UTC), title="Sunday 23:30")
    exchange_at(cast.alice, cast.open_partner, datetime(2026, 10, 25, 23, 30, tzinfo=UTC), title="Monday 00:30")
    assert _keys(my_day(user=cast.alice, now=now).section("meetings")) == ["Sunday 23:30"]


def test_followups_overdue_due_soon_and_requests_to_acknowledge(cast: Cast) -> None:
    now = timezone.now()
    overdue = make_followup(cast.alice, now - timedelta(hours=2), title="Overdue")
    soon = make_followup(cast.alice, now + timedelta(hours=20), title="Soon")
    make_followup(cast.alice, now + timedelta(days=6), title="Next week")
    rfi = make_followup(cast.alice, now + timedelta(hours=8), kind=FollowUpKind.RFI_IN, title="Partner asks")
    acked = make_followup(
        cast.alice,
        now + timedelta(days=3),
        kind=FollowUpKind.RFI_IN,
        title="Acknowledged",
        status=FollowUpStatus.ACKNOWLEDGED,
    )
    make_followup(cast.bob, now - timedelta(hours=1), title="Bob's")
    day = my_day(user=cast.alice, now=now)
    due = day.section("followups")
    assert [e.obj for e in due.entries] == [overdue, soon]  # type: ignore[union-attr]
    assert [e.is_late for e in due.entries] == [True, False]  # type: ignore[union-attr]
    assert [e.obj for e in day.section("rfis").entries] == [rfi]  # type: ignore[union-attr]
    assert acked not in [e.obj for e in due.entries]  # type: ignore[union-attr]


def test_desk_head_sees_the_team_overdue_followups(cast: Cast) -> None:
    now = timezone.now()
    late = make_followup(cast.alice, now - timedelta(days=1), title="Late")
    make_followup(cast.dave, now - timedelta(days=1), title="Another service's")
    make_followup(cast.bob, now + timedelta(days=1), title="Not late")
    make_followup(cast.carol, now - timedelta(days=1), title="Her own")
    assert [e.obj for e in my_day(user=cast.carol).section("team_overdue").entries] == [late]  # type: ignore[union-attr]


def test_recipients_see_the_questions_their_service_sent(cast: Cast) -> None:
    now = timezone.now()
    asked = make_followup(
        cast.alice, now + timedelta(days=2), kind=FollowUpKind.RFI_INTERNAL, requested_by="dct", title="Which route?"
    )
    make_followup(
        cast.alice, now + timedelta(days=2), kind=FollowUpKind.RFI_INTERNAL, requested_by="dcp", title="Other"
    )
    assert [e.obj for e in my_day(user=cast.dave).section("questions").entries] == [asked]  # type: ignore[union-attr]
    assert my_day(user=cast.erin).sections == []


def test_what_a_user_may_not_read_is_never_listed(cast: Cast) -> None:
    now = timezone.now()
    hidden = exchange_at(cast.carol, cast.prolif_partner, now + timedelta(hours=2), ("proliferation",), "Centrifuges")
    hidden.participants.add(cast.bob)  # bob is a participant but lacks the compartment
    secret = make_followup(cast.bob, now - timedelta(hours=1), compartments=("proliferation",), title="Secret task")
    day = my_day(user=cast.bob)
    shown = [entry.obj for section in day.sections for entry in section.entries]
    assert hidden not in shown and secret not in shown
    assert day.marked == shown


def test_roles_without_records_get_their_tools(cast: Cast, client: Client) -> None:
    login_as(client, cast.frank)
    html = client.get("/").content.decode()
    assert reverse("accounts:user_list") in html
    login_as(client, cast.erin)
    html = client.get("/").content.decode()
    assert reverse("audit:log") in html and reverse("accounts:user_list") not in html


def _officer_queries(client: Client, cast: Cast) -> int:
    login_as(client, cast.alice)
    client.get("/")  # the first request after login also saves the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_my_day_costs_the_same_queries_for_3_and_10_rows(cast: Cast, client: Client) -> None:
    def add(count: int) -> None:
        now = timezone.now()
        for n in range(count):
            exchange_at(cast.alice, cast.open_partner, now + timedelta(hours=1 + n), ("terrorism",), f"Soon {n}")
            old = exchange_at(cast.alice, cast.open_partner, now - timedelta(days=10 + n), title=f"Old {n}")
            if n % 2:
                make_report(cast.alice, old, cast.item)
            make_followup(cast.alice, now - timedelta(hours=n + 1), title=f"Task {n}", compartments=("terrorism",))
            make_followup(cast.alice, now + timedelta(hours=n + 1), kind=FollowUpKind.RFI_IN, title=f"RFI {n}")

    add(3)
    three = _officer_queries(client, cast)
    add(7)
    ten = _officer_queries(client, cast)
    assert three == ten
    day = my_day(user=cast.alice)
    assert day.section("meetings").has_more  # type: ignore[union-attr]
    assert len(day.section("drafts").entries) > 3  # type: ignore[union-attr]
