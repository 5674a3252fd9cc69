"""The follow-up API: strict filters, creation with default deadlines, actions, bad input, and the read rule."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from liaison.api.services import api_token_create
from liaison.followup.models import FollowUp
from liaison.followup.services import followup_create
from liaison.testing.cast import Cast

API = "/api/v1/followups/"


def token_for(user: Any) -> dict[str, str]:
    _token, raw = api_token_create(user=user, name="test script")
    return {"Authorization": f"Token {raw}"}


def post(client: Client, url: str, data: dict[str, Any], user: Any) -> Any:
    return client.post(url, data, content_type="application/json", headers=token_for(user))


def test_an_unknown_filter_is_refused_with_400(cast: Cast, client: Client) -> None:
    response = client.get(API, {"colour": "red"}, headers=token_for(cast.alice))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "colour" in response.json()["errors"]


def test_filters_and_the_read_rule(cast: Cast, client: Client) -> None:
    late = followup_create(by=cast.alice, kind="rfi_in", title="Late", owner=cast.alice, partner=cast.open_partner)
    FollowUp.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    followup_create(by=cast.alice, kind="task", title="Later", owner=cast.alice)
    response = client.get(API, {"overdue": "true"}, headers=token_for(cast.alice))
    assert [f["title"] for f in response.json()["results"]] == ["Late"]
    assert response.json()["results"][0]["partner"] == str(cast.open_partner.pk)
    response = client.get(API, {"kind": "task"}, headers=token_for(cast.alice))
    assert [f["title"] for f in response.json()["results"]] == ["Later"]
    assert client.get(API, headers=token_for(cast.bob)).json()["count"] == 0
    assert client.get(f"{API}{late.pk}/", headers=token_for(cast.bob)).status_code == 404


def test_create_a_partner_request_with_the_default_deadline(cast: Cast, client: Client) -> None:
    body = {"kind": "rfi_in", "title": "Plate number", "priority": "urgent", "partner": str(cast.open_partner.pk)}
    response = post(client, API, body, cast.alice)
    assert response.status_code == 201, response.json()
    followup = FollowUp.objects.get(pk=response.json()["id"])
    assert timedelta(hours=7, minutes=59) < followup.due_at - timezone.now() <= timedelta(hours=8)
    assert response.json()["history"][0]["action"] == "created"


def test_bad_input_is_refused_with_what_to_do(cast: Cast, client: Client) -> None:
    gap = post(client, API, {"kind": "task", "title": "x", "due_at": "2026-03-29T02:30"}, cast.alice)
    assert gap.status_code in (422, 400) and "does not exist" in str(gap.json())  # alice's zone: Europe/Paris
    past = post(client, API, {"kind": "task", "title": "x", "due_at": "2020-01-01T10:00:00Z"}, cast.alice)
    assert past.status_code == 422 and "in the past" in past.json()["detail"]
    stranger = post(client, API, {"kind": "task", "title": "x", "owner": str(cast.dave.pk)}, cast.alice)
    assert stranger.status_code == 422 and "Unknown owner" in str(stranger.json())
    unseen = post(client, API, {"kind": "task", "title": "x", "partner": str(cast.prolif_partner.pk)}, cast.alice)
    assert unseen.status_code == 422 and "Unknown partner" in str(unseen.json())


def test_acknowledge_then_answer_an_incoming_request(cast: Cast, client: Client) -> None:
    followup = followup_create(by=cast.alice, kind="rfi_in", title="Q", owner=cast.alice, partner=cast.open_partner)
    url = f"{API}{followup.pk}/"
    early = post(client, url + "acknowledge/", {"estimate_at": "2020-01-01T10:00:00Z"}, cast.alice)
    assert early.status_code == 422 and "earlier than the acknowledgement" in early.json()["detail"]
    ok = post(client, url + "acknowledge/", {"estimate_at": "2030-01-01T10:00:00Z"}, cast.alice)
    assert ok.status_code == 200 and ok.json()["status"] == "acknowledged"
    answered = post(client, url + "answer/", {"outcome": "Sent.", "items": [str(cast.item.pk)]}, cast.alice)
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    closed = post(client, url + "comment/", {"comment": "More"}, cast.alice)
    assert closed.status_code == 409 and closed.json()["code"] == "conflict"
