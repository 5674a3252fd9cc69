"""The watchtower: desk heads only, figures counted over what the reader may read (a hidden record changes no
number), filters, CSV through the same filter, and a constant number of queries."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import RoleCode
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.followup.models import FollowUpKind, FollowUpStatus
from liaison.home.tests.builders import exchange_at
from liaison.home.watchtower import Scope, Watchtower, watchtower, weeks_parse
from liaison.testing.cast import Cast, make_followup, make_partner, make_user
from liaison.testing.matrix import login_as


def _tower(user: object, **scope: object) -> Watchtower:
    scope.setdefault("weeks", weeks_parse(None, None))
    return watchtower(user=user, scope=Scope(**scope))  # type: ignore[arg-type]


def _figures(tower: Watchtower) -> dict[str, object]:
    return {
        "weeks": [(w.exchanges, w.items, w.reports) for w in tower.weeks],
        "zones": [
            (z.zone.code, z.exchanges, z.items, z.reports, z.approved, z.partners, z.silent) for z in tower.zones
        ],
        "officers": [(o.alias, o.open, o.overdue, o.due_this_week) for o in tower.officers],
        "silent": [s.partner.pk for s in tower.silent],
        "rfi": (tower.rfi_acknowledgement.count, tower.rfi_answer.count, tower.rfi_open),
        "approval": tower.approval.count,
        "marking": (tower.marking.classification, [c.code for c in tower.marking.compartment_list]),
    }


def test_a_hidden_exchange_or_followup_changes_no_count_for_who_may_not_read_it(cast: Cast) -> None:
    """Ivan heads a desk with DR clearance and no compartment: carol's proliferation records stay out of his view."""
    ivan = make_user("ivan", (RoleCode.DESK_HEAD,), "bci", "dr")
    before = _figures(_tower(ivan))
    carol_before = _tower(cast.carol)
    hidden = exchange_at(cast.carol, cast.prolif_partner, timezone.now() - timedelta(days=3), ("proliferation",))
    make_followup(cast.alice, timezone.now() - timedelta(days=1), compartments=("proliferation",), exchange=hidden)
    make_followup(
        cast.carol,
        timezone.now() + timedelta(days=1),
        kind=FollowUpKind.RFI_IN,
        partner=cast.prolif_partner,
        compartments=("proliferation",),
    )
    assert _figures(_tower(ivan)) == before
    after = _tower(cast.carol)
    assert after.totals.exchanges == carol_before.totals.exchanges + 1
    assert after.rfi_open == carol_before.rfi_open + 1
    assert "proliferation" in [c.code for c in after.marking.compartment_list]


def test_activity_per_week_and_per_zone_counts_exchanges_items_and_reports(cast: Cast) -> None:
    tower = _tower(cast.carol, weeks=weeks_parse(date(2026, 10, 26), date(2026, 11, 8)))
    assert [(w.monday.isoformat(), w.exchanges, w.items, w.reports) for w in tower.weeks] == [
        ("2026-10-26", 0, 0, 0),
        ("2026-11-02", 1, 1, 2),  # the cast's exchange of 2 November; carol reads the submitted and sent reports
    ]
    europe = next(z for z in tower.zones if z.zone.code == "europe")
    assert (europe.exchanges, europe.items, europe.reports, europe.partners) == (1, 1, 2, 3)


def test_filters_narrow_every_figure(cast: Cast) -> None:
    period = weeks_parse(date(2026, 10, 26), date(2026, 11, 8))
    other = make_partner("Other partner", cast.carol, "dr")
    exchange_at(cast.carol, other, timezone.now().replace(year=2026, month=11, day=4), ("cyber",))
    everything = _tower(cast.carol, weeks=period)
    assert everything.totals.exchanges == 2
    assert _tower(cast.carol, weeks=period, partner=cast.open_partner).totals.exchanges == 1
    cyber = cast.exchange.compartments.model.objects.get(code="cyber")
    assert _tower(cast.carol, weeks=period, theme=cyber).totals.exchanges == 1
    africa = cast.open_partner.zone.__class__.objects.get(code="africa")
    narrowed = _tower(cast.carol, weeks=period, zone=africa)
    assert narrowed.totals.exchanges == 0 and [z.zone for z in narrowed.zones] == [africa]


def test_partners_gone_silent_follow_the_number_of_weeks(cast: Cast) -> None:
    quiet = make_partner("Quiet partner", cast.carol, "dr")
    exchange_at(cast.carol, quiet, timezone.now() - timedelta(weeks=10))
    exchange_at(cast.carol, cast.open_partner, timezone.now() - timedelta(weeks=1))
    eight = [row.partner for row in _tower(cast.carol, silent_weeks=8).silent]
    twelve = [row.partner for row in _tower(cast.carol, silent_weeks=12).silent]
    assert quiet in eight and quiet not in twelve
    assert cast.open_partner not in eight


def test_partner_request_response_times_against_their_deadlines(cast: Cast) -> None:
    now = timezone.now()
    asked = now - timedelta(days=4)
    make_followup(
        cast.alice,
        asked + timedelta(days=3),
        kind=FollowUpKind.RFI_IN,
        created_at=asked,
        acknowledged_at=asked + timedelta(hours=2),
        closed_at=asked + timedelta(days=2),
        status=FollowUpStatus.ANSWERED,
    )
    make_followup(
        cast.alice,
        asked + timedelta(hours=8),
        kind=FollowUpKind.RFI_IN,
        created_at=asked,
        acknowledged_at=asked + timedelta(hours=4),
        closed_at=asked + timedelta(days=1),
        status=FollowUpStatus.REFUSED,
    )
    make_followup(cast.alice, now - timedelta(hours=1), kind=FollowUpKind.RFI_IN, created_at=asked)
    make_followup(cast.alice, now - timedelta(hours=1), title="A task is no partner request")
    tower = _tower(cast.carol)
    assert tower.rfi_acknowledgement.count == 2 and tower.rfi_acknowledgement.average_hours == 3.0
    assert (tower.rfi_answer.count, tower.rfi_answer.on_time_share, tower.rfi_answer.late) == (2, 50, 1)
    assert tower.rfi_open == 1
    assert [(o.alias, o.open, o.overdue) for o in tower.officers] == [("ALICE", 2, 2)]


def test_report_approval_and_acknowledgement_delays(cast: Cast) -> None:
    from liaison.reports.services import report_acknowledge

    report_acknowledge(by=cast.dave, report=cast.sent_report)
    tower = _tower(cast.carol)
    assert tower.approval.count == 1 and tower.approval.average is not None
    assert (tower.acknowledgement.count, tower.acknowledgement.on_time_share) == (1, 100)


def test_the_page_refuses_a_bad_period_and_a_partner_the_reader_may_not_see(cast: Cast, client: Client) -> None:
    ivan = make_user("ivan", (RoleCode.DESK_HEAD,), "bci", "dr")
    login_as(client, ivan)
    url = reverse("home:watchtower")
    assert client.get(url, {"start": "2026-11-20", "end": "2026-01-01"}).status_code == 400
    assert client.get(url, {"start": "2020-01-01", "end": "2026-01-01"}).status_code == 400
    refused = client.get(url, {"partner": str(cast.prolif_partner.pk)})
    assert refused.status_code == 400 and "Prolif partner" not in refused.content.decode()
    assert client.get(url, {"partner": str(cast.open_partner.pk)}).status_code == 200


def test_the_page_shows_every_zone_and_its_charts(cast: Cast, client: Client) -> None:
    login_as(client, cast.carol)
    page = client.get(reverse("home:watchtower"))
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<svg") >= 2
    for zone in page.context["tower"].zones:
        assert str(zone.zone) in html
    assert "banner" in html  # the counted records are marked: the page carries their classification


def test_csv_export_uses_the_same_filter_and_is_audited(cast: Cast, client: Client) -> None:
    evil = make_partner("=HYPERLINK(1)", cast.carol, "dr")
    login_as(client, cast.carol)
    response = client.get(reverse("home:watchtower_csv", args=["silent"]), {"silent": "4"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Classification", "SECRET"]
    assert rows[1] == ["Partner", "Zone", "Last exchange"]
    names = [row[0] for row in rows[2:]]
    assert f"'{evil}" in names and str(cast.secret_partner) in names
    entry = AuditEntry.objects.filter(event=AuditEvent.OBJECT_EXPORTED, target_type="home.watchtower").get()
    assert entry.target_id == "silent"
    zones = client.get(reverse("home:watchtower_csv", args=["zones"]), {"zone": str(evil.zone.pk)})
    assert [row[0] for row in csv.reader(io.StringIO(zones.content.decode()))][2:] == [str(evil.zone)]


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home:watchtower")).status_code == 200
    return len(queries)


def test_the_watchtower_costs_the_same_queries_for_3_and_10_rows(cast: Cast, client: Client) -> None:
    def add(count: int) -> None:
        for n in range(count):
            partner = make_partner(f"Partner {n} of {count}", cast.carol, "dr")
            exchange_at(cast.alice, partner, timezone.now() - timedelta(days=3 + 7 * n), ("terrorism",))
            owner = make_user(f"officer{count}{n}", (RoleCode.LIAISON_OFFICER,), "bci", "dr")
            make_followup(owner, timezone.now() - timedelta(hours=n + 1), kind=FollowUpKind.RFI_IN, partner=partner)

    login_as(client, cast.carol)
    add(3)
    _queries(client)  # the first request after login also saves the session
    three = _queries(client)
    add(10)
    ten = _queries(client)
    assert three == ten
