"""Offline verification of what a partner was given: a release package's PDF against the CA that issued the
instance's PDF certificate; its manifest, or a recall message, against its detached Ed25519 signature and a public
key the verifier chose (never a key carried by the files themselves)."""

from __future__ import annotations

import base64
import binascii
import json
from pathlib import Path
from typing import Any

from liaison.keys.store import verify_ed25519
from liaison.releases.package import MANIFEST_FORMAT, RECALL_FORMAT
from liaison.reports.pdf import verify_pdf
from liaison.reports.verify import instance_ca_cert_pem, instance_public_key_pem

SIGNATURE_SUFFIX = ".sig"
KINDS = {MANIFEST_FORMAT: "release manifest", RECALL_FORMAT: "recall message"}


def signature_document(*, signed_file: str, sha256: str, value: str, key_id: str) -> dict[str, Any]:
    """The detached signature as downloaded: which file it signs, that file's SHA-256, the base64 value."""
    return {"algorithm": "Ed25519", "key_id": key_id, "signed_file": signed_file, "sha256": sha256, "value": value}


def _signature_value(data: bytes) -> tuple[bytes, str] | str:
    """The raw signature and key id from a signature file (our JSON document, or bare base64), or what is wrong."""
    text = data.decode("utf-8", errors="replace").strip()
    key_id = ""
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            return f"the signature file is not valid JSON: {exc}"
        if not isinstance(document, dict) or not isinstance(document.get("value"), str):
            return "the signature file has no signature value"
        if document.get("algorithm") != "Ed25519":
            return f"unsupported signature algorithm {document.get('algorithm')!r}: expected Ed25519"
        text, key_id = document["value"], str(document.get("key_id") or "")
    try:
        return base64.b64decode(text, validate=True), key_id
    except (binascii.Error, ValueError):
        return "the signature value is not valid base64"


def verify_signed_json(data: bytes, signature: bytes, public_key_pem: bytes) -> tuple[bool, str]:
    """Check a manifest or recall message (the exact bytes signed) against its detached signature file."""
    parsed = _signature_value(signature)
    if isinstance(parsed, str):
        return False, parsed
    raw, key_id = parsed
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return False, f"the file is neither a PDF nor valid UTF-8 JSON: {exc}"
    kind = KINDS.get(document.get("format", "")) if isinstance(document, dict) else None
    if kind is None:
        return False, "the file is not a release manifest nor a recall message (unknown or missing `format`)"
    try:
        ok = verify_ed25519(public_key_pem, raw, data)
    except ValueError as exc:
        return False, f"the public key given is not a usable Ed25519 PEM public key: {exc}"
    if not ok:
        return False, f"the Ed25519 signature (key id {key_id or '?'}) does not match the {kind}: it was altered"
    return True, f"Ed25519 signature by key {key_id or '?'} matches the {kind} of package {document.get('package')}"


def verify_release_file(
    path: Path,
    *,
    signature_path: Path | None = None,
    public_key_pem: bytes | None = None,
    ca_cert_pem: bytes | None = None,
) -> tuple[bool, str]:
    """Check one file a partner was given: a package PDF (PAdES), or a manifest or recall message with its
    detached signature (by default the file of the same name with `.sig` appended). The keys are the verifier's:
    when none is given, the instance's own (if this machine holds them)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return False, f"cannot read {path}: {exc.strerror or exc}"
    if path.suffix.lower() == ".pdf" or data.startswith(b"%PDF"):
        ca = ca_cert_pem if ca_cert_pem is not None else instance_ca_cert_pem()
        if ca is None:
            return False, "no CA certificate to check the PDF signature against: pass --ca"
        result = verify_pdf(data, ca)
        return result.valid, f"PDF signature: {result.message}"
    key = public_key_pem if public_key_pem is not None else instance_public_key_pem()
    if key is None:
        return False, "no Ed25519 public key to check the signature against: pass --public-key"
    signature_path = signature_path or path.with_name(path.name + SIGNATURE_SUFFIX)
    try:
        signature = signature_path.read_bytes()
    except OSError as exc:
        return False, f"cannot read the signature {signature_path}: {exc.strerror or exc}; pass --signature"
    return verify_signed_json(data, signature, key)
