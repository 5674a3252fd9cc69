"""The demo's security keys: deterministic, on the accounts whose roles require one, and counted by the indicator."""

from __future__ import annotations

import random

from liaison.accounts.models import RoleCode
from liaison.accounts.services import user_create
from liaison.passkeys.demo import load_passkeys_demo
from liaison.passkeys.models import SecurityKey
from liaison.passkeys.selectors import factor_summary


def _users() -> list:
    return [
        user_create(
            username=name, alias=name.upper(), password=None, service=None, roles=roles, clearance=None, by=None
        )
        for name, roles in (("admin", [RoleCode.ADMINISTRATOR]), ("officer.europe", [RoleCode.LIAISON_OFFICER]))
    ]


def test_the_demo_administrator_holds_a_key_and_the_demo_is_deterministic(db) -> None:
    users = _users()
    assert load_passkeys_demo(rng=random.Random(7), users=users) == {"security_keys": 1}
    key = SecurityKey.objects.get()
    assert key.user.username == "admin" and key.last_used_at is not None
    first = (key.credential_id, bytes(key.public_key), key.sign_count)
    SecurityKey.objects.all().delete()
    load_passkeys_demo(rng=random.Random(7), users=users)
    key = SecurityKey.objects.get()
    assert (key.credential_id, bytes(key.public_key), key.sign_count) == first
    summary = factor_summary()
    assert summary.with_key == 1 and summary.accounts == 2 and summary.phishing_resistant_share == 0.5
