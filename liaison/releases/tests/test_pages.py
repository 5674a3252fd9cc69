"""The release request pages: the list and its filters, building a release from an exchange, a report or a search,
the live check beside each item, and each action by the right and the wrong people."""

from __future__ import annotations

import importlib.util
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.audit.models import AuditEntry
from liaison.exchanges.services import ItemInput, item_create
from liaison.policy.markings import Marking
from liaison.releases import services
from liaison.releases.models import Recall, Release, ReleaseStatus
from liaison.testing.cast import Cast, make_agreement, make_exchange, make_partner
from liaison.testing.matrix import login_as

# Approval builds the signed package (liaison.releases.package, from the package part of the work).
needs_package = pytest.mark.skipif(
    importlib.util.find_spec("liaison.releases.package") is None, reason="approval needs liaison.releases.package"
)


def draft(cast: Cast, partner, *items) -> Release:
    return services.release_create(
        by=cast.alice,
        partner=partner,
        justification="They asked about courier routes.",
        content=services.Content(items=items or (cast.item,)),
    )


def submitted(cast: Cast) -> Release:
    make_agreement(cast.carol, cast.open_partner)
    return services.release_submit(by=cast.alice, release=draft(cast, cast.open_partner))


def private_item(cast: Cast):
    """An item carol recorded in her own exchange, shared with nobody: alice may not read it."""
    exchange = make_exchange(cast.carol, cast.open_partner)
    exchange.shared_with_services.clear()
    item = item_create(
        by=cast.carol,
        exchange=exchange,
        data=ItemInput(
            direction="received",
            originator_kind="partner",
            originator_partner=cast.open_partner,
            title="Carol's private note",
            text="Not for alice.",
            source_reliability="B",
            information_credibility="2",
            marking=Marking(rank=1),
        ),
    )
    item.shared_with_services.clear()
    return item


# ---------------------------------------------------------------- list


def test_the_list_filters_by_status_and_partner_and_shows_what_awaits_a_release_authority(
    cast: Cast, client: Client
) -> None:
    waiting = submitted(cast)
    other = draft(cast, cast.secret_partner)
    login_as(client, cast.heidi)
    everything = client.get("/releases/").context["releases"]
    assert {r.pk for r in everything} == {waiting.pk, other.pk}
    assert [r.pk for r in client.get("/releases/?status=submitted").context["releases"]] == [waiting.pk]
    by_partner = client.get(f"/releases/?partner={cast.secret_partner.pk}").context["releases"]
    assert [r.pk for r in by_partner] == [other.pk]
    assert [r.pk for r in client.get("/releases/?awaiting=1").context["releases"]] == [waiting.pk]
    assert client.get("/releases/?partner=not-an-id&status=nonsense&page=x").status_code == 200
    login_as(client, cast.alice)  # her own release never awaits her approval, and she is no release authority
    page = client.get("/releases/?awaiting=1")
    assert {r.pk for r in page.context["releases"]} == {waiting.pk, other.pk}
    assert "await my approval" not in page.content.decode()


def test_the_list_costs_the_same_number_of_queries_at_two_page_sizes(
    cast: Cast, client: Client, django_assert_num_queries
) -> None:
    make_agreement(cast.carol, cast.open_partner)
    login_as(client, cast.heidi)
    draft(cast, cast.open_partner)
    draft(cast, cast.secret_partner)
    client.get("/releases/")  # the first request of a session also writes the session
    with CaptureQueriesContext(connection) as two_rows:
        assert len(client.get("/releases/").context["releases"]) == 2
    for _ in range(9):
        services.release_submit(by=cast.alice, release=draft(cast, cast.open_partner))
    with django_assert_num_queries(len(two_rows)):
        assert len(client.get("/releases/").context["releases"]) == 11
    with django_assert_num_queries(len(two_rows)):
        assert len(client.get("/releases/?awaiting=1").context["releases"]) == 9


def test_a_partner_filter_on_a_partner_the_user_may_not_see_finds_nothing(cast: Cast, client: Client) -> None:
    hidden = make_partner("Hidden partner", cast.carol, "dr", shared=())
    login_as(client, cast.alice)
    assert list(client.get(f"/releases/?partner={hidden.pk}").context["releases"]) == []


# ---------------------------------------------------------------- building


def test_give_back_from_an_exchange_offers_its_items_and_the_partner(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    exchange_page = client.get(reverse("exchanges:detail", args=[cast.exchange.pk])).content.decode()
    url = f"/releases/new/?exchange={cast.exchange.pk}"
    assert url.replace("&", "&amp;") in exchange_page
    form = client.get(url).context["form"]
    assert [value for value, _label in form.fields["items"].widget.choices] == [str(cast.item.pk)]
    assert form.initial["partner"] == cast.open_partner
    created = client.post(
        url, {"partner": cast.open_partner.pk, "justification": "Their own item back.", "items": [cast.item.pk]}
    )
    release = Release.objects.get()
    assert created["Location"] == reverse("releases:detail", args=[release.pk])
    assert list(release.items.all()) == [cast.item] and release.created_by == cast.alice


def test_give_back_from_a_report_offers_its_quoted_items(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    page = client.get(reverse("reports:detail", args=[cast.sent_report.pk])).content.decode()
    assert f"/releases/new/?report={cast.sent_report.pk}" in page
    form = client.get(f"/releases/new/?report={cast.sent_report.pk}").context["form"]
    assert [value for value, _label in form.fields["items"].widget.choices] == [str(cast.item.pk)]


def test_the_search_offers_only_items_the_user_may_read(cast: Cast, client: Client) -> None:
    hidden = private_item(cast)
    login_as(client, cast.alice)
    offered = client.get("/releases/new/?q=o").context["form"].fields["items"].widget.choices
    assert str(cast.item.pk) in dict(offered) and str(hidden.pk) not in dict(offered)
    by_reference = client.get(f"/releases/new/?q={hidden.pk}").context["form"].fields["items"].widget.choices
    assert by_reference == []
    login_as(client, cast.carol)
    found = client.get(f"/releases/new/?q={hidden.pk}").context["form"].fields["items"].widget.choices
    assert str(hidden.pk) in dict(found)


def test_an_item_the_user_may_not_read_is_refused_as_if_it_did_not_exist(cast: Cast, client: Client) -> None:
    hidden = private_item(cast)
    login_as(client, cast.alice)
    data = {"partner": cast.open_partner.pk, "justification": "Why not."}
    unseen = client.post("/releases/new/", data | {"items": [hidden.pk]})
    missing = client.post("/releases/new/", data | {"items": [uuid.uuid4()]})
    assert unseen.status_code == missing.status_code == 200
    assert unseen.context["form"].errors == missing.context["form"].errors
    assert "No such item" in unseen.content.decode()
    assert "Carol's private note" not in unseen.content.decode()
    assert not Release.objects.exists()


def test_a_partner_the_user_may_not_see_and_an_empty_release_are_refused(cast: Cast, client: Client) -> None:
    login_as(client, cast.bob)  # bob may not see the secret partner
    refused = client.post(
        "/releases/new/", {"partner": cast.secret_partner.pk, "justification": "x", "items": [cast.item.pk]}
    )
    assert "No such partner" in refused.content.decode()
    empty = client.post("/releases/new/", {"partner": cast.open_partner.pk, "justification": "x"})
    assert "Choose at least one item, or one tearline." in empty.content.decode()
    assert not Release.objects.exists()


def test_a_release_of_a_tearline_is_built_from_the_users_tearlines(cast: Cast, client: Client) -> None:
    tearline = services.tearline_save(by=cast.alice, title="Couriers", text="Couriers.", sources=[cast.item])
    login_as(client, cast.alice)
    both = client.post(
        "/releases/new/",
        {"partner": cast.open_partner.pk, "justification": "x", "items": [cast.item.pk], "tearline": tearline.pk},
    )
    assert "not both" in both.content.decode()
    client.post("/releases/new/", {"partner": cast.open_partner.pk, "justification": "x", "tearline": tearline.pk})
    release = Release.objects.get()
    assert release.tearline == tearline and not release.items.exists()
    page = client.get(reverse("releases:detail", args=[release.pk]))
    assert page.context["tearline_visible"] and "Couriers" in page.content.decode()
    assert [row["item"] for row in page.context["source_rows"]] == [cast.item]


def test_only_the_requester_edits_a_draft(cast: Cast, client: Client) -> None:
    release = draft(cast, cast.open_partner)
    login_as(client, cast.carol)
    assert client.get(reverse("releases:edit", args=[release.pk])).status_code == 302
    login_as(client, cast.alice)
    url = reverse("releases:edit", args=[release.pk])
    assert client.get(url).context["form"].initial["items"] == [str(cast.item.pk)]
    client.post(url, {"justification": "Asked again at the meeting.", "items": [cast.item.pk]})
    release.refresh_from_db()
    assert release.justification == "Asked again at the meeting." and release.partner == cast.open_partner


# ---------------------------------------------------------------- detail and the live check


def test_the_detail_shows_each_failing_rule_beside_its_item_and_the_release_wide_ones(
    cast: Cast, client: Client
) -> None:
    make_agreement(cast.carol, cast.secret_partner)
    release = draft(cast, cast.secret_partner)  # the item came from open_partner: its consent is owed
    login_as(client, cast.alice)
    page = client.get(reverse("releases:detail", args=[release.pk]))
    (row,) = page.context["item_rows"]
    assert row["item"] == cast.item
    assert [f["code"] for f in row["failures"]] == ["consent.missing"]
    assert page.context["release_failures"] == []
    body = page.content.decode()
    assert "consent.missing" in body and "To unblock:" in body
    ask = reverse("releases:consent_request_open", args=[release.pk])
    assert f'href="{ask}?item={cast.item.pk}"' in body
    assert body.count('class="banner banner-rank-') == 2
    # Live: the agreement ends, the next display says so for the whole release.
    release.partner.agreements.update(valid_until=date(2021, 1, 1))
    page = client.get(reverse("releases:detail", args=[release.pk]))
    assert [f["code"] for f in page.context["release_failures"]] == ["agreement.not_in_force"]


def test_a_blocked_submission_shows_the_rules_and_leaves_the_draft(cast: Cast, client: Client) -> None:
    release = draft(cast, cast.open_partner)  # no agreement yet
    login_as(client, cast.alice)
    blocked = client.post(reverse("releases:submit", args=[release.pk]))
    assert blocked.status_code == 200
    assert [f["code"] for f in blocked.context["release_failures"]] == ["agreement.none"]
    release.refresh_from_db()
    assert release.status == ReleaseStatus.DRAFT
    make_agreement(cast.carol, cast.open_partner)
    assert client.post(reverse("releases:submit", args=[release.pk])).status_code == 302
    release.refresh_from_db()
    assert release.status == ReleaseStatus.SUBMITTED


def test_a_release_naming_an_item_the_reader_may_not_read_does_not_reveal_it(cast: Cast, client: Client) -> None:
    hidden = private_item(cast)
    release = services.release_create(
        by=cast.carol,
        partner=cast.secret_partner,
        justification="x",
        content=services.Content(items=(cast.item, hidden)),
    )
    login_as(client, cast.alice)  # same service as carol: she sees the release, not carol's private item
    page = client.get(reverse("releases:detail", args=[release.pk]))
    assert page.status_code == 200
    assert [row["item"] for row in page.context["item_rows"]] == [cast.item, None]
    assert "private note" not in page.content.decode()


def test_people_outside_the_audience_get_404(cast: Cast, client: Client) -> None:
    release = draft(cast, cast.open_partner)
    for name in ("dave", "erin", "grace", "frank"):
        login_as(client, cast.member(name))
        assert client.get(reverse("releases:detail", args=[release.pk])).status_code == 404
        assert client.get("/releases/").status_code == 404
    login_as(client, cast.alice)
    assert client.get(reverse("releases:detail", args=[uuid.uuid4()])).status_code == 404


# ---------------------------------------------------------------- decisions


def test_the_requester_cannot_approve_and_is_told_which_rule_refuses(cast: Cast, client: Client) -> None:
    release = submitted(cast)
    cast.alice.roles.add(*cast.heidi.roles.all())  # alice is a release authority too: four eyes still apply
    login_as(client, cast.alice)
    refused = client.post(reverse("releases:approve", args=[release.pk]))
    assert refused.status_code == 200
    assert [f["code"] for f in refused.context["release_failures"]] == ["four_eyes"]
    assert "four_eyes" in refused.content.decode()
    release.refresh_from_db()
    assert release.status == ReleaseStatus.SUBMITTED


def test_someone_without_the_role_cannot_approve(cast: Cast, client: Client) -> None:
    release = submitted(cast)
    login_as(client, cast.carol)  # desk head, not a release authority
    detail = client.get(reverse("releases:detail", args=[release.pk])).content.decode()
    assert reverse("releases:approve", args=[release.pk]) not in detail
    refused = client.post(reverse("releases:approve", args=[release.pk]))
    assert [f["code"] for f in refused.context["release_failures"]] == ["release_authority"]
    release.refresh_from_db()
    assert release.status == ReleaseStatus.SUBMITTED
    assert AuditEntry.objects.filter(event="release.blocked", target_id=str(release.pk)).exists()


def test_approval_with_a_failing_check_shows_each_rule_beside_its_item(cast: Cast, client: Client) -> None:
    make_agreement(cast.carol, cast.secret_partner)
    services.consent_record(
        by=cast.alice,
        originator_kind="partner",
        originator_partner=cast.open_partner,
        items=[cast.item],
        partner=cast.secret_partner,
        granted=True,
        valid_until=date.today(),
        reference="MSG-1",
    )
    release = services.release_submit(by=cast.alice, release=draft(cast, cast.secret_partner))
    services.consent_record(  # the originator changes its mind before approval
        by=cast.alice,
        originator_kind="partner",
        originator_partner=cast.open_partner,
        items=[cast.item],
        partner=cast.secret_partner,
        granted=False,
        reference="MSG-2",
    )
    login_as(client, cast.heidi)
    refused = client.post(reverse("releases:approve", args=[release.pk]))
    (row,) = refused.context["item_rows"]
    assert row["item"] == cast.item and [f["code"] for f in row["failures"]] == ["consent.refused"]
    assert refused.context["refusal"] is not None
    release.refresh_from_db()
    assert release.status == ReleaseStatus.SUBMITTED


def test_refusal_needs_a_reason_and_is_the_release_authoritys(cast: Cast, client: Client) -> None:
    release = submitted(cast)
    url = reverse("releases:refuse", args=[release.pk])
    login_as(client, cast.carol)
    client.post(url, {"reason": "No."})
    release.refresh_from_db()
    assert release.status == ReleaseStatus.SUBMITTED
    login_as(client, cast.heidi)
    empty = client.post(url, {"reason": ""}, follow=True)
    assert "Reason:" in empty.content.decode()
    client.post(url, {"reason": "Not before the partner answers our request."})
    release.refresh_from_db()
    assert release.status == ReleaseStatus.REFUSED and release.decided_by == cast.heidi
    login_as(client, cast.alice)
    assert (
        "Not before the partner answers our request."
        in client.get(reverse("releases:detail", args=[release.pk])).content.decode()
    )


def test_withdrawal_is_the_requesters(cast: Cast, client: Client) -> None:
    release = submitted(cast)
    login_as(client, cast.bob)
    refused = client.post(reverse("releases:withdraw", args=[release.pk]), follow=True)
    assert "rule: author" in refused.content.decode()
    login_as(client, cast.alice)
    client.post(reverse("releases:withdraw", args=[release.pk]))
    release.refresh_from_db()
    assert release.status == ReleaseStatus.WITHDRAWN


def test_navigation_shows_releases_to_those_who_use_them(cast: Cast, client: Client) -> None:
    for name, shown in (("alice", True), ("heidi", True), ("carol", True), ("dave", False), ("erin", False)):
        login_as(client, cast.member(name))
        labels = [entry["url"] for entry in client.get("/").context["navigation"]]
        assert ("/releases/" in labels) is shown, name


@needs_package
def test_a_double_approval_produces_one_package_and_says_so(cast: Cast, client: Client) -> None:
    from liaison.releases.models import ReleasePackage

    release = submitted(cast)
    login_as(client, cast.heidi)
    first = client.post(reverse("releases:approve", args=[release.pk]))
    assert first.status_code == 302
    second = client.post(reverse("releases:approve", args=[release.pk]), follow=True)
    assert "already approved" in second.content.decode()
    assert ReleasePackage.objects.filter(release=release).count() == 1
    release.refresh_from_db()
    assert release.status == ReleaseStatus.RELEASED
    assert ReleasePackage.objects.get(release=release).code in second.content.decode()
    assert reverse("releases:package_pdf", args=[release.pk]) in second.content.decode()


@needs_package
def test_recall_and_receipt_appear_on_the_partner_page_and_in_the_audit_log(cast: Cast, client: Client) -> None:
    release = submitted(cast)
    login_as(client, cast.heidi)
    client.post(reverse("releases:approve", args=[release.pk]))
    login_as(client, cast.alice)  # a liaison officer does not recall
    client.post(reverse("releases:recall", args=[release.pk]), {"reason": "Wrong desk."})
    release.refresh_from_db()
    assert release.status == ReleaseStatus.RELEASED
    login_as(client, cast.heidi)
    client.post(reverse("releases:recall", args=[release.pk]), {"reason": "Sent to the wrong desk."})
    release.refresh_from_db()
    assert release.status == ReleaseStatus.RECALLED
    detail = client.get(reverse("releases:detail", args=[release.pk])).content.decode()
    assert reverse("releases:recall_message", args=[release.pk]) in detail
    partner_page = client.get(reverse("partners:detail", args=[cast.open_partner.pk])).content.decode()
    assert release.package.code in partner_page and "no receipt yet" in partner_page
    receipt = reverse("releases:recall_receipt", args=[release.pk])
    late = client.post(
        receipt, {"received_at": "2999-01-01T10:00", "time_zone": "Europe/Paris", "received_by": "Duty officer"}
    )
    assert late.status_code == 302
    release.recall.refresh_from_db()
    assert release.recall.receipt_at is None
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    Recall.objects.filter(release=release).update(created_at=an_hour_ago - timedelta(hours=1))
    client.post(
        receipt,
        {"received_at": an_hour_ago.strftime("%Y-%m-%dT%H:%M"), "time_zone": "UTC", "received_by": "Duty officer"},
    )
    release.recall.refresh_from_db()
    assert release.recall.receipt_by == "Duty officer"
    partner_page = client.get(reverse("partners:detail", args=[cast.open_partner.pk])).content.decode()
    assert "by Duty officer" in partner_page
    events = set(AuditEntry.objects.filter(target_id=str(release.pk)).values_list("event", flat=True))
    assert {"release.recalled", "release.recall_receipt"} <= events


def test_bad_input_is_refused_clearly_and_writes_nothing(cast: Cast, client: Client) -> None:
    from liaison.testing.snapshot import database_rows

    release = submitted(cast)
    login_as(client, cast.alice)
    before = database_rows()
    garbage = client.post(
        "/releases/new/", {"partner": "not-an-id", "justification": " ", "items": ["x", "1"], "tearline": "y"}
    )
    assert garbage.status_code == 200
    errors = garbage.context["form"].errors
    assert set(errors) == {"partner", "justification", "items", "tearline"}
    assert "No such item" in str(errors["items"]) and "No such partner" in str(errors["partner"])
    login_as(client, cast.heidi)
    receipt = reverse("releases:recall_receipt", args=[release.pk])
    bad_date = client.post(
        receipt, {"received_at": "yesterday", "time_zone": "Mars/Base", "received_by": ""}, follow=True
    )
    assert "Receipt date and time:" in bad_date.content.decode()
    assert database_rows() == before


def test_check_without_saving_shows_each_rule_beside_its_item_and_writes_nothing(cast: Cast, client: Client) -> None:
    make_agreement(cast.carol, cast.secret_partner)
    login_as(client, cast.alice)
    data = {"partner": cast.secret_partner.pk, "justification": "", "items": [cast.item.pk], "check": "1"}
    page = client.post(f"/releases/new/?exchange={cast.exchange.pk}", data)
    ((item, failures),) = page.context["preview"]["rows"]
    assert item == cast.item and [f["code"] for f in failures] == ["consent.missing"]
    assert page.context["preview"]["release_failures"] == []
    assert not Release.objects.exists()
    to_own = client.post("/releases/new/", data | {"partner": cast.open_partner.pk})
    assert [f["code"] for f in to_own.context["preview"]["release_failures"]] == ["agreement.none"]
    assert to_own.context["preview"]["rows"] == [(cast.item, [])]
    assert not Release.objects.exists()


def test_editing_never_names_an_item_the_requester_may_no_longer_read(cast: Cast, client: Client) -> None:
    exchange = make_exchange(cast.carol, cast.open_partner)
    item = item_create(
        by=cast.carol,
        exchange=exchange,
        data=ItemInput(
            direction="received",
            originator_kind="partner",
            originator_partner=cast.open_partner,
            title="Shared for a while",
            text="Then withdrawn.",
            source_reliability="B",
            information_credibility="2",
            marking=Marking(rank=1),
        ),
    )
    release = draft(cast, cast.open_partner, cast.item, item)
    item.shared_with_services.clear()
    login_as(client, cast.alice)
    page = client.get(reverse("releases:edit", args=[release.pk]))
    assert page.context["form"].initial["items"] == [str(cast.item.pk)]
    assert "Shared for a while" not in page.content.decode()


def test_every_release_of_the_demo_office_renders_for_its_readers(db) -> None:
    from liaison.accounts.models import User
    from liaison.demo.office import load_demo
    from liaison.releases.selectors import release_list

    load_demo(seed=2026)
    client = Client()
    client.cookies.load({"django_language": "en"})
    users = list(User.objects.order_by("username"))
    authority = next(u for u in users if u.has_role("release_authority"))
    officer = max((u for u in users if u.has_role("liaison_officer")), key=lambda u: release_list(user=u).count())
    shown = 0
    for user in (authority, officer):
        login_as(client, user)
        assert client.get("/releases/").status_code == 200
        for release in release_list(user=user)[:15]:
            page = client.get(reverse("releases:detail", args=[release.pk]))
            assert page.status_code == 200, (user.username, release.status)
            shown += 1
        partner = release_list(user=user).values_list("partner", flat=True).first()
        if partner:
            assert client.get(reverse("partners:detail", args=[partner])).status_code == 200
    assert shown > 0
