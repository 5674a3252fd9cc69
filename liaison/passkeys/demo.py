"""The demo office's security keys: the administrator and the release authority, whose roles require a key, each
hold one (enrolled a few weeks ago, last used yesterday), so the user list shows keys, app codes and accounts
without a factor side by side. Demo accounts skip the second factor while demo mode is on; nobody holds these keys'
private halves, and a real key (or a browser's virtual one) can be added from "My security keys"."""

from __future__ import annotations

import hashlib
import random
from datetime import timedelta

from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone
from webauthn.helpers import bytes_to_base64url, encode_cbor

from liaison.accounts.models import User
from liaison.passkeys.models import SecurityKey

DEMO_KEYS = (
    ("admin", "Clé bleue (trousseau)", ["usb", "nfc"]),
    ("release.authority", "Clé du coffre", ["usb"]),
)


def _cose_public_key(seed: str) -> bytes:
    """A P-256 public key derived from `seed`, so that a rebuilt demo holds the same keys."""
    secret = int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big") % (2**255)
    numbers = ec.derive_private_key(secret or 1, ec.SECP256R1()).public_key().public_numbers()
    return encode_cbor({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})


def load_passkeys_demo(*, rng: random.Random, users: list[User]) -> dict[str, int]:
    """One key each for the demo accounts of DEMO_KEYS that exist. Returns how many keys were added."""
    by_name = {user.username: user for user in users}
    now = timezone.now()
    added = 0
    for username, name, transports in DEMO_KEYS:
        user = by_name.get(username)
        if user is None:
            continue
        enrolled = now - timedelta(days=rng.randint(20, 60), hours=rng.randint(0, 8))
        key = SecurityKey.objects.create(
            user=user,
            name=name,
            credential_id=bytes_to_base64url(hashlib.sha256(f"demo-key:{username}".encode()).digest()),
            public_key=_cose_public_key(f"demo-key:{username}"),
            sign_count=rng.randint(20, 200),
            transports=transports,
            aaguid="00000000-0000-0000-0000-000000000000",
            last_used_at=now - timedelta(days=1, hours=rng.randint(0, 8)),
        )
        SecurityKey.objects.filter(pk=key.pk).update(created_at=enrolled)
        added += 1
    return {"security_keys": added}
