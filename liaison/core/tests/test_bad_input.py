"""Bad input at the edge, on pages and in the API: each refusal is a clear 4xx that says what to do, and leaves the
database exactly as it was (rows and audit entries). Runs on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
import socket
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from liaison.api.services import api_token_create
from liaison.exchanges.models import Exchange
from liaison.testing.cast import Cast, level
from liaison.testing.matrix import login_as
from liaison.testing.snapshot import database_rows

API = "/api/v1"
RLO = "\u202e"


def token(user: Any) -> dict[str, str]:
    return {"Authorization": f"Token {api_token_create(user=user, name='bad input')[1]}"}


def send(client: Client, method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return getattr(client, method)(url, data, content_type="application/json", headers=headers)


def exchange_body(cast: Cast, **changes: Any) -> dict[str, Any]:
    return {
        "kind": "meeting",
        "title": "Meeting",
        "occurred_at": "2026-03-01T10:00:00",
        "time_zone": "Europe/Paris",
        "partners": [str(cast.open_partner.pk)],
        "classification": "dr",
    } | changes


def exchange_form(cast: Cast, **changes: Any) -> dict[str, Any]:
    return {
        "kind": "meeting",
        "title": "Meeting",
        "occurred_at": "2026-03-01T10:00",
        "time_zone": "Europe/Paris",
        "partners": [cast.open_partner.pk],
        "classification": level("dr").pk,
        "handling_code": 0,
    } | changes


@pytest.fixture
def tokens(cast: Cast) -> dict[str, dict[str, str]]:
    # Tokens first: creating them writes audit entries, which must not count as the request's.
    return {"alice": token(cast.alice), "carol": token(cast.carol)}


# ---------------------------------------------------------------- dates and times


@pytest.mark.parametrize(
    ("occurred_at", "time_zone"),
    [
        ("9999-12-31T23:00:00", "America/New_York"),  # year 10000 in UTC: PostgreSQL stored it, nobody read it
        ("0001-01-01T00:30:00", "Asia/Tokyo"),  # year 0 in UTC
        ("1899-12-31T12:00:00", "Europe/Paris"),
        ("2200-01-01T00:00:00", "UTC"),
    ],
)
def test_dates_out_of_the_recordable_range_are_refused_by_the_api_and_write_nothing(
    cast: Cast, client: Client, tokens: dict[str, dict[str, str]], occurred_at: str, time_zone: str
) -> None:
    before = database_rows()
    body = exchange_body(cast, occurred_at=occurred_at, time_zone=time_zone)
    response = send(client, "post", f"{API}/exchanges/", body, tokens["alice"])
    assert response.status_code == 422
    assert response.json()["errors"]["occurred_at"] == [
        "Give a date between 1900 and 2199: this one cannot be recorded."
    ]
    assert database_rows() == before
    assert client.get(f"{API}/exchanges/", headers=tokens["alice"]).status_code == 200


@pytest.mark.parametrize(
    ("occurred_at", "time_zone"),
    [("9999-12-31T23:00", "America/New_York"), ("0001-01-01T00:30", "Asia/Tokyo")],
)
def test_dates_out_of_the_recordable_range_are_refused_by_the_form_and_write_nothing(
    cast: Cast, client: Client, occurred_at: str, time_zone: str
) -> None:
    login_as(client, cast.alice)
    before = database_rows()
    response = client.post(
        reverse("exchanges:create"), exchange_form(cast, occurred_at=occurred_at, time_zone=time_zone)
    )
    assert response.status_code == 200
    assert "Give a date between 1900 and 2199" in str(response.context["form"].errors["occurred_at"])
    assert database_rows() == before


def test_a_time_in_a_daylight_saving_gap_is_refused_alike_by_the_form_and_the_api(
    cast: Cast, client: Client, tokens: dict[str, dict[str, str]]
) -> None:
    login_as(client, cast.alice)
    before = database_rows()
    api = send(
        client, "post", f"{API}/exchanges/", exchange_body(cast, occurred_at="2026-03-29T02:30:00"), tokens["alice"]
    )
    form = client.post(reverse("exchanges:create"), exchange_form(cast, occurred_at="2026-03-29T02:30"))
    message = (
        "2026-03-29 02:30 does not exist in Europe/Paris: the clocks jump forward then. "
        "Did you mean 2026-03-29 01:30 +0100 or 2026-03-29 03:30 +0200?"
    )
    assert api.status_code == 422 and api.json()["errors"]["occurred_at"] == [message]
    assert form.context["form"].errors["occurred_at"] == [message]
    assert database_rows() == before


def test_a_time_that_happens_twice_needs_its_offset(
    cast: Cast, client: Client, tokens: dict[str, dict[str, str]]
) -> None:
    ambiguous = send(
        client, "post", f"{API}/exchanges/", exchange_body(cast, occurred_at="2026-10-25T02:30:00"), tokens["alice"]
    )
    assert ambiguous.status_code == 422
    assert "happens twice in Europe/Paris" in ambiguous.json()["errors"]["occurred_at"][0]
    with_offset = send(
        client,
        "post",
        f"{API}/exchanges/",
        exchange_body(cast, occurred_at="2026-10-25T02:30:00+01:00"),
        tokens["alice"],
    )
    assert with_offset.status_code == 201
    assert datetime.fromisoformat(with_offset.json()["occurred_at"]) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_the_form_reads_the_time_in_the_zone_chosen_not_in_the_servers(cast: Cast, client: Client) -> None:
    """02:30 on 29 March does not exist in Paris (the server's zone) but does in Tokyo."""
    login_as(client, cast.alice)
    response = client.post(
        reverse("exchanges:create"), exchange_form(cast, occurred_at="2026-03-29T02:30", time_zone="Asia/Tokyo")
    )
    assert response.status_code == 302
    exchange = Exchange.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert exchange.occurred_at == datetime(2026, 3, 28, 17, 30, tzinfo=UTC)


def test_agreement_dates_out_of_range_are_refused(cast: Cast, client: Client) -> None:
    login_as(client, cast.carol)
    before = database_rows()
    response = client.post(
        reverse("partners:agreement_create", args=[cast.open_partner.pk]),
        {"title": "Old", "themes": [], "valid_from": "0001-01-01", "valid_until": "9999-12-31"},
    )
    errors = response.context["form"].errors
    assert "Give a date between 1900 and 2199" in str(errors["valid_from"])
    assert "Give a date between 1900 and 2199" in str(errors["valid_until"])
    assert database_rows() == before


# ---------------------------------------------------------------- API bodies


def test_a_quote_without_its_item_is_a_400_not_a_crash(
    cast: Cast, client: Client, tokens: dict[str, dict[str, str]]
) -> None:
    url = f"{API}/reports/{cast.draft_report.pk}/"
    before = database_rows()
    bodies: list[dict[str, Any]] = [
        {"quotes": [{"extract": "x"}]},
        {"quotes": [{"item": str(cast.item.pk)}]},
        {"raise_to": {}},
    ]
    for body in bodies:
        response = send(client, "patch", url, body, tokens["alice"])
        assert response.status_code == 400, body
        assert response.json()["code"] == "invalid"
    assert database_rows() == before


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def write_requests(cast: Cast) -> list[tuple[str, str]]:
    report = f"{API}/reports/{cast.draft_report.pk}"
    return [
        ("post", f"{API}/exchanges/"),
        ("post", f"{API}/items/"),
        ("patch", f"{API}/items/{cast.item.pk}/"),
        ("post", f"{API}/reports/"),
        ("patch", f"{report}/"),
        ("post", f"{report}/return/"),
        ("post", f"{API}/reports/{cast.sent_report.pk}/disseminate/"),
    ]


def test_deeply_nested_json_is_refused_by_every_write_endpoint(
    cast: Cast, client: Client, tokens: dict[str, dict[str, str]]
) -> None:
    before = database_rows()
    for body in (deep(1100), '{"title": ' + deep(40) + "}", '{"a":' * 5000 + "1" + "}" * 5000):
        for method, url in write_requests(cast):
            response = send(client, method, url, body, tokens["alice"])
            assert response.status_code == 400, (method, url)
            assert response.json()["code"] == "parse_error"
            assert "nested more than 32 levels" in response.json()["detail"]
    assert database_rows() == before


def test_malformed_json_and_other_content_types_are_refused_in_json(
    cast: Cast, client: Client, tokens: dict[str, dict[str, str]]
) -> None:
    before = database_rows()
    broken = send(client, "post", f"{API}/exchanges/", '{"title": ', tokens["alice"])
    assert broken.status_code == 400 and broken.json()["code"] == "parse_error"
    nan = send(client, "post", f"{API}/exchanges/", '{"title": NaN}', tokens["alice"])
    assert nan.status_code == 400 and nan.json()["code"] == "parse_error"
    form = client.post(f"{API}/exchanges/", {"title": "x"}, headers=tokens["alice"])
    assert form.status_code == 415 and form.json()["code"] == "unsupported_media_type"
    assert database_rows() == before


def test_a_body_over_the_limit_is_a_413_in_json(
    cast: Cast, client: Client, tokens: dict[str, dict[str, str]], settings
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    before = database_rows()
    body = exchange_body(cast, notes="x" * 20_000)
    response = send(client, "post", f"{API}/exchanges/", body, tokens["alice"])
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert database_rows() == before


def test_direction_controls_are_refused_by_the_api_with_the_field_named(
    cast: Cast, client: Client, tokens: dict[str, dict[str, str]]
) -> None:
    before = database_rows()
    body = exchange_body(cast, title=f"Meeting {RLO}fdp.exe")
    response = send(client, "post", f"{API}/exchanges/", body, tokens["alice"])
    assert response.status_code == 422
    assert "U+202E" in response.json()["errors"]["title"][0]
    quotes = {"quotes": [{"item": str(cast.item.pk), "extract": f"a{RLO}b"}]}
    response = send(client, "patch", f"{API}/reports/{cast.draft_report.pk}/", quotes, tokens["alice"])
    assert list(response.json()["errors"]) == ["quotes.0.extract"]
    assert database_rows() == before


# ---------------------------------------------------------------- every API answer is JSON


def test_every_api_error_is_json_with_a_stable_code(
    cast: Cast, client: Client, tokens: dict[str, dict[str, str]]
) -> None:
    headers = tokens["alice"]
    answers = {
        "malformed id": client.get(f"{API}/reports/not-a-uuid/", headers=headers),
        "unknown path": client.get(f"{API}/nothing-here/", headers=headers),
        "unseen object": client.get(f"{API}/reports/{uuid.uuid4()}/", headers=headers),
        "wrong method": client.delete(f"{API}/reports/{cast.draft_report.pk}/", headers=headers),
        "no credentials": client.get(f"{API}/reports/"),
    }
    codes = {name: (answer.status_code, answer.json()["code"]) for name, answer in answers.items()}
    assert codes == {
        "malformed id": (404, "not_found"),
        "unknown path": (404, "not_found"),
        "unseen object": (404, "not_found"),
        "wrong method": (405, "method_not_allowed"),
        "no credentials": (401, "not_authenticated"),
    }
    assert all(answer["Content-Type"] == "application/json" for answer in answers.values())


def test_an_unexpected_error_in_the_api_is_a_json_500(cast: Cast, tokens: dict[str, dict[str, str]]) -> None:
    client = Client(raise_request_exception=False)
    client.cookies.load({"django_language": "en"})
    with mock.patch("liaison.api.views.report_list", side_effect=RuntimeError("boom")):
        response = client.get(f"{API}/reports/", headers=tokens["alice"])
    assert response.status_code == 500
    assert response.json() == {
        "code": "server_error",
        "detail": "Something went wrong on our side. Nothing was saved; try again.",
    }


def test_workflow_steps_out_of_order_are_409_conflicts(
    cast: Cast, client: Client, tokens: dict[str, dict[str, str]]
) -> None:
    before = database_rows()
    approve_sent = send(client, "post", f"{API}/reports/{cast.sent_report.pk}/approve/", {}, tokens["carol"])
    submit_sent = send(client, "post", f"{API}/reports/{cast.sent_report.pk}/submit/", {}, tokens["alice"])
    assert (approve_sent.status_code, approve_sent.json()["code"]) == (409, "conflict")
    assert submit_sent.status_code == 409
    assert database_rows() == before


# ---------------------------------------------------------------- pages


def test_direction_controls_are_removed_from_a_form_and_shown_before_anything_is_recorded(
    cast: Cast, client: Client
) -> None:
    login_as(client, cast.alice)
    before = database_rows()
    first = client.post(reverse("exchanges:create"), exchange_form(cast, title=f"Meeting {RLO}fdp.exe"))
    assert "U+202E" in str(first.context["form"].errors["title"])
    assert first.context["form"]["title"].value() == "Meeting fdp.exe"
    assert database_rows() == before
    second = client.post(reverse("exchanges:create"), exchange_form(cast, title=first.context["form"]["title"].value()))
    assert second.status_code == 302
    assert Exchange.objects.filter(title="Meeting fdp.exe").count() == 1


def test_a_json_body_posted_to_a_page_gets_a_message(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    before = database_rows()
    response = client.post(reverse("exchanges:create"), {"title": "x"}, content_type="application/json")
    assert response.status_code == 415
    assert "This page takes a form" in response.content.decode()
    assert database_rows() == before


def test_a_page_body_over_the_limit_gets_the_products_page_in_the_readers_language(
    cast: Cast, client: Client, settings
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    login_as(client, cast.alice)
    before = database_rows()
    response = client.post(reverse("exchanges:create"), exchange_form(cast, notes="x" * 5000))
    assert response.status_code == 413
    assert "larger than this instance accepts" in response.content.decode()
    assert database_rows() == before


# ---------------------------------------------------------------- the server's own limit


@pytest.fixture
def served() -> Iterator[int]:
    """The WSGI application behind waitress as `liaison serve` sets it up, with a 1 kB body limit."""
    from waitress.server import create_server

    from liaison.core.management.commands.serve import LiaisonChannel
    from liaison.wsgi import application

    server = create_server(application, host="127.0.0.1", port=0, max_request_body_size=1000, threads=1)
    server.channel_class = LiaisonChannel
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port
    server.close()


def raw_request(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(
    ("path", "language", "expected"),
    [
        ("/exchanges/new/", "fr", "dépassent la taille acceptée".encode()),
        ("/exchanges/new/", "en", b"larger than this instance accepts"),
        ("/api/v1/exchanges/", "en", b'"code": "request_too_large"'),
    ],
)
def test_a_body_over_the_servers_limit_gets_the_products_answer(
    served: int, path: str, language: str, expected: bytes
) -> None:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Cookie: django_language={language}\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n"
    )
    answer = raw_request(served, head.encode() + b"x" * 5000)
    assert answer.startswith(b"HTTP/1.1 413")
    assert expected in answer
