"""The reciprocity ledger: its figures recomputed independently from the records on the demo office, counted only
over what the reader may read, its period and sort order refused clearly when wrong, a fixed number of queries
whatever the number of partners, and its pages and API through the role gates."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import User
from liaison.demo.office import load_demo
from liaison.exchanges.models import Exchange, InformationItem
from liaison.exchanges.services import ItemInput, exchange_create, item_create
from liaison.partners.models import Partner
from liaison.policy.access import visible_to
from liaison.policy.markings import Marking
from liaison.releases.ledger import ledger_office, ledger_partner
from liaison.releases.ledger_period import LedgerInputError, Period, period_parse, sort_parse
from liaison.releases.models import ConsentRequest, Release
from liaison.testing.cast import Cast, make_partner
from liaison.testing.matrix import login_as

FIELDS = (
    "received",
    "received_ab",
    "received_12",
    "requests_answered",
    "provided",
    "released",
    "released_items",
    "recalled",
    "recalled_items",
    "exchanges",
    "spontaneous_exchanges",
)


def _month(moment: datetime) -> date:
    local = timezone.localtime(moment)
    return date(local.year, local.month, 1)


def recompute(user: User, period: Period) -> dict[str, Counter[str]]:
    """The ledger's figures per partner id, counted in Python record by record from what `user` may read."""
    readable = {
        model: {pk for pk in visible_to(model.objects.all(), user).values_list("pk", flat=True)}
        for model in (Partner, Exchange, InformationItem, Release, ConsentRequest)
    }
    in_period = period.first.__le__
    expected: dict[str, Counter[str]] = defaultdict(Counter)
    gave_in: set[Any] = set()
    received_from: set[tuple[Any, Any]] = set()
    items = InformationItem.objects.select_related("exchange").prefetch_related("exchange__partners")
    for item in items:
        month = _month(item.exchange.occurred_at)
        if item.pk not in readable[InformationItem] or not (in_period(month) and month <= period.last):
            continue
        from_partner = item.direction == "received" and item.originator_kind == "partner"
        if from_partner and item.originator_partner_id in readable[Partner]:
            counts = expected[str(item.originator_partner_id)]
            counts["received"] += 1
            counts["received_ab"] += item.source_reliability in "AB"
            counts["received_12"] += item.information_credibility in "12"
            received_from.add((item.exchange_id, item.originator_partner_id))
        if item.direction == "provided":
            partners = [p.pk for p in item.exchange.partners.all() if p.pk in readable[Partner]]
            for partner_id in partners:
                expected[str(partner_id)]["provided"] += 1
            if partners:
                gave_in.add(item.exchange_id)
    for exchange in Exchange.objects.prefetch_related("partners"):
        month = _month(exchange.occurred_at)
        if exchange.pk not in readable[Exchange] or not (in_period(month) and month <= period.last):
            continue
        for partner in exchange.partners.all():
            if partner.pk in readable[Partner]:
                expected[str(partner.pk)]["exchanges"] += 1
                spontaneous = (exchange.pk, partner.pk) in received_from and exchange.pk not in gave_in
                expected[str(partner.pk)]["spontaneous_exchanges"] += spontaneous
    for release in Release.objects.prefetch_related("item_links"):
        if release.pk not in readable[Release] or release.status not in ("released", "recalled"):
            continue
        if release.partner_id not in readable[Partner] or release.decided_at is None:
            continue
        month = _month(release.decided_at)
        if not (in_period(month) and month <= period.last):
            continue
        carried = sum(link.item_id in readable[InformationItem] for link in release.item_links.all())
        carried += release.tearline_id is not None
        counts = expected[str(release.partner_id)]
        counts[release.status] += 1
        counts[f"{release.status}_items"] += carried
    for request in ConsentRequest.objects.all():
        if request.pk not in readable[ConsentRequest] or request.status != "answered" or not request.closed_at:
            continue
        month = _month(request.closed_at)
        if request.originator_partner_id in readable[Partner] and in_period(month) and month <= period.last:
            expected[str(request.originator_partner_id)]["requests_answered"] += 1
    return expected


def figures_of(user: User, period: Period) -> dict[str, Counter[str]]:
    ledger = ledger_office(user=user, period=period)
    found: dict[str, Counter[str]] = {}
    for row in ledger.rows:
        counts = Counter({name: getattr(row.totals, name) for name in FIELDS})
        monthly = Counter[str]()
        for figures in row.by_month.values():
            monthly.update({name: getattr(figures, name) for name in FIELDS})
        assert +monthly == +counts, row.partner  # the months add up to the totals
        found[str(row.partner.pk)] = +counts
    return found


def test_the_ledger_matches_the_records_of_the_demo_office(db) -> None:
    load_demo(seed=2026)
    period = period_parse(None, None)
    head = User.objects.get(username="head.office")
    mena = User.objects.get(username="officer.mena")
    for user in (head, mena, User.objects.get(username="officer.junior"), User.objects.get(username="analyst.ct")):
        expected = {pk: +counts for pk, counts in recompute(user, period).items() if +counts}
        found = {pk: counts for pk, counts in figures_of(user, period).items() if counts}
        assert found == expected, user.username
    head_total = sum(c["received"] + c["provided"] for c in figures_of(head, period).values())
    mena_total = sum(c["received"] + c["provided"] for c in figures_of(mena, period).values())
    assert head_total > mena_total > 0
    # What the demo has is really counted: items both ways and an evaluation of what came in.
    ledger = ledger_office(user=head, period=period)
    assert ledger.totals.received and ledger.totals.provided and ledger.totals.exchanges
    assert ledger.totals.share_ab is not None and 0 < ledger.totals.share_ab < 100


# ---------------------------------------------------------------- on the cast


def _received(cast: Cast, partner: Partner, *, reliability: str, credibility: str, compartments=()) -> None:
    exchange = exchange_create(
        by=cast.carol,
        kind="call",
        title="Call",
        occurred_at=datetime(2026, 10, 5, 10, 0),
        time_zone="Europe/Paris",
        partners=[partner],
        marking=Marking(rank=3 if compartments else 1, compartments=frozenset(compartments)),
    )
    item_create(
        by=cast.carol,
        exchange=exchange,
        data=ItemInput(
            direction="received",
            originator_kind="partner",
            originator_partner=partner,
            title="Something",
            text="Something they told us.",
            source_reliability=reliability,
            information_credibility=credibility,
            marking=Marking(rank=3 if compartments else 1, compartments=frozenset(compartments)),
        ),
    )


AUTUMN = Period(date(2026, 1, 1), date(2026, 12, 1))


def test_a_reader_without_the_compartment_sees_smaller_figures(cast: Cast) -> None:
    _received(cast, cast.open_partner, reliability="A", credibility="1")
    _received(cast, cast.open_partner, reliability="C", credibility="3", compartments=("terrorism",))
    carol = ledger_office(user=cast.carol, period=AUTUMN)
    bob = ledger_office(user=cast.bob, period=AUTUMN)
    carol_row = next(row for row in carol.rows if row.partner == cast.open_partner)
    bob_row = next(row for row in bob.rows if row.partner == cast.open_partner)
    # The cast's own item is received too (B2); carol reads the SECRET terrorism one, bob does not.
    assert bob_row.totals.received < carol_row.totals.received
    assert carol_row.totals.share_ab is not None and bob_row.totals.share_ab == 100
    # Partners bob may not see have no row at all; the banner says what the figures were counted from.
    assert {row.partner for row in bob.rows} == {cast.open_partner}
    assert cast.prolif_partner in {row.partner for row in carol.rows}
    assert carol.marking.classification is not None and carol.marking.classification.rank == 3
    assert [c.code for c in carol.marking.all()] == ["proliferation", "terrorism"]
    assert bob.marking.classification is not None and bob.marking.classification.rank == 1


def test_the_partner_ledger_counts_by_theme_and_by_month(cast: Cast) -> None:
    _received(cast, cast.open_partner, reliability="A", credibility="1", compartments=("terrorism",))
    ledger = ledger_partner(user=cast.carol, partner=cast.open_partner, period=AUTUMN)
    themes = {row.code: (row.received, row.given) for row in ledger.themes}
    assert themes == {"terrorism": (1, 0), "": (1, 0)}
    assert ledger.series("received")[9:11] == [1, 1]  # October (the call), November (the cast's meeting)
    assert sum(ledger.series("given")) == 0


@pytest.mark.parametrize(
    ("raw_from", "raw_to", "words"),
    [
        ("2026-13", None, "YYYY-MM"),
        ("26-01", None, "YYYY-MM"),
        ("2026-1", None, "YYYY-MM"),
        ("\uff11\uff19\uff19\uff10-01", None, "YYYY-MM"),  # full-width digits
        ("2026-05", "2026-04", "before"),
        ("2020-01", "2026-01", "more than 60 months"),
        (None, "0000-01", "between 1900-01"),
    ],
)
def test_a_bad_period_is_refused_with_what_to_give(raw_from, raw_to, words) -> None:
    with pytest.raises(LedgerInputError) as refused:
        period_parse(raw_from, raw_to, today=date(2026, 11, 20))
    assert words in refused.value.message


def test_the_default_period_is_the_last_twelve_months() -> None:
    period = period_parse(None, None, today=date(2026, 2, 20))
    assert (period.first, period.last, len(period.months)) == (date(2025, 3, 1), date(2026, 2, 1), 12)
    assert period_parse("2026-01", "2026-01").months == [date(2026, 1, 1)]


def test_sorting_by_any_column_and_a_bad_column_refused(cast: Cast) -> None:
    for _n in range(3):
        _received(cast, cast.prolif_partner, reliability="F", credibility="6")
    names = [row.partner for row in ledger_office(user=cast.carol, period=AUTUMN, sort="-received").rows]
    assert names[0] == cast.prolif_partner
    names = [row.partner for row in ledger_office(user=cast.carol, period=AUTUMN, sort="received").rows]
    assert names[-1] == cast.prolif_partner
    # A share of nothing (the secret partner gave nothing) comes last in both directions.
    for sort in ("share_ab", "-share_ab"):
        assert ledger_office(user=cast.carol, period=AUTUMN, sort=sort).rows[-1].partner == cast.secret_partner
    assert [row.partner.name for row in ledger_office(user=cast.carol, period=AUTUMN, sort="partner").rows] == [
        "Open partner",
        "Prolif partner",
        "Secret partner",
    ]
    with pytest.raises(LedgerInputError, match="Unknown column"):
        sort_parse("name; drop table")


def _queries(user: User, **options: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        ledger = ledger_office(user=user, period=AUTUMN, **options)
        [row.totals.imbalance for row in ledger.rows]
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_partners(cast: Cast) -> None:
    _queries(cast.carol)  # warms the caches of content types and of the national scheme
    before = _queries(cast.carol)
    # The partners, five grouped counts (received, provided, exchanges, releases, answered requests), and the
    # banner: the national scheme, its level at the highest rank counted, and the compartments counted.
    assert before == 9
    for number in range(6):
        partner = make_partner(f"Partner {number}", cast.carol, "dr")
        _received(cast, partner, reliability="B", credibility="2")
    assert _queries(cast.carol) == before
    with CaptureQueriesContext(connection) as queries:
        ledger_partner(user=cast.carol, partner=cast.open_partner, period=AUTUMN)
    assert len(queries) == before + 4  # the theme breakdown: three grouped counts and the theme names


# ---------------------------------------------------------------- pages and API


def _get(client: Client, user: User, name: str, *args: Any, **query: str) -> Any:
    login_as(client, user)
    return client.get(reverse(name, args=args), query)


def test_the_office_page_shows_the_table_and_charts(cast: Cast, client: Client) -> None:
    _received(cast, cast.open_partner, reliability="A", credibility="1")
    response = _get(client, cast.carol, "releases:ledger", **{"from": "2026-01", "to": "2026-12"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Open partner" in html and "Secret partner" in html
    assert html.count('class="chart-sparkline"') >= 3
    assert "chart-diverging-bars" in html
    assert "banner-rank-3" in html  # the highest classification counted (the secret partner's file)


def test_the_office_page_refuses_a_bad_period_on_the_page(cast: Cast, client: Client) -> None:
    response = _get(client, cast.carol, "releases:ledger", **{"from": "2026-13"})
    assert response.status_code == 400
    assert "YYYY-MM" in response.content.decode()
    response = _get(client, cast.carol, "releases:ledger", sort="nope")
    assert response.status_code == 400
    assert "Unknown column" in response.content.decode()


def test_the_partner_page_and_an_unseen_partner(cast: Cast, client: Client) -> None:
    response = _get(client, cast.carol, "releases:ledger_partner", cast.open_partner.pk)
    assert response.status_code == 200
    assert "chart-paired-bars" in response.content.decode()
    assert _get(client, cast.bob, "releases:ledger_partner", cast.prolif_partner.pk).status_code == 404


def test_the_api_answers_the_same_figures(cast: Cast, client: Client) -> None:
    _received(cast, cast.open_partner, reliability="D", credibility="1")
    response = _get(client, cast.carol, "api:ledger", **{"from": "2026-01", "to": "2026-12", "sort": "partner"})
    assert response.status_code == 200
    body = response.json()
    assert (body["period"]["from"], body["period"]["to"], len(body["period"]["months"])) == ("2026-01", "2026-12", 12)
    first = body["results"][0]
    assert first["partner"]["name"] == "Open partner"
    assert first["received"] == 2 and first["share_ab"] == 50 and len(first["months"]) == 12
    one = _get(client, cast.carol, "api:ledger-partner", cast.open_partner.pk, **{"from": "2026-01"}).json()
    assert one["totals"]["received"] == 2
    assert {theme["code"] for theme in one["themes"]} == {""}
    bad = _get(client, cast.carol, "api:ledger", **{"to": "2026-1"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid" and "YYYY-MM" in bad.json()["detail"]
    paged = _get(client, cast.carol, "api:ledger", page_size="1", page="2", sort="partner").json()
    assert paged["count"] == 3 and paged["next"] and paged["previous"] is not None
    assert [row["partner"]["name"] for row in paged["results"]] == ["Prolif partner"]
    early = _get(client, cast.carol, "api:ledger", **{"from": "1800-01"})
    assert early.status_code == 422 and early.json()["detail"].startswith("from: Give a month")
    reversed_period = _get(
        client, cast.carol, "api:ledger-partner", cast.open_partner.pk, **{"from": "2026-05", "to": "2026-04"}
    )
    assert reversed_period.status_code == 422 and "before the last" in reversed_period.json()["detail"]
    assert _get(client, cast.carol, "api:ledger", sort="nope").status_code == 400
    assert _get(client, cast.carol, "api:ledger", colour="red").status_code == 400
    assert _get(client, cast.dave, "api:ledger").status_code == 404
    assert _get(client, cast.bob, "api:ledger-partner", cast.prolif_partner.pk).status_code == 404


def test_releases_count_as_given_recalled_ones_apart_and_answered_requests_as_received(cast: Cast) -> None:
    from liaison.releases import services
    from liaison.testing.release_cast import release_cast

    releases = release_cast(cast)
    services.consent_record(
        by=cast.alice,
        originator_kind="partner",
        originator_partner=cast.open_partner,
        items=[cast.item],
        partner=cast.secret_partner,
        granted=True,
        reference="MSG-2026-043",
        request=releases.consent_request,
    )
    period = period_parse(None, None)
    totals = ledger_partner(user=cast.heidi, partner=cast.open_partner, period=period).totals
    assert (totals.released, totals.released_items, totals.recalled, totals.recalled_items) == (1, 1, 1, 1)
    assert totals.given == totals.provided + 1
    assert totals.requests_answered == 1
    for user in (cast.alice, cast.bob, cast.carol, cast.heidi):
        expected = {pk: +counts for pk, counts in recompute(user, period).items() if +counts}
        assert {pk: c for pk, c in figures_of(user, period).items() if c} == expected, user.username


def test_the_navigation_and_the_partner_file_lead_to_the_ledger_for_the_office_only(cast: Cast, client: Client) -> None:
    ledger_url = reverse("releases:ledger")
    partner_ledger_url = reverse("releases:ledger_partner", args=[cast.open_partner.pk])
    for user, shown in ((cast.heidi, True), (cast.bob, True), (cast.dave, False), (cast.frank, False)):
        html = _get(client, user, "home:home").content.decode()
        assert (f'href="{ledger_url}"' in html) is shown, user.username
    html = _get(client, cast.alice, "partners:detail", cast.open_partner.pk).content.decode()
    assert f'href="{partner_ledger_url}"' in html
