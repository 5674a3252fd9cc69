"""Offline verification of an exported report: a PDF against the CA that issued the instance's PDF certificate, a
JSON export against an Ed25519 public key the verifier chose (never the key the file itself carries)."""

from __future__ import annotations

import base64
import binascii
import json
from pathlib import Path
from typing import Any

from liaison.keys.store import CA_CERT_FILE, instance_public_key_pem, key_dir, verify_ed25519
from liaison.reports.pdf import verify_pdf
from liaison.reports.services import canonical


def instance_ca_cert_pem() -> bytes | None:
    path = key_dir() / CA_CERT_FILE
    return path.read_bytes() if path.exists() else None


def verify_report_file(path: Path, *, public_key_pem: bytes | None, ca_cert_pem: bytes | None) -> tuple[bool, str]:
    """Check one exported file. The keys are the verifier's: when none is given, the instance's own (if this
    machine holds them); a key embedded in the file is never trusted, since whoever forged the file chose it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return False, f"cannot read {path}: {exc.strerror or exc}"
    if path.suffix.lower() == ".pdf" or data.startswith(b"%PDF"):
        return _verify_pdf_file(data, ca_cert_pem)
    return _verify_json_file(data, public_key_pem)


def _verify_pdf_file(data: bytes, ca_cert_pem: bytes | None) -> tuple[bool, str]:
    ca = ca_cert_pem if ca_cert_pem is not None else instance_ca_cert_pem()
    if ca is None:
        return False, "no CA certificate to check the PDF signature against: pass --ca"
    result = verify_pdf(data, ca)
    return result.valid, f"PDF signature: {result.message}"


def _verify_json_file(data: bytes, public_key_pem: bytes | None) -> tuple[bool, str]:
    key = public_key_pem if public_key_pem is not None else instance_public_key_pem()
    if key is None:
        return False, "no Ed25519 public key to check the JSON signature against: pass --public-key"
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return False, f"the file is neither a PDF nor valid UTF-8 JSON: {exc}"
    parsed = _signature_parts(document)
    if isinstance(parsed, str):
        return False, parsed
    payload, signature, key_id = parsed
    try:
        ok = verify_ed25519(key, signature, canonical(payload))
    except ValueError as exc:
        return False, f"the public key given is not a usable Ed25519 PEM public key: {exc}"
    if not ok:
        return False, f"the Ed25519 signature (key id {key_id or '?'}) does not match the payload: it was altered"
    return True, f"Ed25519 signature by key {key_id or '?'} matches the payload of report {payload.get('id', '?')}"


def _signature_parts(document: Any) -> tuple[dict[str, Any], bytes, str] | str:
    """The payload, the raw signature and the key id of a JSON export, or what is missing from it."""
    if not isinstance(document, dict) or not isinstance(document.get("payload"), dict):
        return "the JSON export has no payload object"
    signature = document.get("signature")
    if not isinstance(signature, dict) or not isinstance(signature.get("value"), str):
        return "the JSON export has no signature value"
    if signature.get("algorithm") != "Ed25519":
        return f"unsupported signature algorithm {signature.get('algorithm')!r}: expected Ed25519"
    try:
        raw = base64.b64decode(signature["value"], validate=True)
    except (binascii.Error, ValueError):
        return "the signature value is not valid base64"
    return document["payload"], raw, str(signature.get("key_id") or "")
