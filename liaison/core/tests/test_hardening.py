"""Hardening that holds on every page: headers, no inline script, deployment checks, clear answers to bad input."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

from django.test import Client
from django.urls import reverse

from liaison.audit.events import AuditEvent
from liaison.audit.models import ReadRecord
from liaison.core.middleware import CONTENT_SECURITY_POLICY
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as

ROOT = Path(__file__).resolve().parents[3]
PAGES = [
    "/",
    "/markings/",
    "/partners/",
    "/accounts/profile/",
    "/accounts/users/",
    "/admin/",
    "/admin/policy/zone/add/",
]


def test_every_page_carries_a_strict_csp_and_no_inline_script(cast: Cast, client: Client) -> None:
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    for member, pages in ((cast.frank, PAGES), (cast.erin, ["/audit/"]), (cast.alice, ["/partners/"])):
        login_as(client, member)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
            assert "no-store" in response.headers["Cache-Control"]
            assert response.headers["X-Frame-Options"] == "DENY"
            html = response.content.decode()
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline script on {url}"
            assert not re.search(r"""(src|href)=["']https?://""", html), f"external asset on {url}"
        client.logout()


def test_deployment_checks_are_clean_with_production_settings(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="liaison.settings",
        LIAISON_SECRET_KEY=secrets.token_urlsafe(64),
        LIAISON_ALLOWED_HOSTS="liaison.example.internal",
        LIAISON_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    env.pop("LIAISON_DEMO", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIAISON_")}
    env |= {"DJANGO_SETTINGS_MODULE": "liaison.settings", "LIAISON_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "LIAISON_SECRET_KEY is not set" in result.stderr


def test_an_oversized_request_gets_a_clear_413(cast: Cast, client: Client, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.cookies.load({"django_language": "en"})
    login_as(client, cast.alice)
    response = client.post(reverse("accounts:profile"), {"theme": "dark", "padding": "x" * 5000})
    assert response.status_code == 413
    assert "smaller" in response.content.decode()


def test_unknown_and_malformed_ids_answer_404_and_the_refusal_is_audited(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    missing = uuid.uuid4()
    assert client.get(f"/partners/{missing}/").status_code == 404
    assert client.get("/partners/not-a-uuid/").status_code == 404
    assert client.get("/partners/' OR 1=1 --/").status_code == 404
    refusal = ReadRecord.objects.get(event=AuditEvent.ACCESS_REFUSED)
    assert refusal.target_id == str(missing) and refusal.actor_alias == "ALICE"


def test_an_unseen_object_answers_exactly_like_a_missing_one(cast: Cast, client: Client) -> None:
    login_as(client, cast.bob)
    unknown = uuid.uuid4()
    hidden = client.get(f"/partners/{cast.secret_partner.pk}/")
    missing = client.get(f"/partners/{unknown}/")
    assert hidden.status_code == missing.status_code == 404

    def normalised(body: bytes, pk: object) -> bytes:  # the only differences allowed: the id asked, the CSRF token
        body = body.replace(str(pk).encode(), b"ID")
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)

    assert normalised(hidden.content, cast.secret_partner.pk) == normalised(missing.content, unknown)


def test_an_expired_form_gets_a_friendly_403(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.cookies.load({"django_language": "en"})
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "x"})
    assert response.status_code == 403
    assert "Reload the page" in response.content.decode()


def test_a_read_of_a_protected_object_is_audited(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    client.get(f"/partners/{cast.secret_partner.pk}/")
    assert ReadRecord.objects.filter(event=AuditEvent.OBJECT_READ, target_id=str(cast.secret_partner.pk)).exists()


def test_the_stylesheet_and_icon_are_served_by_the_instance_itself() -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("liaison/liaison.css") and finders.find("liaison/favicon.svg")


def test_models_and_migrations_agree(db) -> None:
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
