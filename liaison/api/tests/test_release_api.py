"""The release API: release requests through their four-eyes workflow, the release check with every failing rule,
consents and consent requests, tearlines, unseen ids that read as unknown ones, strict filters and lists whose
query count does not grow with their length."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.api.tests.test_api import API, patch, post, token_for
from liaison.audit.models import AuditEntry
from liaison.exchanges.services import ItemInput, exchange_create, item_create
from liaison.policy.markings import Marking
from liaison.releases import services
from liaison.releases.models import ConsentRequestStatus, Release, ReleasePackage, ReleaseStatus
from liaison.testing.cast import Cast, compartment, make_agreement, make_proliferation_item

RELEASES = f"{API}/releases/"


def create(client: Client, cast: Cast, partner: Any, **changes: Any) -> Any:
    body = {"partner": str(partner.pk), "justification": "They asked.", "items": [str(cast.item.pk)]} | changes
    return post(client, RELEASES, body, headers=token_for(cast.alice))


# ---------------------------------------------------------------- create, check, submit


def test_a_draft_shows_todays_check_with_every_failing_rule_and_submit_is_refused_with_them(
    cast: Cast, client: Client
) -> None:
    created = create(client, cast, cast.secret_partner)
    assert created.status_code == 201, created.json()
    release = created.json()
    assert release["status"] == "draft" and release["requester"] == "ALICE"
    assert release["partner"] == str(cast.secret_partner.pk)
    assert [i["id"] for i in release["items"]] == [str(cast.item.pk)]
    assert release["check"]["allowed"] is False
    assert {(f["code"], f["item"]) for f in release["check"]["failures"]} == {
        ("agreement.none", None),
        ("consent.missing", str(cast.item.pk)),
    }
    assert all(f["message"] and f["unblock"] for f in release["check"]["failures"])

    refused = post(client, f"{RELEASES}{release['id']}/submit/", {}, headers=token_for(cast.alice))
    assert refused.status_code == 403
    body = refused.json()
    assert body["code"] == "refused" and body["rule"] == "release"
    assert {(f["code"], f["item"]) for f in body["failures"]} == {
        ("agreement.none", None),
        ("consent.missing", str(cast.item.pk)),
    }
    assert Release.objects.get(pk=release["id"]).status == ReleaseStatus.DRAFT
    # The block is recorded (audit and history), and the detail shows it as the last check.
    assert AuditEntry.objects.filter(event="release.blocked", target_id=release["id"]).count() == 1
    detail = client.get(f"{RELEASES}{release['id']}/", headers=token_for(cast.alice)).json()
    assert {f["code"] for f in detail["last_check"]} == {"agreement.none", "consent.missing"}


def test_an_item_the_requester_may_not_read_is_refused_exactly_like_an_unknown_id(cast: Cast, client: Client) -> None:
    hidden = create(client, cast, cast.open_partner, items=[str(make_proliferation_item(cast).pk)])
    unknown = create(client, cast, cast.open_partner, items=[str(uuid.uuid4())])
    assert hidden.status_code == unknown.status_code == 422
    assert hidden.json() == unknown.json()
    assert hidden.json()["errors"] == {"items": ["Unknown item: choose one from the list."]}
    unseen_partner = create(client, cast, cast.prolif_partner)
    assert unseen_partner.status_code == 422
    assert unseen_partner.json()["errors"] == {"partner": ["Unknown partner: choose one from the list."]}
    assert not Release.objects.exists()


def test_bad_content_is_refused_with_what_to_do_and_nothing_is_written(cast: Cast, client: Client) -> None:
    tearline = services.tearline_save(by=cast.alice, title="T", text="Sanitised.", sources=[cast.item])
    both = create(client, cast, cast.open_partner, tearline=str(tearline.pk))
    assert both.status_code == 422 and "not both" in both.json()["detail"]
    twice = create(client, cast, cast.open_partner, items=[str(cast.item.pk)] * 2)
    assert twice.status_code == 422 and "named twice" in twice.json()["detail"]
    blank = create(client, cast, cast.open_partner, justification=" ")
    assert blank.status_code == 400 and "justification" in blank.json()["errors"]
    not_a_writer = post(
        client,
        RELEASES,
        {"partner": str(cast.open_partner.pk), "justification": "x", "items": [str(cast.item.pk)]},
        headers=token_for(cast.heidi),
    )
    assert not_a_writer.status_code == 403 and not_a_writer.json()["rule"] == "role"
    assert not Release.objects.exists()


def test_a_draft_is_edited_by_its_requester_only_and_submitted_when_the_rule_passes(cast: Cast, client: Client) -> None:
    make_agreement(cast.carol, cast.open_partner)
    tearline = services.tearline_save(by=cast.alice, title="T", text="Sanitised.", sources=[cast.item])
    release = create(client, cast, cast.open_partner).json()
    url = f"{RELEASES}{release['id']}/"
    assert release["check"] == {"allowed": True, "failures": []}

    by_bob = patch(client, url, {"justification": "Mine."}, headers=token_for(cast.bob))
    assert by_bob.status_code == 403 and by_bob.json()["rule"] == "author"
    edited = patch(client, url, {"tearline": str(tearline.pk), "items": []}, headers=token_for(cast.alice))
    assert edited.status_code == 200, edited.json()
    assert edited.json()["tearline"] == str(tearline.pk) and edited.json()["items"] == []
    assert edited.json()["justification"] == "They asked."  # left out: kept

    submitted = post(client, f"{url}submit/", {}, headers=token_for(cast.alice))
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    frozen = patch(client, url, {"justification": "Later."}, headers=token_for(cast.alice))
    assert frozen.status_code == 409 and frozen.json()["code"] == "conflict"
    again = post(client, f"{url}submit/", {}, headers=token_for(cast.alice))
    assert again.status_code == 409


# ---------------------------------------------------------------- the four-eyes decision


def submitted_release(cast: Cast) -> Release:
    make_agreement(cast.carol, cast.open_partner)
    draft = services.release_create(
        by=cast.alice,
        partner=cast.open_partner,
        justification="They asked.",
        content=services.Content(items=(cast.item,)),
    )
    return services.release_submit(by=cast.alice, release=draft)


def test_approval_by_the_requester_is_refused_by_the_four_eyes_rule(cast: Cast, client: Client) -> None:
    release = submitted_release(cast)
    cast.alice.roles.add(*cast.heidi.roles.all())  # alice becomes a release authority too
    refused = post(client, f"{RELEASES}{release.pk}/approve/", {}, headers=token_for(cast.alice))
    assert refused.status_code == 403
    assert refused.json()["rule"] == "four_eyes"
    assert [(f["code"], f["item"]) for f in refused.json()["failures"]] == [("four_eyes", None)]
    release.refresh_from_db()
    assert release.status == ReleaseStatus.SUBMITTED and release.decided_by is None


def test_approval_by_someone_without_the_role_is_refused(cast: Cast, client: Client) -> None:
    release = submitted_release(cast)
    refused = post(client, f"{RELEASES}{release.pk}/approve/", {}, headers=token_for(cast.carol))
    assert refused.status_code == 403
    assert refused.json()["rule"] == "release_authority"
    assert [f["code"] for f in refused.json()["failures"]] == ["release_authority"]
    # bob is in the requester's service but may not approve either; dave does not see the release at all.
    assert post(client, f"{RELEASES}{release.pk}/approve/", {}, headers=token_for(cast.bob)).status_code == 403
    assert post(client, f"{RELEASES}{release.pk}/approve/", {}, headers=token_for(cast.dave)).status_code == 404
    release.refresh_from_db()
    assert release.status == ReleaseStatus.SUBMITTED


def test_approval_with_a_failing_check_is_refused_with_every_rule(cast: Cast, client: Client) -> None:
    make_agreement(cast.carol, cast.secret_partner)
    services.consent_record(
        by=cast.alice,
        originator_kind="partner",
        originator_partner=cast.open_partner,
        items=[cast.item],
        partner=cast.secret_partner,
        granted=True,
        reference="MSG-1",
    )
    draft = services.release_create(
        by=cast.alice,
        partner=cast.secret_partner,
        justification="They asked.",
        content=services.Content(items=(cast.item,)),
    )
    release = services.release_submit(by=cast.alice, release=draft)
    services.consent_record(  # the originator changes its mind after submission
        by=cast.alice,
        originator_kind="partner",
        originator_partner=cast.open_partner,
        items=[cast.item],
        partner=cast.secret_partner,
        granted=False,
        reference="MSG-2",
    )
    refused = post(client, f"{RELEASES}{release.pk}/approve/", {}, headers=token_for(cast.carol))
    assert refused.status_code == 403
    assert refused.json()["rule"] == "release"
    assert {(f["code"], f["item"]) for f in refused.json()["failures"]} == {
        ("consent.refused", str(cast.item.pk)),
        ("release_authority", None),
    }
    release.refresh_from_db()
    assert release.status == ReleaseStatus.SUBMITTED


def test_an_item_the_reader_may_not_see_is_not_named_in_the_check(cast: Cast, client: Client) -> None:
    hidden = make_proliferation_item(cast)
    draft = services.release_create(
        by=cast.carol,
        partner=cast.open_partner,
        justification="They asked.",
        content=services.Content(items=(hidden,)),
    )
    assert client.get(f"{RELEASES}{draft.pk}/", headers=token_for(cast.alice)).status_code == 404
    detail = client.get(f"{RELEASES}{draft.pk}/", headers=token_for(cast.heidi)).json()
    assert [i["id"] for i in detail["items"]] == [str(hidden.pk)]
    cast.heidi.compartments.remove(compartment("proliferation"))
    assert client.get(f"{RELEASES}{draft.pk}/", headers=token_for(cast.heidi)).status_code == 404


def test_a_failing_rule_on_an_item_the_reader_may_not_see_does_not_name_it(cast: Cast, client: Client) -> None:
    private = exchange_create(
        by=cast.carol,
        kind="call",
        title="Private call",
        occurred_at=datetime(2026, 11, 2, 10, 0),
        time_zone="Europe/Paris",
        partners=[cast.open_partner],
        marking=Marking(rank=1),
        share_with_my_service=False,
    )
    item = item_create(
        by=cast.carol,
        exchange=private,
        data=ItemInput(
            direction="received",
            originator_kind="partner",
            originator_partner=cast.open_partner,
            title="Private detail",
            text="x",
            source_reliability="B",
            information_credibility="2",
            marking=Marking(rank=1),
        ),
    )
    release = services.release_create(
        by=cast.carol,
        partner=cast.secret_partner,
        justification="They asked.",
        content=services.Content(items=(item,)),
    )
    expected = {("agreement.none", None), ("consent.missing", str(item.pk))}
    by_carol = client.get(f"{RELEASES}{release.pk}/", headers=token_for(cast.carol)).json()
    assert {(f["code"], f["item"]) for f in by_carol["check"]["failures"]} == expected
    assert [i["id"] for i in by_carol["items"]] == [str(item.pk)]
    # heidi sees the release (her service's) but not the item: the rule is listed, the item is not named.
    by_heidi = client.get(f"{RELEASES}{release.pk}/", headers=token_for(cast.heidi)).json()
    assert {(f["code"], f["item"]) for f in by_heidi["check"]["failures"]} == {
        ("agreement.none", None),
        ("consent.missing", None),
    }
    assert by_heidi["items"] == []
    assert str(item.pk) not in str(by_heidi)
    submit = post(client, f"{RELEASES}{release.pk}/submit/", {}, headers=token_for(cast.carol))
    assert submit.status_code == 403 and str(item.pk) in str(submit.json()["failures"])


def test_refuse_needs_a_reason_and_withdraw_is_the_requesters(cast: Cast, client: Client) -> None:
    release = submitted_release(cast)
    url = f"{RELEASES}{release.pk}/"
    heidi, alice = token_for(cast.heidi), token_for(cast.alice)
    assert post(client, f"{url}refuse/", {}, headers=heidi).status_code == 400
    blank = post(client, f"{url}refuse/", {"reason": " "}, headers=heidi)
    assert blank.status_code == 400 and "reason" in blank.json()["errors"]
    assert post(client, f"{url}withdraw/", {}, headers=heidi).json()["rule"] == "author"
    refused = post(client, f"{url}refuse/", {"reason": "Not now."}, headers=heidi)
    assert refused.status_code == 200, refused.json()
    assert refused.json()["status"] == "refused" and refused.json()["decided_by"] == "HEIDI"
    assert refused.json()["decision_reason"] == "Not now."
    assert refused.json()["check"] is None  # closed: no check runs any more
    assert post(client, f"{url}withdraw/", {}, headers=alice).status_code == 409
    other = create(client, cast, cast.open_partner).json()
    withdrawn = post(client, f"{RELEASES}{other['id']}/withdraw/", {}, headers=alice)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert [e["action"] for e in withdrawn.json()["history"]] == ["created", "withdrawn"]


def test_a_receipt_for_a_release_that_was_not_recalled_is_a_conflict(cast: Cast, client: Client) -> None:
    release = submitted_release(cast)
    url = f"{RELEASES}{release.pk}/"
    receipt = {"received_at": "2026-01-05T10:00", "received_by": "Their duty officer"}
    assert post(client, f"{url}recall-receipt/", receipt, headers=token_for(cast.alice)).status_code == 409


# ---------------------------------------------------------------- lists


def test_unknown_and_empty_filters_are_refused(cast: Cast, client: Client) -> None:
    headers = token_for(cast.alice)
    for path in ("releases", "consents", "consent-requests", "tearlines"):
        unknown = client.get(f"{API}/{path}/?colour=red", headers=headers)
        assert unknown.status_code == 400, path
        assert "Unknown filter" in unknown.json()["errors"]["colour"][0]
    assert client.get(f"{RELEASES}?status=lost", headers=headers).status_code == 400
    assert client.get(f"{RELEASES}?status=", headers=headers).status_code == 400
    assert client.get(f"{RELEASES}?partner=nope", headers=headers).status_code == 400
    assert client.get(f"{API}/consent-requests/?status=nope", headers=headers).status_code == 400


def test_release_lists_are_filtered_by_the_read_rule_status_and_partner(cast: Cast, client: Client) -> None:
    release = services.release_create(
        by=cast.alice,
        partner=cast.open_partner,
        justification="They asked.",
        content=services.Content(items=(cast.item,)),
    )
    hidden = services.release_create(
        by=cast.carol,
        partner=cast.open_partner,
        justification="They asked.",
        content=services.Content(items=(make_proliferation_item(cast),)),
    )
    alice = token_for(cast.alice)
    listed = client.get(RELEASES, headers=alice).json()
    assert [r["id"] for r in listed["results"]] == [str(release.pk)] and listed["count"] == 1
    assert client.get(f"{RELEASES}?status=submitted", headers=alice).json()["count"] == 0
    assert client.get(f"{RELEASES}?partner={cast.open_partner.pk}", headers=alice).json()["count"] == 1
    assert client.get(f"{RELEASES}?partner={cast.secret_partner.pk}", headers=alice).json()["count"] == 0
    assert client.get(RELEASES, headers=token_for(cast.dave)).json()["count"] == 0
    assert client.get(RELEASES, headers=token_for(cast.carol)).json()["count"] == 2
    assert str(hidden.pk) in {r["id"] for r in client.get(RELEASES, headers=token_for(cast.carol)).json()["results"]}


def _queries(client: Client, url: str, headers: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, response.json()
    return len(queries)


@pytest.mark.parametrize("path", ["releases", "consents", "consent-requests", "tearlines"])
def test_a_list_page_costs_the_same_queries_whatever_its_length(cast: Cast, client: Client, path: str) -> None:
    make_agreement(cast.carol, cast.secret_partner)
    headers = token_for(cast.alice)

    def add() -> None:
        release = services.release_create(
            by=cast.alice,
            partner=cast.secret_partner,
            justification="x",
            content=services.Content(items=(cast.item,)),
        )
        services.consent_record(
            by=cast.alice,
            originator_kind="partner",
            originator_partner=cast.open_partner,
            items=[cast.item],
            partner=cast.secret_partner,
            granted=True,
            reference="MSG",
        )
        services.consent_request_open(
            by=cast.alice, release=release, originator=services.item_originator(cast.item), message="May we?"
        )
        services.tearline_save(by=cast.alice, title="T", text="Sanitised.", sources=[cast.item])

    add()
    _queries(client, f"{API}/{path}/", headers)  # warm up (content types, token's last use)
    one = _queries(client, f"{API}/{path}/", headers)
    for _ in range(4):
        add()
    many = _queries(client, f"{API}/{path}/", headers)
    assert client.get(f"{API}/{path}/", headers=headers).json()["count"] == 5
    assert many == one


# ---------------------------------------------------------------- consents and consent requests


def test_consents_are_recorded_and_an_item_of_another_originator_is_refused(cast: Cast, client: Client) -> None:
    alice = token_for(cast.alice)
    body = {
        "originator_kind": "partner",
        "originator_partner": str(cast.secret_partner.pk),
        "items": [str(cast.item.pk)],
        "partner": str(cast.open_partner.pk),
        "granted": True,
        "reference": "MSG-2026-042",
    }
    foreign = post(client, f"{API}/consents/", body, headers=alice)
    assert foreign.status_code == 422
    assert "does not come from this originator" in foreign.json()["detail"]
    hidden = post(client, f"{API}/consents/", body | {"items": [str(make_proliferation_item(cast).pk)]}, headers=alice)
    assert hidden.status_code == 422 and hidden.json()["errors"] == {
        "items": ["Unknown item: choose one from the list."]
    }

    recorded = post(
        client,
        f"{API}/consents/",
        body | {"originator_partner": str(cast.open_partner.pk), "partner": str(cast.secret_partner.pk)},
        headers=alice,
    )
    assert recorded.status_code == 201, recorded.json()
    consent = recorded.json()
    assert consent["granted"] is True and consent["items"] == [str(cast.item.pk)]
    assert consent["originator_partner"] == str(cast.open_partner.pk) and consent["recorded_by"] == "ALICE"
    assert client.get(f"{API}/consents/{consent['id']}/", headers=token_for(cast.dave)).status_code == 404
    assert client.get(f"{API}/consents/?granted=true", headers=alice).json()["count"] == 1
    assert client.get(f"{API}/consents/?granted=false", headers=alice).json()["count"] == 0
    by_dave = post(client, f"{API}/consents/", body, headers=token_for(cast.dave))
    assert by_dave.status_code == 422  # dave sees neither the partners nor the item named


def test_a_consent_request_is_opened_from_a_blocked_release_answered_or_withdrawn(cast: Cast, client: Client) -> None:
    make_agreement(cast.carol, cast.secret_partner)
    alice = token_for(cast.alice)
    release = create(client, cast, cast.secret_partner).json()
    ask = {
        "release": release["id"],
        "originator_kind": "partner",
        "originator_partner": str(cast.open_partner.pk),
        "message": "May we pass this on?",
    }
    nothing_owed = post(client, f"{API}/consent-requests/", ask | {"originator_kind": "open_source"}, headers=alice)
    assert nothing_owed.status_code == 422 and "Nothing in this release is owed" in nothing_owed.json()["detail"]
    missing = post(client, f"{API}/consent-requests/", ask | {"originator_partner": None}, headers=alice)
    assert missing.status_code == 422 and "originator_partner" in missing.json()["errors"]
    unseen = post(client, f"{API}/consent-requests/", ask | {"release": str(uuid.uuid4())}, headers=alice)
    assert unseen.status_code == 422 and unseen.json()["errors"] == {
        "release": ["Unknown release: choose one from the list."]
    }

    opened = post(client, f"{API}/consent-requests/", ask, headers=alice)
    assert opened.status_code == 201, opened.json()
    request = opened.json()
    assert request["status"] == "open" and request["items"] == [str(cast.item.pk)]
    assert request["partner"] == str(cast.secret_partner.pk) and request["release"] == release["id"]
    answered = post(
        client,
        f"{API}/consents/",
        {
            "originator_kind": "partner",
            "originator_partner": str(cast.open_partner.pk),
            "items": [str(cast.item.pk)],
            "partner": str(cast.secret_partner.pk),
            "granted": True,
            "reference": "Reply to our request",
            "request": request["id"],
        },
        headers=alice,
    )
    assert answered.status_code == 201, answered.json()
    detail = client.get(f"{API}/consent-requests/{request['id']}/", headers=alice).json()
    assert detail["status"] == ConsentRequestStatus.ANSWERED and detail["answers"] == [answered.json()["id"]]
    closed = post(client, f"{API}/consent-requests/{request['id']}/withdraw/", {}, headers=alice)
    assert closed.status_code == 409
    assert client.get(f"{RELEASES}{release['id']}/", headers=alice).json()["check"]["allowed"] is True

    second = post(client, f"{API}/consent-requests/", ask, headers=alice).json()
    by_bob = post(client, f"{API}/consent-requests/{second['id']}/withdraw/", {}, headers=token_for(cast.bob))
    assert by_bob.status_code == 403 and by_bob.json()["rule"] == "author"
    withdrawn = post(client, f"{API}/consent-requests/{second['id']}/withdraw/", {}, headers=alice)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert client.get(f"{API}/consent-requests/?status=open", headers=alice).json()["count"] == 0


# ---------------------------------------------------------------- tearlines


def test_a_tearline_shows_its_computed_markings_and_what_is_owed_to_originators(cast: Cast, client: Client) -> None:
    alice = token_for(cast.alice)
    body = {"title": "Couriers, sanitised", "text": "A network uses couriers.", "sources": [str(cast.item.pk)]}
    created = post(client, f"{API}/tearlines/", body, headers=alice)
    assert created.status_code == 201, created.json()
    tearline = created.json()
    assert tearline["markings"]["classification"] == cast.item.classification.label
    assert [s["id"] for s in tearline["sources"]] == [str(cast.item.pk)]
    assert tearline["obligations"] == [
        {
            "item": str(cast.item.pk),
            "originator_kind": "partner",
            "originator_partner": str(cast.open_partner.pk),
            "originator_service": None,
            "reasons": ["ORCON"],
        }
    ]
    assert tearline["is_locked"] is False
    url = f"{API}/tearlines/{tearline['id']}/"
    edited = patch(client, url, {"text": "Couriers are used."}, headers=alice)
    assert edited.status_code == 200 and edited.json()["text"] == "Couriers are used."
    assert edited.json()["title"] == "Couriers, sanitised"
    assert patch(client, url, {"text": "Mine."}, headers=token_for(cast.bob)).json()["rule"] == "author"
    hidden = post(
        client, f"{API}/tearlines/", body | {"sources": [str(make_proliferation_item(cast).pk)]}, headers=alice
    )
    assert hidden.status_code == 422 and hidden.json()["errors"] == {
        "sources": ["Unknown item: choose one from the list."]
    }
    assert client.get(url, headers=token_for(cast.dave)).status_code == 404


# ---------------------------------------------------------------- approval, package and recall


def test_a_double_approval_produces_one_package(cast: Cast, client: Client) -> None:
    release = submitted_release(cast)
    url = f"{RELEASES}{release.pk}/approve/"
    heidi = token_for(cast.heidi)
    approved = post(client, url, {}, headers=heidi)
    assert approved.status_code == 200, approved.json()
    body = approved.json()
    assert body["status"] == "released" and body["decided_by"] == "HEIDI" and body["check"] is None
    assert body["package"]["code"] and len(body["package"]["manifest_sha256"]) == 64
    again = post(client, url, {}, headers=heidi)
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert ReleasePackage.objects.filter(release=release).count() == 1
    assert AuditEntry.objects.filter(event="release.approved", target_id=str(release.pk)).count() == 1
    assert client.get(f"{RELEASES}{release.pk}/", headers=heidi).json()["package"] == body["package"]


def test_a_release_is_recalled_by_a_release_authority_and_the_receipt_recorded_once(cast: Cast, client: Client) -> None:
    release = services.release_approve(by=cast.heidi, release=submitted_release(cast))
    url = f"{RELEASES}{release.pk}/"
    alice, heidi = token_for(cast.alice), token_for(cast.heidi)
    by_alice = post(client, f"{url}recall/", {"reason": "Wrong desk."}, headers=alice)
    assert by_alice.status_code == 403 and by_alice.json()["rule"] == "release_authority"
    early = {"received_at": "2026-01-05T10:00", "received_by": "Their duty officer"}
    assert post(client, f"{url}recall-receipt/", early, headers=alice).status_code == 409  # not recalled yet
    recalled = post(client, f"{url}recall/", {"reason": "Sent to the wrong desk."}, headers=heidi)
    assert recalled.status_code == 200, recalled.json()
    assert recalled.json()["status"] == "recalled"
    assert recalled.json()["recall"]["reason"] == "Sent to the wrong desk."
    assert recalled.json()["recall"]["receipt_at"] is None
    assert post(client, f"{url}recall/", {"reason": "Again."}, headers=heidi).status_code == 409

    before_recall = post(client, f"{url}recall-receipt/", early | {"received_at": "2020-01-01T10:00"}, headers=alice)
    assert before_recall.status_code == 422 and "between the recall and now" in before_recall.json()["detail"]
    now = timezone.now().isoformat()
    receipt = post(client, f"{url}recall-receipt/", {"received_at": now, "received_by": "Duty officer"}, headers=alice)
    assert receipt.status_code == 200, receipt.json()
    assert receipt.json()["recall"]["receipt_by"] == "Duty officer"
    assert receipt.json()["recall"]["receipt_recorded_by"] == "ALICE"
    twice = post(client, f"{url}recall-receipt/", {"received_at": now, "received_by": "Duty officer"}, headers=alice)
    assert twice.status_code == 409
    assert [e["action"] for e in receipt.json()["history"]][-2:] == ["recalled", "receipt"]
