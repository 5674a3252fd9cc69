"""The role matrix of the security keys pages (rows like `matrix.ROUTES`): every user manages their own keys; a key
of someone else does not exist for them. The login steps with a key are public (they need a login in progress)."""

from __future__ import annotations

import uuid

from liaison.passkeys.models import SecurityKey
from liaison.testing.cast import Cast
from liaison.testing.matrix import Route, everyone

PASSKEYS_PUBLIC = {"passkeys:login", "passkeys:login_enrol"}


def _alice_key(cast: Cast) -> list[object]:
    key = SecurityKey.objects.filter(user=cast.alice).first() or SecurityKey.objects.create(
        user=cast.alice, name="Blue key", credential_id=uuid.uuid4().hex, public_key=b"\xa5"
    )
    return [key.pk]


PASSKEYS_ROUTES: list[Route] = [
    Route("passkeys:list", everyone()),
    Route("passkeys:add", everyone()),
    Route("passkeys:add", everyone(), method="post", data={"name": "Key"}, label="no answer from a key"),
    Route("passkeys:revoke", {"alice": 200}, args=_alice_key, label="alice's key"),
    Route("passkeys:revoke", {"alice": 200}, args=_alice_key, method="post", label="alice's key, no password"),
    Route("passkeys:revoke", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
]
