"""The consent, consent request and tearline pages: who may use each form, the refusals they show, unreadable ids,
a request opened from a refused release and answered, the four-eyes downgrade, and the list's query count."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import RoleCode
from liaison.audit.models import AuditEntry
from liaison.releases import services
from liaison.releases.models import Consent, ConsentRequest, ConsentRequestStatus, DowngradeStatus, Release, Tearline
from liaison.testing.cast import Cast, level, make_agreement, make_proliferation_item, make_user
from liaison.testing.matrix import login_as


def blocked_release(cast: Cast) -> Release:
    """alice's draft giving the open partner's item to the secret partner: only the consent is missing."""
    make_agreement(cast.carol, cast.secret_partner)
    return services.release_create(
        by=cast.alice,
        partner=cast.secret_partner,
        justification="They asked about courier routes.",
        content=services.Content(items=(cast.item,)),
    )


def consent_data(cast: Cast, **changes) -> dict:
    return {
        "originator": f"partner:{cast.open_partner.pk}",
        "items": [str(cast.item.pk)],
        "partner": str(cast.secret_partner.pk),
        "verdict": "granted",
        "valid_until": "",
        "reference": "MSG-2026-11-042",
        "note": "",
        **changes,
    }


def text(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- consents


def test_an_officer_records_a_consent_and_the_page_shows_it(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    page = client.get(reverse("releases:consent_create"), {"originator": f"partner:{cast.open_partner.pk}"})
    assert page.status_code == 200 and "Courier routes" in text(page)
    response = client.post(reverse("releases:consent_create"), consent_data(cast))
    consent = Consent.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("releases:consent_detail", args=[consent.pk])
    assert consent.granted and consent.partner == cast.secret_partner and list(consent.items.all()) == [cast.item]
    detail = client.get(response["Location"])
    assert "MSG-2026-11-042" in text(detail) and "Courier routes" in text(detail)
    assert AuditEntry.objects.filter(event="consent.recorded", target_id=str(consent.pk)).exists()


@pytest.mark.parametrize("name", ["dave", "erin", "grace", "frank"])
def test_who_does_not_hear_originators_may_not_record_a_consent(cast: Cast, client: Client, name: str) -> None:
    login_as(client, cast.member(name))
    assert client.post(reverse("releases:consent_create"), consent_data(cast)).status_code == 404
    assert not Consent.objects.exists()


def test_a_consent_for_an_item_of_another_originator_is_refused_with_the_reason(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    data = consent_data(cast, originator=f"partner:{cast.secret_partner.pk}", partner=str(cast.open_partner.pk))
    response = client.post(reverse("releases:consent_create"), data)
    assert response.status_code == 200
    assert "does not come from this originator" in text(response)
    assert not Consent.objects.exists()


def test_a_consent_naming_an_unreadable_or_unknown_item_reads_as_unknown(cast: Cast, client: Client) -> None:
    hidden = make_proliferation_item(cast)
    login_as(client, cast.alice)
    answers = []
    for item_id in (str(hidden.pk), str(uuid.uuid4()), "not-an-id"):
        response = client.post(reverse("releases:consent_create"), consent_data(cast, items=[item_id]))
        assert response.status_code == 200
        answers.append(response.context["form"].errors["items"])
    assert answers[0] == answers[1] == answers[2] == ["Unknown item: choose one from the list."]
    assert "Centrifuge" not in text(response)
    assert not Consent.objects.exists()


def test_a_consent_naming_a_partner_the_user_may_not_see_is_refused_as_unknown(cast: Cast, client: Client) -> None:
    login_as(client, cast.bob)  # bob's clearance is below the secret partner's file
    response = client.post(reverse("releases:consent_create"), consent_data(cast))
    assert response.status_code == 200 and "partner" in response.context["form"].errors
    assert not Consent.objects.exists()


def test_the_consent_list_filters_by_answer_and_validity(cast: Cast, client: Client) -> None:
    def answer(granted: bool, until: date | None) -> Consent:
        return services.consent_record(
            by=cast.alice,
            originator_kind="partner",
            originator_partner=cast.open_partner,
            items=[cast.item],
            partner=cast.secret_partner,
            granted=granted,
            valid_until=until,
            reference="R",
        )

    granted = answer(True, None)
    refused = answer(False, None)
    expired = answer(True, timezone.localdate() - timedelta(days=1))
    login_as(client, cast.alice)
    url = reverse("releases:consent_list")

    def listed(**filters) -> set:
        return {c.pk for c in client.get(url, filters).context["page"].object_list}

    assert listed() == {granted.pk, refused.pk, expired.pk}
    assert listed(verdict="refused") == {refused.pk}
    assert listed(validity="expired") == {expired.pk}
    assert listed(validity="valid", verdict="granted") == {granted.pk}
    assert listed(originator=f"partner:{cast.open_partner.pk}") == {granted.pk, refused.pk, expired.pk}
    assert listed(originator=f"partner:{cast.secret_partner.pk}") == set()
    assert listed(partner="any") == set()
    assert listed(originator="partner:nonsense", partner="nonsense") == set()
    login_as(client, cast.dave)  # not in the office: sees none of them
    assert listed() == set()


def test_the_consent_list_answers_in_the_same_number_of_queries_whatever_its_length(cast: Cast, client: Client) -> None:
    def add(count: int) -> None:
        for n in range(count):
            services.consent_record(
                by=cast.alice,
                originator_kind="partner",
                originator_partner=cast.open_partner,
                items=[cast.item],
                partner=cast.secret_partner if n % 2 else None,
                granted=bool(n % 3),
                reference=f"R-{n}",
            )

    login_as(client, cast.alice)
    url = reverse("releases:consent_list")
    add(2)
    client.get(url)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(18)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(page.context["page"].object_list) == 20
    assert len(many) == len(few)


# ---------------------------------------------------------------- consent requests


def test_a_request_opened_from_a_refused_release_and_answered_lets_the_check_pass(cast: Cast, client: Client) -> None:
    release = blocked_release(cast)
    item = str(cast.item.pk)
    assert services.release_check(release).codes() == {("consent.missing", item)}
    login_as(client, cast.alice)
    url = reverse("releases:consent_request_open", args=[release.pk]) + f"?item={item}"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["originator"] == f"partner:{cast.open_partner.pk}"
    assert "Secret partner" in form.initial["message"] and "Courier routes" in form.initial["message"]
    assert "consent.missing" in text(page)
    response = client.post(
        url, {"originator": form.initial["originator"], "message": form.initial["message"], "answer_due": ""}
    )
    request = ConsentRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "releases:consent_request_detail", args=[request.pk]
    )
    assert request.release == release and list(request.items.all()) == [cast.item]
    assert request.status == ConsentRequestStatus.OPEN

    answer_url = reverse("releases:consent_create") + f"?request={request.pk}"
    prefilled = client.get(answer_url).context["form"].initial
    assert prefilled["originator"] == f"partner:{cast.open_partner.pk}" and prefilled["items"] == [item]
    assert prefilled["partner"] == cast.secret_partner.pk
    response = client.post(
        answer_url, consent_data(cast, request=str(request.pk), reference="Letter of 28 Nov", items=prefilled["items"])
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ConsentRequestStatus.ANSWERED and request.answers.get().granted
    assert services.release_check(release).allowed


def test_asking_consent_for_a_release_one_may_not_see_answers_404(cast: Cast, client: Client) -> None:
    release = blocked_release(cast)
    login_as(client, cast.dave)
    assert client.get(reverse("releases:consent_request_open", args=[release.pk])).status_code == 404


def test_only_the_requester_or_a_release_authority_opens_and_withdraws_a_request(cast: Cast, client: Client) -> None:
    release = blocked_release(cast)
    url = reverse("releases:consent_request_open", args=[release.pk])
    login_as(client, cast.bob)
    response = client.post(url, {"originator": f"partner:{cast.open_partner.pk}", "message": "May we?"})
    assert response.status_code == 200 and "Refused by the rule “author”" in text(response)
    assert not ConsentRequest.objects.exists()
    login_as(client, cast.alice)
    client.post(url, {"originator": f"partner:{cast.open_partner.pk}", "message": "May we?"})
    request = ConsentRequest.objects.get()
    withdraw = reverse("releases:consent_request_withdraw", args=[request.pk])
    login_as(client, cast.bob)
    response = client.post(withdraw, follow=True)
    assert "Refused by the rule “author”" in text(response)
    request.refresh_from_db()
    assert request.status == ConsentRequestStatus.OPEN
    login_as(client, cast.alice)
    client.post(withdraw)
    request.refresh_from_db()
    assert request.status == ConsentRequestStatus.WITHDRAWN
    response = client.post(withdraw, follow=True)
    assert "already closed" in text(response)


def test_the_request_list_shows_overdue_answers(cast: Cast, client: Client) -> None:
    release = blocked_release(cast)
    late = services.consent_request_open(
        by=cast.alice,
        release=release,
        originator=services.item_originator(cast.item),
        message="May we?",
        answer_due=timezone.localdate() - timedelta(days=2),
    )
    on_time = services.consent_request_open(
        by=cast.alice,
        release=release,
        originator=services.item_originator(cast.item),
        message="May we?",
        answer_due=timezone.localdate() + timedelta(days=2),
    )
    login_as(client, cast.carol)
    url = reverse("releases:consent_request_list")
    assert {r.pk for r in client.get(url).context["page"].object_list} == {late.pk, on_time.pk}
    page = client.get(url, {"overdue": "1"})
    assert [r.pk for r in page.context["page"].object_list] == [late.pk] and "overdue" in text(page)
    assert list(client.get(url, {"status": "answered"}).context["page"].object_list) == []


# ---------------------------------------------------------------- tearlines


def test_an_officer_writes_a_tearline_and_sees_its_computed_marking_and_obligations(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    assert client.get(reverse("releases:tearline_create")).status_code == 200
    response = client.post(
        reverse("releases:tearline_create"),
        {"title": "Couriers, sanitised", "text": "A network uses couriers.", "sources": [str(cast.item.pk)]},
    )
    tearline = Tearline.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "releases:tearline_detail", args=[tearline.pk]
    )
    page = client.get(response["Location"])
    body = text(page)
    assert "A network uses couriers." in body and "Open partner (ORCON)" in body
    assert tearline.classification.rank == cast.item.classification.rank


@pytest.mark.parametrize("name", ["heidi", "dave", "erin", "grace", "frank"])
def test_who_does_not_write_may_not_write_a_tearline(cast: Cast, client: Client, name: str) -> None:
    login_as(client, cast.member(name))
    response = client.post(
        reverse("releases:tearline_create"), {"title": "T", "text": "x", "sources": [str(cast.item.pk)]}
    )
    assert response.status_code == 404 and not Tearline.objects.exists()


def test_a_tearline_from_an_unreadable_item_reads_as_unknown(cast: Cast, client: Client) -> None:
    hidden = make_proliferation_item(cast)
    login_as(client, cast.alice)
    for source in (str(hidden.pk), str(uuid.uuid4())):
        response = client.post(
            reverse("releases:tearline_create"),
            {"title": "T", "text": "x", "sources": [str(cast.item.pk), source]},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["sources"] == ["Unknown item: choose one from the list."]
        assert "Centrifuge" not in text(response)
    assert not Tearline.objects.exists()


def test_only_the_author_edits_a_tearline(cast: Cast, client: Client) -> None:
    tearline = services.tearline_save(by=cast.alice, title="T", text="x", sources=[cast.item])
    url = reverse("releases:tearline_edit", args=[tearline.pk])
    login_as(client, cast.bob)
    response = client.post(url, {"title": "Mine now", "text": "y", "sources": [str(cast.item.pk)]})
    assert response.status_code == 200 and "Refused by the rule “author”" in text(response)
    login_as(client, cast.alice)
    assert client.post(url, {"title": "Better", "text": "y", "sources": [str(cast.item.pk)]}).status_code == 302
    tearline.refresh_from_db()
    assert tearline.title == "Better"


def test_a_downgrade_is_decided_by_another_release_authority(cast: Cast, client: Client) -> None:
    ivan = make_user("ivan", (RoleCode.LIAISON_OFFICER, RoleCode.RELEASE_AUTHORITY), "bci", "s", ("terrorism",))
    tearline = services.tearline_save(by=ivan, title="T", text="x", sources=[cast.item])
    detail = reverse("releases:tearline_detail", args=[tearline.pk])
    ask = reverse("releases:tearline_downgrade_request", args=[tearline.pk])
    decide = reverse("releases:tearline_downgrade_decide", args=[tearline.pk])
    unclassified = level("np")

    login_as(client, cast.bob)  # sees the tearline, is not its author
    response = client.post(ask, {"level": unclassified.pk, "reason": "Nothing sensitive remains."})
    assert "Refused by the rule “author”" in text(response)
    login_as(client, ivan)
    assert client.post(ask, {"level": unclassified.pk, "reason": ""}).context["request_form"].errors["reason"]
    assert client.post(ask, {"level": unclassified.pk, "reason": "Nothing sensitive remains."}).status_code == 302
    tearline.refresh_from_db()
    assert tearline.downgrade_status == DowngradeStatus.REQUESTED

    response = client.post(decide, {"decision": "approve"})  # ivan asked: he may not decide
    assert "Refused by the rule “four_eyes”" in text(response)
    login_as(client, cast.alice)  # not a release authority
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    login_as(client, cast.heidi)
    assert "Record the decision" in text(client.get(detail))
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    tearline.refresh_from_db()
    assert tearline.downgrade_status == DowngradeStatus.APPROVED and tearline.classification.rank == 0
    assert AuditEntry.objects.filter(
        event="marking.downgrade_decided", actor_id=str(cast.heidi.pk), target_id=str(tearline.pk)
    ).exists()
    assert "Open partner (ORCON)" in text(client.get(detail))  # what is owed stays owed


def test_a_refusal_of_a_downgrade_needs_a_reason(cast: Cast, client: Client) -> None:
    tearline = services.tearline_save(by=cast.alice, title="T", text="x", sources=[cast.item])
    services.downgrade_request(by=cast.alice, tearline=tearline, level=level("np"), reason="Sanitised.")
    login_as(client, cast.heidi)
    decide = reverse("releases:tearline_downgrade_decide", args=[tearline.pk])
    response = client.post(decide, {"decision": "refuse", "reason": ""})
    assert "Say why the downgrade is refused." in text(response)
    assert client.post(decide, {"decision": "refuse", "reason": "The text still names the route."}).status_code == 302
    tearline.refresh_from_db()
    assert tearline.downgrade_status == DowngradeStatus.REFUSED and tearline.classification.rank == 1


def test_a_tearline_submitted_for_release_is_locked(cast: Cast, client: Client) -> None:
    tearline = services.tearline_save(by=cast.alice, title="T", text="x", sources=[cast.item])
    make_agreement(cast.carol, cast.open_partner)
    release = services.release_create(
        by=cast.alice,
        partner=cast.open_partner,
        justification="Giving it back.",
        content=services.Content(tearline=tearline),
    )
    services.release_submit(by=cast.alice, release=release)
    login_as(client, cast.alice)
    page = client.get(reverse("releases:tearline_detail", args=[tearline.pk]))
    assert not page.context["can_request"] and page.context["is_locked"]
    response = client.post(
        reverse("releases:tearline_downgrade_request", args=[tearline.pk]),
        {"level": level("np").pk, "reason": "Sanitised."},
    )
    assert "its classification no longer changes" in text(response)
    response = client.post(
        reverse("releases:tearline_edit", args=[tearline.pk]),
        {"title": "Changed", "text": "y", "sources": [str(cast.item.pk)]},
    )
    assert "This tearline is fixed" in text(response)
    tearline.refresh_from_db()
    assert tearline.downgrade_status == "" and tearline.title == "T"


def test_a_closed_request_cannot_be_answered_again(cast: Cast, client: Client) -> None:
    release = blocked_release(cast)
    request = services.consent_request_open(
        by=cast.alice, release=release, originator=services.item_originator(cast.item), message="May we?"
    )
    services.consent_request_withdraw(by=cast.alice, request=request)
    login_as(client, cast.alice)
    url = reverse("releases:consent_create") + f"?request={request.pk}"
    response = client.get(url, follow=True)
    assert "already closed" in text(response)
    response = client.post(reverse("releases:consent_create"), consent_data(cast, request=str(request.pk)))
    assert response.status_code == 200 and response.context["form"].errors["request"]
    assert not Consent.objects.exists()


def test_a_consent_for_a_partner_the_reader_may_not_see_does_not_name_it(cast: Cast, client: Client) -> None:
    consent = services.consent_record(
        by=cast.carol,
        originator_kind="partner",
        originator_partner=cast.open_partner,
        items=[cast.item],
        partner=cast.prolif_partner,  # proliferation: alice does not hold the compartment
        granted=True,
        reference="MSG-7",
    )
    login_as(client, cast.alice)
    listed = text(client.get(reverse("releases:consent_list")))
    detail = text(client.get(reverse("releases:consent_detail", args=[consent.pk])))
    for page in (listed, detail):
        assert "MSG-7" in page and "a partner service you may not see" in page and "Prolif" not in page
    filtered = client.get(reverse("releases:consent_list"), {"partner": str(cast.prolif_partner.pk)})
    assert list(filtered.context["page"].object_list) == []
    login_as(client, cast.carol)
    assert "Prolif partner" in text(client.get(reverse("releases:consent_detail", args=[consent.pk])))


def test_a_consent_without_an_originator_says_what_is_missing(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    response = client.post(reverse("releases:consent_create"), consent_data(cast, originator=""))
    assert response.status_code == 200 and "This field is required." in text(response)
    assert not Consent.objects.exists()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_request_and_tearline_lists_answer_in_a_constant_number_of_queries(cast: Cast, client: Client) -> None:
    release = blocked_release(cast)

    def add(count: int) -> None:
        for n in range(count):
            services.consent_request_open(
                by=cast.alice,
                release=release,
                originator=services.item_originator(cast.item),
                message=f"May we? ({n})",
                answer_due=timezone.localdate() - timedelta(days=n % 2),
            )
            services.tearline_save(by=cast.alice, title=f"T{n}", text="x", sources=[cast.item])

    login_as(client, cast.alice)
    requests, tearlines = reverse("releases:consent_request_list"), reverse("releases:tearline_list")
    add(2)
    client.get(requests), client.get(tearlines)  # warm the session and content-type caches
    few = (_queries(client, requests), _queries(client, tearlines))
    add(12)
    assert (_queries(client, requests), _queries(client, tearlines)) == few
