"""Checksums of Bitcoin addresses: base58check (P2PKH "1…", P2SH "3…") and segwit bech32 / bech32m (BIP 173 and
BIP 350), a few lines of the standard algorithms rather than a dependency."""

from __future__ import annotations

import hashlib

_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_CONST, _BECH32M_CONST = 1, 0x2BC830A3


def base58check_ok(address: str) -> bool:
    """A P2PKH ("1…", version 0) or P2SH ("3…", version 5) address whose double-SHA-256 checksum is right."""
    number = 0
    for char in address:
        number = number * 58 + _B58_ALPHABET.index(char)
    leading_zeros = len(address) - len(address.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    data = b"\x00" * leading_zeros + body
    if len(data) != 25:
        return False
    payload, checksum = data[:21], data[21:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        return False
    return payload[0] == (0 if address[0] == "1" else 5)


def _bech32_polymod(values: list[int]) -> int:
    generator = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for bit in range(5):
            check ^= generator[bit] if (top >> bit) & 1 else 0
    return check


def bech32_ok(address: str) -> bool:
    """A segwit address (BIP 173 / BIP 350): version 0 with a bech32 checksum, versions 1-16 with bech32m."""
    hrp, _, data_part = address.lower().rpartition("1")
    if hrp != "bc" or len(data_part) < 7:
        return False
    data = [_BECH32_CHARSET.index(c) for c in data_part]
    constant = _bech32_polymod([ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + data)
    version = data[0]
    if version > 16 or constant != (_BECH32_CONST if version == 0 else _BECH32M_CONST):
        return False
    program_bits = (len(data) - 7) * 5
    program_length = program_bits // 8
    if program_bits % 8 > 4 or not 2 <= program_length <= 40:
        return False
    return version != 0 or program_length in (20, 32)
