"""Two-step login: password, then a TOTP code (enrolled at first login); lockout; session limits."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyotp
import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import User
from liaison.accounts.services import TOTP_PURPOSE
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.core.crypto import unseal
from liaison.testing.cast import PASSWORD, Cast
from liaison.testing.matrix import login_as

LOGIN = "/accounts/login/"


def password_step(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def enrol(client: Client) -> str:
    """Go through enrolment like a user with an authenticator app; returns the secret."""
    page = client.get(reverse("accounts:enrol"))
    secret = page.context["secret"].replace(" ", "")
    response = client.post(reverse("accounts:enrol"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response["Location"] == "/"
    return secret


def test_first_login_requires_enrolling_a_second_factor(cast: Cast, client: Client) -> None:
    response = password_step(client, "alice")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:enrol")
    assert client.get("/").status_code == 302  # not logged in yet
    page = client.get(reverse("accounts:enrol"))
    assert b"<svg" in page.content  # the QR code, inline, no external asset
    enrol(client)
    assert client.get("/").status_code == 200
    alice = User.objects.get(pk=cast.alice.pk)
    assert alice.has_second_factor and "JBSW" not in alice.totp_secret_sealed
    assert AuditEntry.objects.filter(event=AuditEvent.SECOND_FACTOR_ENROLLED, target_id=str(alice.pk)).exists()


def test_later_logins_ask_for_the_code_and_refuse_a_wrong_one(cast: Cast, client: Client) -> None:
    password_step(client, "alice")
    secret = enrol(client)
    client.post(reverse("accounts:logout"))
    response = password_step(client, "alice")
    assert response["Location"] == reverse("accounts:second_factor")
    wrong = client.post(reverse("accounts:second_factor"), {"code": "000000"})
    assert wrong.status_code == 200 and "not valid" in wrong.content.decode()
    malformed = client.post(reverse("accounts:second_factor"), {"code": "12ab"})
    assert malformed.status_code == 200 and "6 digits" in malformed.content.decode()
    totp = pyotp.TOTP(secret)
    code = totp.at(timezone.now() + timedelta(seconds=30))  # next step: the enrolment code is spent
    assert client.post(reverse("accounts:second_factor"), {"code": code}).status_code == 302
    assert client.get("/").status_code == 200


def test_a_code_cannot_be_replayed(cast: Cast, client: Client) -> None:
    password_step(client, "alice")
    secret = enrol(client)
    client.post(reverse("accounts:logout"))
    password_step(client, "alice")
    code = pyotp.TOTP(secret).now()  # the same code that enrolment just used
    response = client.post(reverse("accounts:second_factor"), {"code": code})
    assert response.status_code == 200 and "not valid" in response.content.decode()


def test_wrong_passwords_lock_the_account_and_say_so(cast: Cast, client: Client) -> None:
    client.cookies.load({"django_language": "en"})
    for _ in range(4):
        response = password_step(client, "alice", "wrong password")
        assert "Wrong login name or password" in response.content.decode()
    response = password_step(client, "alice", "wrong password")
    assert User.objects.get(pk=cast.alice.pk).is_locked
    assert AuditEntry.objects.filter(event=AuditEvent.LOGIN_LOCKED, target_id=str(cast.alice.pk)).exists()
    # Even the right password is refused while locked, with a message that says what to do.
    response = password_step(client, "alice")
    assert response.status_code == 200
    assert reverse("accounts:enrol") not in response.headers.get("Location", "")
    assert "ask an administrator to unlock it" in response.content.decode()


def test_unknown_names_get_the_same_answer_as_wrong_passwords(cast: Cast, client: Client) -> None:
    client.cookies.load({"django_language": "en"})
    unknown = password_step(client, "nobody", "whatever")
    wrong = password_step(client, "alice", "whatever")
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()


def test_malformed_login_forms_get_field_errors_not_a_crash(cast: Cast, client: Client) -> None:
    response = client.post(LOGIN, {"username": "x" * 500})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"username", "password"}


@override_settings(DEMO=True)
def test_demo_accounts_skip_the_second_factor_only_in_demo_mode(cast: Cast, client: Client) -> None:
    User.objects.filter(pk=cast.bob.pk).update(is_demo=True)
    response = password_step(client, "bob")
    assert response.status_code == 302 and response["Location"] == "/"
    client.post(reverse("accounts:logout"))
    with override_settings(DEMO=False):
        assert password_step(client, "bob")["Location"] == reverse("accounts:enrol")


def test_the_next_parameter_cannot_send_users_elsewhere(cast: Cast, client: Client) -> None:
    User.objects.filter(pk=cast.bob.pk).update(is_demo=True)
    with override_settings(DEMO=True):
        response = client.post(f"{LOGIN}?next=https://evil.example/", {"username": "bob", "password": PASSWORD})
    assert response["Location"] == "/"


def test_sessions_end_after_the_absolute_limit(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    assert client.get("/").status_code == 200
    session = client.session
    session["authenticated_at"] = (timezone.now() - timedelta(hours=11)).isoformat()
    session.save()
    assert client.get("/").status_code == 302
    assert client.get("/")["Location"].startswith(reverse("accounts:login"))


def test_activity_pushes_the_idle_timeout_back_without_a_write_per_request(cast: Cast, client: Client, clock) -> None:
    from django.contrib.sessions.models import Session

    login_as(client, cast.alice)
    assert client.get("/").status_code == 200
    key = client.session.session_key

    def expiry() -> datetime:
        return Session.objects.get(session_key=key).expire_date

    first = expiry()
    assert first == clock.now + timedelta(minutes=15)
    clock.advance(30)  # within the touch interval: the session is not written again
    assert client.get("/").status_code == 200
    assert expiry() == first
    clock.advance(31)  # a minute after the last save: this request pushes the expiry back
    assert client.get("/").status_code == 200
    assert expiry() == clock.now + timedelta(minutes=15)
    clock.advance(15 * 60 + 1)  # idle past the timeout: the session is gone
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_logout_needs_a_post(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_login_step_pages_without_a_password_step_send_back_to_login(db, client: Client) -> None:
    for name in ("accounts:second_factor", "accounts:enrol"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("accounts:login")


@pytest.mark.parametrize("hasher_prefix", ["argon2"])
def test_production_hashes_passwords_with_argon2(db, hasher_prefix: str) -> None:
    from liaison import settings as production

    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        assert make_password("a long passphrase").startswith(hasher_prefix)


def test_totp_secrets_are_sealed_at_rest(cast: Cast, client: Client) -> None:
    password_step(client, "alice")
    secret = enrol(client)
    sealed = User.objects.get(pk=cast.alice.pk).totp_secret_sealed
    assert secret not in sealed
    assert unseal(sealed, purpose=TOTP_PURPOSE) == secret


def test_unknown_names_lock_like_real_accounts(cast: Cast, client: Client) -> None:
    from django.core.cache import cache

    cache.clear()
    answers = {}
    for name in ("alice", "nobody-at-all"):
        for _ in range(5):
            response = password_step(client, name, "wrong password")
        answers[name] = response.context["form"].non_field_errors()
    assert answers["alice"] == answers["nobody-at-all"]
    assert "locked" in str(answers["nobody-at-all"])
