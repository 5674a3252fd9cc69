"""The REST API: personal tokens, the read rule on every list and detail, exchanges and versioned items, the
report workflow, bad input, and the OpenAPI description."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from liaison.api.models import ApiToken
from liaison.api.services import api_token_create, api_token_revoke
from liaison.audit.models import AuditEntry
from liaison.testing.api_matrix import office_exchange, secret_exchange
from liaison.testing.cast import Cast, level
from liaison.testing.matrix import login_as

API = "/api/v1"


def token_for(user: Any) -> dict[str, str]:
    _token, raw = api_token_create(user=user, name="test script")
    return {"Authorization": f"Token {raw}"}


def post(client: Client, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
    return client.post(url, data, content_type="application/json", **kwargs)


def patch(client: Client, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
    return client.patch(url, data, content_type="application/json", **kwargs)


# ---------------------------------------------------------------- tokens


def test_a_valid_token_acts_as_its_user(cast: Cast, client: Client) -> None:
    response = client.get(f"{API}/partners/", headers=token_for(cast.bob))
    assert response.status_code == 200
    assert [p["name"] for p in response.json()["results"]] == ["Open partner"]


def test_requests_without_credentials_are_asked_to_authenticate(cast: Cast, client: Client) -> None:
    response = client.get(f"{API}/partners/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


def test_a_wrong_token_is_refused(cast: Cast, client: Client) -> None:
    for header in ("Token not-a-real-token", "Token", "Token two parts"):
        response = client.get(f"{API}/partners/", headers={"Authorization": header})
        assert response.status_code == 401, header
    response = client.get(f"{API}/partners/", headers={"Authorization": "Token not-a-real-token"})
    assert "Invalid token" in response.json()["detail"]


def test_an_expired_token_is_refused_with_a_clear_message(cast: Cast, client: Client) -> None:
    token, raw = api_token_create(user=cast.alice, name="old script")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(f"{API}/partners/", headers={"Authorization": f"Token {raw}"})
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_revoked_token_is_refused_and_the_refusal_is_audited(cast: Cast, client: Client) -> None:
    token, raw = api_token_create(user=cast.alice, name="script")
    api_token_revoke(by=cast.alice, token=token)
    response = client.get(f"{API}/partners/", headers={"Authorization": f"Token {raw}"})
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert AuditEntry.objects.filter(event="login.failed", target_id=str(token.pk)).exists()


def test_a_token_of_an_inactive_account_is_refused(cast: Cast, client: Client) -> None:
    headers = token_for(cast.alice)
    cast.alice.is_active = False
    cast.alice.save(update_fields=["is_active"])
    response = client.get(f"{API}/partners/", headers=headers)
    assert response.status_code == 401
    assert "inactive" in response.json()["detail"]


def test_a_token_is_stored_hashed_and_shown_only_once(cast: Cast) -> None:
    token, raw = api_token_create(user=cast.alice, name="script")
    token.refresh_from_db()
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.key_prefix == raw[:8]
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert raw not in stored
    entry = AuditEntry.objects.get(event="object.created", target_id=str(token.pk))
    assert raw not in entry.extra
    assert token.expires_at - timezone.now() > timedelta(days=89)


def test_last_use_is_recorded_at_most_once_a_minute(cast: Cast, client: Client) -> None:
    token, raw = api_token_create(user=cast.alice, name="script")
    headers = {"Authorization": f"Token {raw}"}
    client.get(f"{API}/partners/", headers=headers)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get(f"{API}/partners/", headers=headers)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get(f"{API}/partners/", headers=headers)
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > first


def test_a_token_follows_its_users_clearance_on_the_next_request(cast: Cast, client: Client) -> None:
    headers = token_for(cast.alice)
    url = f"{API}/partners/{cast.secret_partner.pk}/"
    assert client.get(url, headers=headers).status_code == 200
    cast.alice.clearance = level("dr")
    cast.alice.save(update_fields=["clearance"])
    assert client.get(url, headers=headers).status_code == 404


def test_the_tokens_page_shows_a_new_token_once_and_guards_others_tokens(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    created = client.post("/api/tokens/new/", {"name": "Reporting script"})
    token = ApiToken.objects.get(user=cast.alice)
    raw_shown = [line for line in created.content.decode().splitlines() if 'class="secret"' in line]
    assert len(raw_shown) == 1
    assert token.key_prefix in raw_shown[0]
    assert 'class="secret"' not in client.get("/api/tokens/").content.decode()
    bobs, _raw = api_token_create(user=cast.bob, name="Bob's")
    assert client.post(f"/api/tokens/{bobs.pk}/revoke/").status_code == 404
    bobs.refresh_from_db()
    assert bobs.revoked_at is None
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


# ---------------------------------------------------------------- the read rule


def test_an_object_outside_the_audience_answers_404_like_an_unknown_id(cast: Cast, client: Client) -> None:
    headers = token_for(cast.bob)
    hidden = client.get(f"{API}/partners/{cast.secret_partner.pk}/", headers=headers)
    unknown = client.get(f"{API}/partners/{uuid.uuid4()}/", headers=headers)
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json()


def test_hidden_objects_are_absent_from_lists_and_counts(cast: Cast, client: Client) -> None:
    office_exchange(cast)
    hidden = secret_exchange(cast)
    bob, alice = token_for(cast.bob), token_for(cast.alice)
    assert client.get(f"{API}/exchanges/{hidden.pk}/", headers=bob).status_code == 404
    listed = client.get(f"{API}/exchanges/", headers=bob).json()
    assert str(hidden.pk) not in {e["id"] for e in listed["results"]}
    assert client.get(f"{API}/exchanges/", headers=alice).json()["count"] == listed["count"] + 1
    by_partner = client.get(f"{API}/exchanges/?partner={cast.secret_partner.pk}", headers=bob).json()
    assert by_partner["count"] == 0
    partners = client.get(f"{API}/partners/?page_size=1", headers=bob).json()
    assert partners["count"] == 1 and partners["next"] is None


def test_markings_are_shown_as_a_nested_object(cast: Cast, client: Client) -> None:
    detail = client.get(f"{API}/partners/{cast.secret_partner.pk}/", headers=token_for(cast.alice)).json()
    assert detail["markings"]["classification"] == "SECRET"
    assert detail["markings"]["rank"] == 3
    assert detail["markings"]["compartments"] == ["terrorism"]


# ---------------------------------------------------------------- exchanges and items


def exchange_payload(cast: Cast, **changes: Any) -> dict[str, Any]:
    return {
        "kind": "meeting",
        "title": "Meeting in Brussels",
        "occurred_at": "2025-03-01T10:00:00",
        "time_zone": "Europe/Brussels",
        "partners": [str(cast.open_partner.pk)],
        "participants": ["BOB"],
        "zones": ["europe"],
        "classification": "dr",
        "tlp": "amber",
    } | changes


def test_create_an_exchange_and_an_item_then_patch_the_item_into_a_new_version(cast: Cast, client: Client) -> None:
    headers = token_for(cast.alice)
    created = post(client, f"{API}/exchanges/", exchange_payload(cast), headers=headers)
    assert created.status_code == 201, created.json()
    exchange = created.json()
    assert exchange["participants"] == ["ALICE", "BOB"]
    assert exchange["markings"]["tlp"] == "AMBER"
    # 10:00 given without offset is read in the exchange's time zone (Brussels: UTC+1 in March).
    assert datetime.fromisoformat(exchange["occurred_at"]) == datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

    item_payload = {
        "exchange": exchange["id"],
        "direction": "received",
        "originator_kind": "partner",
        "originator_partner": str(cast.open_partner.pk),
        "title": "Travel of a suspect",
        "text": "The suspect travelled on 2 March.",
        "source_reliability": "B",
        "information_credibility": "2",
        "classification": "dr",
        "compartments": ["terrorism"],
    }
    item = post(client, f"{API}/items/", item_payload, headers=headers)
    assert item.status_code == 201, item.json()
    assert item.json()["version"] == 1
    item_url = f"{API}/items/{item.json()['id']}/"

    changed = patch(client, item_url, {"text": "The suspect travelled on 3 March."}, headers=headers)
    assert changed.status_code == 200, changed.json()
    assert changed.json()["version"] == 2
    assert changed.json()["markings"]["compartments"] == ["terrorism"]  # left out: kept as it was
    assert client.get(item_url, headers=headers).json()["text"] == "The suspect travelled on 3 March."
    versions = client.get(f"{item_url}versions/", headers=headers).json()
    assert [v["number"] for v in versions["results"]] == [2, 1]
    assert versions["results"][0]["changed_fields"] == ["text"]

    lowered = patch(client, item_url, {"compartments": []}, headers=headers)
    assert lowered.status_code == 422
    assert "raised, not lowered" in lowered.json()["detail"]
    same = patch(client, item_url, {"text": "The suspect travelled on 3 March."}, headers=headers)
    assert same.status_code == 422 and "Nothing changed" in same.json()["detail"]


def test_a_foreign_classification_is_accepted_as_scheme_and_code(cast: Cast, client: Client) -> None:
    payload = exchange_payload(cast, classification="be:r")
    created = post(client, f"{API}/exchanges/", payload, headers=token_for(cast.alice))
    assert created.status_code == 201, created.json()
    assert created.json()["markings"]["rank"] == 1


def test_a_role_refusal_is_a_403_that_names_the_rule(cast: Cast, client: Client) -> None:
    response = post(client, f"{API}/exchanges/", exchange_payload(cast), headers=token_for(cast.heidi))
    assert response.status_code == 403
    assert response.json()["rule"] == "role"
    assert "liaison officers" in response.json()["detail"]


# ---------------------------------------------------------------- bad input


def test_an_unknown_partner_reads_exactly_like_a_hidden_one(cast: Cast, client: Client) -> None:
    headers = token_for(cast.bob)
    unknown = post(client, f"{API}/exchanges/", exchange_payload(cast, partners=[str(uuid.uuid4())]), headers=headers)
    hidden = post(
        client, f"{API}/exchanges/", exchange_payload(cast, partners=[str(cast.secret_partner.pk)]), headers=headers
    )
    assert unknown.status_code == hidden.status_code == 422
    assert unknown.json() == hidden.json()
    assert unknown.json()["errors"] == {"partners": ["Unknown partner: choose one from the list."]}
    assert unknown.json()["code"] == "unprocessable"
    assert unknown.json()["detail"] == "partners: Unknown partner: choose one from the list."


def test_an_invalid_date_is_a_400(cast: Cast, client: Client) -> None:
    response = post(
        client, f"{API}/exchanges/", exchange_payload(cast, occurred_at="31/02/2025"), headers=token_for(cast.alice)
    )
    assert response.status_code == 400
    assert "occurred_at" in response.json()["errors"]


def test_an_unknown_compartment_is_a_422(cast: Cast, client: Client) -> None:
    payload = exchange_payload(cast, compartments=["terrorism", "astrology"])
    response = post(client, f"{API}/exchanges/", payload, headers=token_for(cast.alice))
    assert response.status_code == 422
    assert response.json()["errors"] == {"compartments": ["Unknown compartment: astrology."]}


def test_other_bad_markings_are_refused_400_off_the_schema_422_off_the_vocabulary(cast: Cast, client: Client) -> None:
    headers = token_for(cast.alice)
    for changes, status in (
        ({"classification": "nato:zz"}, 422),
        ({"tlp": "purple"}, 422),
        ({"releasable_to": ["XX"]}, 422),
        ({"releasable_to": ["XXX"]}, 400),
        ({"pap": "pink"}, 400),
    ):
        response = post(client, f"{API}/exchanges/", exchange_payload(cast, **changes), headers=headers)
        assert response.status_code == status, changes
        assert set(response.json()["errors"]) == set(changes), response.json()


def test_bad_filters_and_unknown_items_in_quotes_are_refused(cast: Cast, client: Client) -> None:
    headers = token_for(cast.alice)
    assert client.get(f"{API}/exchanges/?partner=nope", headers=headers).status_code == 400
    assert client.get(f"{API}/exchanges/?partner=", headers=headers).status_code == 400
    unknown_filter = client.get(f"{API}/exchanges/?search=x", headers=headers)
    assert unknown_filter.status_code == 400 and "Unknown filter" in unknown_filter.json()["errors"]["search"][0]
    assert client.get(f"{API}/exchanges/?page_size=0", headers=headers).status_code == 400
    assert client.get(f"{API}/exchanges/?page_size=200", headers=headers).status_code == 200
    report = post(client, f"{API}/reports/", {"exchange": str(office_exchange(cast).pk)}, headers=headers).json()
    quotes = {"quotes": [{"item": str(uuid.uuid4()), "extract": "…"}]}
    response = patch(client, f"{API}/reports/{report['id']}/", quotes, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"] == {"quotes": ["Unknown item: choose one from the list."]}


# ---------------------------------------------------------------- the report workflow


def test_the_report_workflow_through_the_api(cast: Cast, client: Client) -> None:
    alice, carol = token_for(cast.alice), token_for(cast.carol)
    exchange = office_exchange(cast)
    created = post(client, f"{API}/reports/", {"exchange": str(exchange.pk)}, headers=alice)
    assert created.status_code == 201, created.json()
    url = f"{API}/reports/{created.json()['id']}/"
    assert created.json()["status"] == "draft"

    assert client.get(url, headers=carol).status_code == 404  # a draft is the author's alone

    edited = patch(client, url, {"title": "Brussels meeting", "context": "Yearly meeting."}, headers=alice)
    assert edited.status_code == 200, edited.json()
    assert edited.json()["context"] == "Yearly meeting."
    assert post(client, f"{url}submit/", {}, headers=alice).json()["status"] == "submitted"
    again = post(client, f"{url}submit/", {}, headers=alice)
    assert again.status_code == 409
    assert again.json() == {"code": "conflict", "detail": "Only a draft or returned report can be submitted."}

    own = post(client, f"{url}approve/", {}, headers=alice)
    assert own.status_code == 403 and own.json()["rule"] == "role"
    returned = post(client, f"{url}return/", {"comment": "Add the assessment."}, headers=carol)
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["history"][-1]["comment"] == "Add the assessment."
    not_author = patch(client, url, {"assessment": "Mine."}, headers=carol)
    assert not_author.status_code == 403 and not_author.json()["rule"] == "author"

    assert patch(client, url, {"assessment": "Reliable partner."}, headers=alice).status_code == 200
    assert post(client, f"{url}submit/", {}, headers=alice).status_code == 200
    approved = post(client, f"{url}approve/", {}, headers=carol)
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    assert approved.json()["approved_by"] == "CAROL"
    assert approved.json()["signing_key_id"]
    frozen = patch(client, url, {"assessment": "Too late."}, headers=alice)
    assert frozen.status_code == 409 and "frozen" in frozen.json()["detail"]

    disseminated = post(client, f"{url}disseminate/", {"services": ["dct"]}, headers=carol)
    assert disseminated.status_code == 200, disseminated.json()
    assert [r["service"] for r in disseminated.json()["recipients"]] == ["dct"]
    acknowledged = post(client, f"{url}acknowledge/", {}, headers=token_for(cast.dave))
    assert acknowledged.status_code == 200
    assert acknowledged.json()["recipients"][0]["acknowledged_at"] is not None
    sent = client.get(f"{API}/reports/?status=disseminated", headers=alice).json()["results"]
    assert created.json()["id"] in {r["id"] for r in sent}
    assert created.json()["id"] not in {
        r["id"] for r in client.get(f"{API}/reports/", headers=token_for(cast.bob)).json()["results"]
    }


# ---------------------------------------------------------------- the OpenAPI description


def test_the_schema_is_an_openapi_document_for_logged_in_users_only(cast: Cast, client: Client) -> None:
    assert client.get(f"{API}/schema/").status_code == 401
    response = client.get(f"{API}/schema/?format=json", headers=token_for(cast.dave))
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Liaison API"
    assert f"{API}/items/{{id}}/versions/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    login_as(client, cast.erin)
    assert client.get(f"{API}/schema/").content.startswith(b"openapi:")


def test_api_lists_record_which_protected_objects_they_showed(cast, client) -> None:
    from liaison.audit.events import AuditEvent
    from liaison.audit.models import ReadRecord
    from liaison.testing.matrix import login_as

    login_as(client, cast.bob)
    client.get("/api/v1/partners/")
    entry = ReadRecord.objects.filter(event=AuditEvent.OBJECT_LIST_READ).latest("id")
    assert entry.actor_alias == "BOB" and entry.details["ids"] == [str(cast.open_partner.pk)]
    assert entry.details["view"].startswith("api:")
