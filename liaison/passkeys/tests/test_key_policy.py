"""The per-role policy (LIAISON_KEY_REQUIRED_ROLES), the code as a fallback where allowed, revocation, the
administrators' reset, the factor each account holds, and where the relying party comes from."""

from __future__ import annotations

import json
from typing import Any

import pyotp
import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from liaison.accounts import services as account_services
from liaison.accounts.models import User
from liaison.accounts.services import TOTP_PURPOSE, LoginRefused
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.core.crypto import seal
from liaison.passkeys import relying_party
from liaison.passkeys.models import SecurityKey
from liaison.passkeys.selectors import factor_summary, phishing_resistant_share
from liaison.passkeys.tests.test_key_login import (
    enrol_from_profile,
    key_page_options,
    new_client,
    password_step,
    post_assertion,
)
from liaison.testing.cast import PASSWORD, Cast
from liaison.testing.matrix import login_as
from liaison.testing.webauthn import SoftKey


@pytest.fixture(autouse=True)
def relying_party_settings(settings: Any) -> None:
    settings.LIAISON_WEBAUTHN_RP_ID = "localhost"
    settings.LIAISON_WEBAUTHN_ORIGINS = ["http://localhost:8000"]
    settings.LIAISON_KEY_REQUIRED_ROLES = ["administrator", "release_authority"]


def give_code(user: User) -> str:
    secret = pyotp.random_base32()
    user.totp_secret_sealed = seal(secret, purpose=TOTP_PURPOSE)
    user.totp_confirmed_at = timezone.now()
    user.save(update_fields=["totp_secret_sealed", "totp_confirmed_at"])
    return secret


def enrol_at_login(client: Client, key: SoftKey, name: str = "Admin key") -> Any:
    page = client.get(reverse("passkeys:login_enrol"))
    assert page.status_code == 200, page
    return client.post(
        reverse("passkeys:login_enrol"), {"name": name, "credential": key.register(page.context["options"])}
    )


def test_a_required_role_without_any_factor_enrols_a_key_not_a_code(cast: Cast, client: Client) -> None:
    response = password_step(client, "frank")
    assert response["Location"] == reverse("passkeys:login_enrol")
    assert client.get(reverse("accounts:enrol"))["Location"] == reverse("passkeys:login_enrol")
    done = enrol_at_login(client, SoftKey())
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").status_code == 200
    login = AuditEntry.objects.filter(event=AuditEvent.LOGIN_SUCCEEDED).latest("seq")
    assert json.loads(login.extra)["factor"] == "key"


def test_a_required_role_with_a_code_only_passes_it_then_must_enrol_a_key(cast: Cast, client: Client) -> None:
    secret = give_code(cast.heidi)
    assert password_step(client, "heidi")["Location"] == reverse("accounts:second_factor")
    # Without the code first, the enrolment page sends back to the code.
    assert client.get(reverse("passkeys:login_enrol"))["Location"] == reverse("accounts:second_factor")
    after_code = client.post(reverse("accounts:second_factor"), {"code": pyotp.TOTP(secret).now()})
    assert after_code["Location"] == reverse("passkeys:login_enrol")
    assert client.get("/").status_code == 302  # the code alone opens no session for this role
    assert enrol_at_login(client, SoftKey())["Location"] == "/"
    assert SecurityKey.objects.filter(user=cast.heidi).count() == 1


def test_once_a_required_role_holds_a_key_codes_are_refused(cast: Cast, client: Client) -> None:
    secret = give_code(cast.frank)
    key = SoftKey()
    enrol_from_profile(new_client(), cast.frank, key)
    assert password_step(client, "frank")["Location"] == reverse("passkeys:login")
    assert client.get(reverse("passkeys:login")).context["code_allowed"] is False
    assert client.get(reverse("accounts:second_factor"))["Location"] == reverse("passkeys:login")
    posted = client.post(reverse("accounts:second_factor"), {"code": pyotp.TOTP(secret).now()})
    assert posted["Location"] == reverse("passkeys:login") and client.get("/").status_code == 302
    request = RequestFactory().post("/accounts/login/code/")
    with pytest.raises(LoginRefused, match="requires your security key"):
        account_services.second_factor_check(request=request, user=cast.frank, code=pyotp.TOTP(secret).now())
    assert AuditEntry.objects.filter(event=AuditEvent.SECOND_FACTOR_KEY_REQUIRED).count() == 1
    assert post_assertion(client, key.assertion(key_page_options(client)))["Location"] == "/"


def test_other_roles_keep_the_code_as_a_fallback(cast: Cast, client: Client) -> None:
    secret = give_code(cast.alice)
    enrol_from_profile(new_client(), cast.alice, SoftKey())
    assert password_step(client, "alice")["Location"] == reverse("passkeys:login")
    page = client.get(reverse("passkeys:login"))
    assert page.context["code_allowed"] is True and reverse("accounts:second_factor") in page.content.decode()
    code_page = client.get(reverse("accounts:second_factor"))
    assert code_page.status_code == 200 and reverse("passkeys:login") in code_page.content.decode()
    done = client.post(reverse("accounts:second_factor"), {"code": pyotp.TOTP(secret).now()})
    assert done["Location"] == "/"
    assert json.loads(AuditEntry.objects.filter(event=AuditEvent.LOGIN_SUCCEEDED).latest("seq").extra)["factor"] == (
        "totp"
    )


def test_a_user_without_a_factor_may_choose_a_key_over_a_code(cast: Cast, client: Client) -> None:
    assert password_step(client, "bob")["Location"] == reverse("accounts:enrol")
    assert enrol_at_login(client, SoftKey(), name="Bob's key")["Location"] == "/"


def test_revocation_needs_the_password_and_is_audited(cast: Cast, client: Client) -> None:
    enrol_from_profile(client, cast.alice, SoftKey())
    key = SecurityKey.objects.get(user=cast.alice)
    url = reverse("passkeys:revoke", args=[key.pk])
    wrong = client.post(url, {"password": "not my password at all"})
    assert "not your password" in wrong.content.decode()
    assert client.post(url, {"password": PASSWORD})["Location"] == reverse("passkeys:list")
    key.refresh_from_db()
    assert key.is_revoked and key.revoked_by == cast.alice
    entry = AuditEntry.objects.get(event=AuditEvent.KEY_REVOKED)
    assert json.loads(entry.extra)["key"] == str(key.pk) and entry.actor_id == str(cast.alice.pk)
    assert client.get(url).status_code == 404  # a revoked key is gone from the user's pages


def test_a_required_role_cannot_revoke_its_last_key(cast: Cast, client: Client) -> None:
    enrol_from_profile(client, cast.frank, SoftKey())
    first = SecurityKey.objects.get(user=cast.frank)
    refused = client.post(reverse("passkeys:revoke", args=[first.pk]), {"password": PASSWORD})
    assert "enrol another key before you revoke your last one" in refused.content.decode()
    assert not SecurityKey.objects.get(pk=first.pk).is_revoked
    enrol_from_profile(client, cast.frank, SoftKey(), name="Spare key")
    assert client.post(reverse("passkeys:revoke", args=[first.pk]), {"password": PASSWORD}).status_code == 302


def test_the_administrators_reset_revokes_the_keys_too(cast: Cast, client: Client) -> None:
    enrol_from_profile(new_client(), cast.bob, SoftKey())
    login_as(client, cast.frank)
    listed = client.get(reverse("accounts:user_list")).content.decode()
    assert "security key" in listed
    response = client.post(reverse("accounts:user_reset_second_factor", args=[cast.bob.pk]))
    assert response.status_code == 302
    assert not SecurityKey.objects.filter(user=cast.bob, revoked_at__isnull=True).exists()
    entry = AuditEntry.objects.filter(event=AuditEvent.SECOND_FACTOR_RESET).latest("seq")
    assert json.loads(entry.extra)["keys_revoked"] == 1
    assert password_step(new_client(), "bob")["Location"] == reverse("accounts:enrol")


def test_the_share_of_phishing_resistant_accounts(cast: Cast) -> None:
    before = factor_summary()
    give_code(cast.alice)
    give_code(cast.bob)
    enrol_from_profile(new_client(), cast.bob, SoftKey())
    enrol_from_profile(new_client(), cast.carol, SoftKey())
    enrol_from_profile(new_client(), cast.carol, SoftKey(), name="Spare")
    SecurityKey.objects.create(
        user=cast.dave, name="Old", credential_id="revoked", public_key=b"", revoked_at=timezone.now()
    )
    after = factor_summary()
    assert after.accounts == before.accounts
    assert after.with_key == before.with_key + 2  # bob and carol; dave's key is revoked, carol counts once
    assert after.with_totp_only == before.with_totp_only + 1  # alice; bob counts with his key
    assert after.with_key + after.with_totp_only + after.without_factor == after.accounts
    assert phishing_resistant_share() == pytest.approx(after.with_key / after.accounts)


def test_the_profile_shows_the_factor(cast: Cast, client: Client) -> None:
    login_as(client, cast.frank)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "your role requires a security key" in page and reverse("passkeys:list") in page


def test_the_relying_party_comes_from_settings_the_base_url_or_the_demo_host(settings: Any) -> None:
    request = RequestFactory().get("/", HTTP_HOST="localhost:8102")
    assert relying_party.rp_id(request) == "localhost"
    settings.LIAISON_WEBAUTHN_RP_ID = ""
    settings.LIAISON_WEBAUTHN_ORIGINS = []
    settings.LIAISON_BASE_URL = "https://liaison.office.example:8443"
    settings.DEMO = False
    assert relying_party.rp_id(request) == "liaison.office.example"
    assert relying_party.origins(request) == ["https://liaison.office.example:8443"]
    settings.DEMO = True
    settings.ALLOWED_HOSTS = ["localhost"]
    assert relying_party.rp_id(request) == "localhost"
    assert relying_party.origins(request) == ["http://localhost:8102"]


def test_an_unknown_role_in_the_policy_stops_the_instance(settings: Any) -> None:
    settings.LIAISON_KEY_REQUIRED_ROLES = ["administrator", "adminstrator"]
    with pytest.raises(SystemCheckError, match="adminstrator"):
        call_command("check")
