"""Attachment checks and encryption. A file is accepted only if its content is one of the allowed types and
matches the extension it claims (a disguised executable is refused); it is stored encrypted under its own data
key, itself wrapped by the master key, with the attachment's id bound as associated data."""

from __future__ import annotations

import hashlib
import hmac
import os
import zipfile
from dataclasses import dataclass
from io import BytesIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.utils.translation import gettext as _

from liaison.core.exceptions import DomainError
from liaison.keys.store import get_key_wrapper

# extension -> MIME type stored and served
ALLOWED = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain",
    "csv": "text/csv",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}


def _sniff(data: bytes) -> set[str]:
    """The extensions whose content signature `data` matches."""
    if data.startswith(b"%PDF-"):
        return {"pdf"}
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return {"png"}
    if data.startswith(b"\xff\xd8\xff"):
        return {"jpg", "jpeg"}
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return set()
        if "word/document.xml" in names:
            return {"docx"}
        if "xl/workbook.xml" in names:
            return {"xlsx"}
        if "content.xml" in names and "mimetype" in names:
            return {"odt"}
        return set()
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return set()
        return {"txt", "csv"}
    return set()


def check_upload(filename: str, data: bytes, max_bytes: int) -> tuple[str, str]:
    """Validate a file; returns (clean file name, MIME type) or raises a DomainError that says what to do."""
    name = os.path.basename(filename).strip() or "attachment"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if len(data) > max_bytes:
        raise DomainError(
            _("%(name)s is larger than %(mb)d MB. Split it or send a smaller file.")
            % {"name": name, "mb": max_bytes // (1024 * 1024)}
        )
    if not data:
        raise DomainError(_("%(name)s is empty.") % {"name": name})
    if extension not in ALLOWED:
        raise DomainError(
            _("Files of type .%(ext)s are not accepted. Accepted: %(allowed)s.")
            % {"ext": extension or "?", "allowed": ", ".join(sorted(ALLOWED))}
        )
    if extension not in _sniff(data):
        raise DomainError(
            _("The content of %(name)s is not a .%(ext)s file. Send the original document.")
            % {"name": name, "ext": extension}
        )
    return name[:200], ALLOWED[extension]


@dataclass(frozen=True)
class Sealed:
    wrapped_key: bytes
    nonce: bytes
    ciphertext: bytes
    digest: str


def _digest(data_key: bytes, data: bytes) -> str:
    """A fingerprint keyed by the file's own data key: it proves integrity to whoever can decrypt, and unlike a
    plain hash it lets nobody with database access test whether a known document is stored."""
    return hmac.new(data_key, data, hashlib.sha256).hexdigest()


def seal(data: bytes, *, associated: bytes) -> Sealed:
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(12)
    ciphertext = AESGCM(data_key).encrypt(nonce, data, associated)
    return Sealed(get_key_wrapper().wrap(data_key), nonce, ciphertext, _digest(data_key, data))


def unseal(*, wrapped_key: bytes, nonce: bytes, ciphertext: bytes, associated: bytes, digest: str) -> bytes:
    broken = DomainError(_("This attachment failed its integrity check. Tell the security officer."))
    try:
        data_key = get_key_wrapper().unwrap(bytes(wrapped_key))
        data = AESGCM(data_key).decrypt(bytes(nonce), bytes(ciphertext), associated)
    except (InvalidTag, ValueError) as error:  # wrong master key, altered key or ciphertext
        raise broken from error
    if not hmac.compare_digest(_digest(data_key, data), digest):
        raise broken
    return data
