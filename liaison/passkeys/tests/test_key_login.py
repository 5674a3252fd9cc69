"""Security keys through the pages, answered by a software key: enrolment, login, and each refusal (replay, another
session's challenge, another origin, another relying party, a counter going backwards, an unknown or revoked key,
an expired challenge, a malformed answer) named to the user and in the audit log."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from liaison.accounts.models import User
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.passkeys.models import SecurityKey
from liaison.testing.cast import PASSWORD, Cast
from liaison.testing.clock import Clock
from liaison.testing.matrix import login_as
from liaison.testing.webauthn import AAGUID, SoftKey

ORIGIN = "http://localhost:8000"


@pytest.fixture(autouse=True)
def relying_party(settings: Any) -> None:
    settings.LIAISON_WEBAUTHN_RP_ID = "localhost"
    settings.LIAISON_WEBAUTHN_ORIGINS = [ORIGIN]
    settings.LIAISON_KEY_REQUIRED_ROLES = ["administrator", "release_authority"]


def new_client() -> Client:
    client = Client()
    client.cookies.load({"django_language": "en"})
    return client


def enrol_from_profile(client: Client, user: User, key: SoftKey, name: str = "Blue key") -> Any:
    login_as(client, user)
    options = client.get(reverse("passkeys:add")).context["options"]
    return client.post(
        reverse("passkeys:add"), {"name": name, "password": PASSWORD, "credential": key.register(options)}
    )


def password_step(client: Client, username: str) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def key_page_options(client: Client) -> dict[str, Any]:
    page = client.get(reverse("passkeys:login"))
    assert page.status_code == 200
    return dict(page.context["options"])


def post_assertion(client: Client, credential: str) -> Any:
    return client.post(reverse("passkeys:login"), {"credential": credential})


def refusals(check: str) -> list[AuditEntry]:
    entries = AuditEntry.objects.filter(event=AuditEvent.KEY_REFUSED)
    return [entry for entry in entries if json.loads(entry.extra).get("check") == check]


@pytest.fixture
def alice_key(cast: Cast) -> SoftKey:
    key = SoftKey()
    response = enrol_from_profile(new_client(), cast.alice, key)
    assert response.status_code == 302 and response["Location"] == reverse("passkeys:list")
    return key


def test_enrolment_stores_what_checks_and_identifies_the_key(cast: Cast, alice_key: SoftKey) -> None:
    stored = SecurityKey.objects.get(user=cast.alice)
    assert stored.name == "Blue key" and stored.credential_id == alice_key.id
    assert bytes(stored.public_key).startswith(b"\xa5") and stored.sign_count == 0
    assert stored.transports == ["nfc", "usb"] and stored.aaguid == str(__import__("uuid").UUID(bytes=AAGUID))
    assert not stored.is_backup_eligible and not stored.is_backed_up
    entry = AuditEntry.objects.get(event=AuditEvent.KEY_ENROLLED)
    assert entry.actor_id == str(cast.alice.pk) and json.loads(entry.extra)["key"] == str(stored.pk)


def test_enrolment_needs_the_password_and_a_name(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    options = client.get(reverse("passkeys:add")).context["options"]
    key = SoftKey()
    wrong = client.post(
        reverse("passkeys:add"), {"name": "Key", "password": "not it at all", "credential": key.register(options)}
    )
    assert wrong.status_code == 200 and "not your password" in wrong.content.decode()
    blank = client.post(reverse("passkeys:add"), {"name": "Key", "password": PASSWORD, "credential": ""})
    assert "no answer from a key was received" in blank.content.decode()
    assert not SecurityKey.objects.exists()


def test_a_passkey_records_its_backup_flags(cast: Cast) -> None:
    enrol_from_profile(new_client(), cast.bob, SoftKey(passkey=True))
    stored = SecurityKey.objects.get(user=cast.bob)
    assert stored.is_backup_eligible and stored.is_backed_up


def test_login_with_the_key_opens_the_session(cast: Cast, alice_key: SoftKey, client: Client) -> None:
    response = password_step(client, "alice")
    assert response["Location"] == reverse("passkeys:login")
    assert client.get("/").status_code == 302  # not logged in yet
    done = post_assertion(client, alice_key.assertion(key_page_options(client)))
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").status_code == 200
    stored = SecurityKey.objects.get(user=cast.alice)
    assert stored.sign_count == 1 and stored.last_used_at is not None
    login = AuditEntry.objects.filter(event=AuditEvent.LOGIN_SUCCEEDED).latest("seq")
    assert json.loads(login.extra)["factor"] == "key"


def test_a_replayed_assertion_is_refused_and_audited(cast: Cast, alice_key: SoftKey, client: Client) -> None:
    password_step(client, "alice")
    captured = alice_key.assertion(key_page_options(client))
    assert post_assertion(client, captured).status_code == 302
    client.post(reverse("accounts:logout"))
    password_step(client, "alice")
    key_page_options(client)  # a new challenge is waiting; the old answer is posted again
    replay = post_assertion(client, captured)
    assert replay.status_code == 200 and "already used" in replay.content.decode()
    assert client.get("/").status_code == 302
    assert len(refusals("replayed")) == 1
    assert refusals("replayed")[0].target_id == str(cast.alice.pk)


def test_an_answer_to_another_sessions_challenge_is_refused(cast: Cast, alice_key: SoftKey) -> None:
    first, second = new_client(), new_client()
    password_step(first, "alice")
    stolen = alice_key.assertion(key_page_options(first))
    password_step(second, "alice")
    key_page_options(second)
    refused = post_assertion(second, stolen)
    assert "made for another login" in refused.content.decode()
    assert refusals("foreign_challenge")
    # The challenge was not used up by the refusal in the other session: the right session still logs in.
    assert post_assertion(first, stolen).status_code == 302


def test_an_assertion_for_another_origin_is_refused(cast: Cast, alice_key: SoftKey, client: Client) -> None:
    password_step(client, "alice")
    phished = alice_key.assertion(key_page_options(client), origin="https://liaison.example-phish.net")
    refused = post_assertion(client, phished)
    assert "another web address" in refused.content.decode()
    (entry,) = refusals("origin")
    assert json.loads(entry.extra)["origin"] == "https://liaison.example-phish.net"


def test_an_assertion_for_another_relying_party_is_refused(cast: Cast, alice_key: SoftKey, client: Client) -> None:
    password_step(client, "alice")
    refused = post_assertion(client, alice_key.assertion(key_page_options(client), rp_id="example-phish.net"))
    assert "another site" in refused.content.decode()
    assert refusals("rp_id")


def test_a_counter_going_backwards_is_refused_as_a_copied_key(cast: Cast, alice_key: SoftKey, client: Client) -> None:
    password_step(client, "alice")
    post_assertion(client, alice_key.assertion(key_page_options(client), sign_count=7))
    client.post(reverse("accounts:logout"))
    password_step(client, "alice")
    refused = post_assertion(client, alice_key.assertion(key_page_options(client), sign_count=5))
    assert "counter went backwards" in refused.content.decode()
    (entry,) = refusals("counter")
    assert json.loads(entry.extra)["sign_count"] == 5 and json.loads(entry.extra)["stored_sign_count"] == 7
    assert SecurityKey.objects.get(user=cast.alice).sign_count == 7


def test_an_unknown_key_and_a_revoked_key_are_refused(cast: Cast, alice_key: SoftKey, client: Client) -> None:
    password_step(client, "alice")
    stranger = SoftKey()
    refused = post_assertion(client, stranger.assertion(key_page_options(client)))
    assert "not enrolled for your account" in refused.content.decode()
    assert refusals("unknown_credential")
    SecurityKey.objects.filter(user=cast.alice).update(revoked_at="2026-01-01T00:00Z")
    enrol_from_profile(new_client(), cast.alice, SoftKey(), name="Spare")  # she still has a key: the key step stays
    revoked = post_assertion(client, alice_key.assertion(key_page_options(client)))
    assert "was revoked" in revoked.content.decode()
    assert refusals("revoked_credential")


def test_a_key_of_another_user_is_refused_as_unknown(cast: Cast, alice_key: SoftKey, client: Client) -> None:
    bob_key = SoftKey()
    enrol_from_profile(new_client(), cast.bob, bob_key)
    password_step(client, "alice")
    refused = post_assertion(client, bob_key.assertion(key_page_options(client)))
    assert "not enrolled for your account" in refused.content.decode()


def test_an_expired_challenge_is_refused(cast: Cast, alice_key: SoftKey, client: Client, clock: Clock) -> None:
    password_step(client, "alice")
    late = alice_key.assertion(key_page_options(client))
    clock.advance(150)  # past LIAISON_KEY_CHALLENGE_SECONDS (120), within the login step (5 minutes)
    refused = post_assertion(client, late)
    assert "expired" in refused.content.decode()
    assert refusals("expired")


def test_a_malformed_answer_gets_a_clear_message(cast: Cast, alice_key: SoftKey, client: Client) -> None:
    password_step(client, "alice")
    key_page_options(client)
    for junk in ("{not json", '{"id": "x"}', '["a"]', "x" * 70_000):
        refused = post_assertion(client, junk)
        assert refused.status_code == 200
        text = refused.content.decode()
        assert "could not be read" in text or "no answer from a key was received" in text


def test_a_registration_answer_is_not_a_login(cast: Cast, alice_key: SoftKey, client: Client) -> None:
    password_step(client, "alice")
    refused = post_assertion(client, SoftKey().register(key_page_options(client)))
    assert "could not be read" in refused.content.decode() or "not for this step" in refused.content.decode()
