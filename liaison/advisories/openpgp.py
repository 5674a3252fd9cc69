"""OpenPGP detached signatures of published CSAF documents (CSAF 2.0 section 7.1.18 wants `<file>.asc`), made with
the instance's Ed25519 key through its signer (liaison/keys), so that an HSM-held key signs them too.

Only what that needs of RFC 4880 / RFC 9580: a v4 public key (EdDSALegacy over Ed25519), one user id certified by the
key itself, and v4 detached binary-document signatures with SHA-256; ASCII armour. `gpg --verify` accepts them."""

from __future__ import annotations

import base64
import hashlib
import struct
from dataclasses import dataclass

from django.conf import settings

from liaison.keys.store import Signer, get_signer

# The key's creation time is part of its fingerprint: a fixed one keeps the fingerprint a function of the key only.
KEY_CREATED = 1577836800  # 2020-01-01T00:00:00Z
EDDSA_LEGACY = 22
SHA256 = 8
ED25519_OID = bytes.fromhex("2B06010401DA470F01")
BINARY_DOCUMENT, POSITIVE_CERTIFICATION = 0x00, 0x13
TAG_SIGNATURE, TAG_PUBLIC_KEY, TAG_USER_ID = 2, 6, 13


def _packet(tag: int, body: bytes) -> bytes:
    length = len(body)
    if length < 192:
        head = bytes([length])
    elif length < 8384:
        length -= 192
        head = bytes([(length >> 8) + 192, length & 0xFF])
    else:
        head = b"\xff" + struct.pack(">I", length)
    return bytes([0xC0 | tag]) + head + body


def _mpi(value: bytes) -> bytes:
    stripped = value.lstrip(b"\x00")
    bits = len(stripped) * 8 - (8 - stripped[0].bit_length()) if stripped else 0
    return struct.pack(">H", bits) + stripped


def _subpacket(kind: int, data: bytes) -> bytes:
    return bytes([len(data) + 1, kind]) + data


@dataclass(frozen=True)
class OpenPgpKey:
    """The instance's signing key seen as an OpenPGP v4 key."""

    signer: Signer

    @property
    def body(self) -> bytes:
        from cryptography.hazmat.primitives import serialization

        raw = self.signer.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        point = b"\x40" + raw
        return (
            bytes([4])
            + struct.pack(">I", KEY_CREATED)
            + bytes([EDDSA_LEGACY, len(ED25519_OID)])
            + ED25519_OID
            + _mpi(point)
        )

    @property
    def fingerprint(self) -> bytes:
        body = self.body
        return hashlib.sha1(b"\x99" + struct.pack(">H", len(body)) + body, usedforsecurity=False).digest()

    @property
    def fingerprint_hex(self) -> str:
        return self.fingerprint.hex().upper()

    def _signature(self, kind: int, prefix: bytes, created: int, extra_hashed: bytes = b"") -> bytes:
        hashed = _subpacket(2, struct.pack(">I", created)) + _subpacket(33, b"\x04" + self.fingerprint) + extra_hashed
        head = bytes([4, kind, EDDSA_LEGACY, SHA256]) + struct.pack(">H", len(hashed)) + hashed
        digest = hashlib.sha256(prefix + head + b"\x04\xff" + struct.pack(">I", len(head))).digest()
        signature = self.signer.sign(digest)  # EdDSALegacy v4 signs the digest
        unhashed = _subpacket(16, self.fingerprint[-8:])
        body = head + struct.pack(">H", len(unhashed)) + unhashed + digest[:2]
        return _packet(TAG_SIGNATURE, body + _mpi(signature[:32]) + _mpi(signature[32:]))

    def public_key_block(self, user_id: str, *, created: int = KEY_CREATED) -> str:
        """The armoured public key: the key, one user id and its self-certification."""
        body = self.body
        uid = user_id.encode("utf-8")
        prefix = b"\x99" + struct.pack(">H", len(body)) + body + b"\xb4" + struct.pack(">I", len(uid)) + uid
        flags = _subpacket(27, b"\x03")  # certify and sign
        certification = self._signature(POSITIVE_CERTIFICATION, prefix, created, flags)
        packets = _packet(TAG_PUBLIC_KEY, body) + _packet(TAG_USER_ID, uid) + certification
        return armour(packets, "PUBLIC KEY BLOCK")

    def sign_detached(self, data: bytes, *, created: int) -> str:
        """An armoured detached signature of `data` (a binary document), made at `created` (Unix time)."""
        return armour(self._signature(BINARY_DOCUMENT, data, created), "SIGNATURE")


def _crc24(data: bytes) -> int:
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def armour(data: bytes, kind: str) -> str:
    text = base64.b64encode(data).decode()
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    checksum = base64.b64encode(struct.pack(">I", _crc24(data))[1:]).decode()
    return "\n".join([f"-----BEGIN PGP {kind}-----", "", *lines, f"={checksum}", f"-----END PGP {kind}-----", ""])


def instance_key() -> OpenPgpKey:
    return OpenPgpKey(get_signer())


def instance_user_id() -> str:
    return f"{settings.LIAISON_ORGANISATION} CSAF provider"
