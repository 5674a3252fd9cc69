"""Aliases everywhere; the civil identity only through an administrator's audited, justified reveal."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as

WHY = "Court order 2026/117 requires the identity of the author."


def test_an_administrator_reveals_with_a_justification_that_is_audited(cast: Cast, client: Client) -> None:
    login_as(client, cast.frank)
    url = reverse("accounts:user_reveal", args=[cast.alice.pk])
    assert "Last-alice" not in client.get(url).content.decode()
    response = client.post(url, {"justification": WHY})
    assert "Last-alice" in response.content.decode()
    entry = AuditEntry.objects.get(event=AuditEvent.IDENTITY_REVEALED)
    assert entry.actor_alias == "FRANK" and entry.target_id == str(cast.alice.pk)
    assert entry.details["justification"] == WHY


def test_a_short_justification_is_refused_and_reveals_nothing(cast: Cast, client: Client) -> None:
    login_as(client, cast.frank)
    response = client.post(reverse("accounts:user_reveal", args=[cast.alice.pk]), {"justification": "because"})
    assert response.status_code == 200
    assert "Last-alice" not in response.content.decode()
    assert response.context["form"].errors["justification"]
    assert not AuditEntry.objects.filter(event=AuditEvent.IDENTITY_REVEALED).exists()


def test_civil_names_appear_nowhere_else(cast: Cast, client: Client) -> None:
    login_as(client, cast.frank)
    pages = [
        reverse("accounts:user_list"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[cast.alice.pk]),
        reverse("accounts:profile"),
        reverse("partners:list"),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "Last-alice" not in body and "First-alice" not in body, url
    assert "ALICE" in client.get(reverse("accounts:user_list")).content.decode()


def test_an_administrator_unlocks_a_locked_account(cast: Cast, client: Client) -> None:
    login_as(client, cast.frank)
    client.post(reverse("accounts:user_unlock", args=[cast.lou.pk]))
    cast.lou.refresh_from_db()
    assert not cast.lou.is_locked
    assert AuditEntry.objects.filter(event=AuditEvent.USER_UNLOCKED, target_id=str(cast.lou.pk)).exists()


def test_admin_changes_are_audited(cast: Cast, client: Client) -> None:
    login_as(client, cast.frank)
    response = client.post(
        reverse("admin:policy_zone_add"), {"code": "arctic", "name_fr": "Arctique", "name_en": "Arctic"}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(event=AuditEvent.VOCABULARY_CHANGED).latest("seq")
    assert entry.target_type == "policy.zone" and entry.details["action"] == "add"


def test_an_administrator_resets_a_lost_second_factor(cast: Cast, client: Client) -> None:
    login_as(client, cast.frank)
    client.post(reverse("accounts:user_reset_second_factor", args=[cast.lou.pk]))
    cast.lou.refresh_from_db()
    assert not cast.lou.has_second_factor and cast.lou.totp_secret_sealed == ""
    assert AuditEntry.objects.filter(event=AuditEvent.SECOND_FACTOR_RESET, target_id=str(cast.lou.pk)).exists()


def test_user_creation_refuses_unknown_roles(db) -> None:
    import pytest

    from liaison.accounts.services import user_create
    from liaison.core.exceptions import DomainError

    with pytest.raises(DomainError, match="Unknown role"):
        user_create(username="x", alias="X", password="p", service=None, roles=["wizard"], clearance=None, by=None)
