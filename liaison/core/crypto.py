"""Small secrets kept in the database (TOTP seeds) are sealed with AES-256-GCM under a key derived from the
instance secret, so a database dump alone does not give the second factor away.
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _key(purpose: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"liaison-seal-v1", info=purpose.encode())
    return hkdf.derive(settings.SECRET_KEY.encode())


def seal(plaintext: str, *, purpose: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_key(purpose)).encrypt(nonce, plaintext.encode(), purpose.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(token: str, *, purpose: str) -> str:
    raw = base64.urlsafe_b64decode(token.encode())
    return AESGCM(_key(purpose)).decrypt(raw[:12], raw[12:], purpose.encode()).decode()
