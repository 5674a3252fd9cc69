"""The key ceremony of the PKCS#11 backend: `liaison keys init --backend pkcs11` generates the instance's keys inside
the token (sensitive, never extractable) and issues the PDF certificate; `liaison keys status` reports on them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pkcs11
from cryptography.hazmat.primitives import serialization
from pkcs11 import Attribute, KeyType, ObjectClass
from pkcs11.util.ec import encode_named_curve_parameters

from liaison.core.files import private_dir
from liaison.keys.hsm import Token, TokenError, ed25519_public_key, p256_public_key
from liaison.keys.store import CA_CERT_FILE, instance_ca, key_id_of, pdf_certificate

ED25519_OID = "1.3.101.112"
P256 = "secp256r1"


def _has(session: Any, object_class: ObjectClass, label: str) -> bool:
    return bool(list(session.get_objects({Attribute.CLASS: object_class, Attribute.LABEL: label})))


_PRIVATE = {
    Attribute.TOKEN: True,
    Attribute.PRIVATE: True,
    Attribute.SENSITIVE: True,
    Attribute.EXTRACTABLE: False,
}


def _generate_pair(session: Any, key_type: KeyType, curve: str, label: str) -> Any:
    public, _private = session.generate_keypair(
        key_type,
        store=True,
        label=label,
        id=label.encode(),
        public_template={
            Attribute.EC_PARAMS: encode_named_curve_parameters(curve),
            Attribute.TOKEN: True,
            Attribute.VERIFY: True,
        },
        private_template={**_PRIVATE, Attribute.SIGN: True},
    )
    return public


def token_init(
    token: Token,
    *,
    directory: Path,
    existing_master: bytes | None,
    import_master: bool = False,
    new_master: bool = False,
) -> list[str]:
    """Create in the token whatever key is missing (never replacing one) and return what was created. Key pairs and
    the AES master key are generated inside the token, sensitive and non-extractable. `existing_master` is the file
    backend's master key, if the instance has one: attachments sealed under it open only with it, so it is imported
    (`import_master`) or deliberately left behind (`new_master`), never silently. The PDF certificate is issued by
    the instance CA of `directory` (created there if it has none) and stored in the token beside its key."""
    if import_master and new_master:
        raise TokenError("Choose --import-master-key or --new-master-key, not both.")
    config = token.config
    created: list[str] = []
    with token.session() as session:
        # Every refusal comes before the first object is created.
        needs_master = not _has(session, ObjectClass.SECRET_KEY, config.master_label)
        if needs_master and existing_master is None and import_master:
            raise TokenError("There is no master key to import (no master.key, no LIAISON_MASTER_KEY).")
        if needs_master and existing_master is not None and not (import_master or new_master):
            raise TokenError(
                "This instance already has a master key (master.key or LIAISON_MASTER_KEY): the attachments sealed "
                "under it open only with it. Pass --import-master-key to move it into the token (then remove it from "
                "the server once backed up), or --new-master-key if no attachment was ever sealed."
            )
        needs_cert = token.certificate(session, config.pdf_label) is None
        if needs_cert:
            now = dt.datetime.now(dt.UTC)
            ca_key, ca_cert, new_ca = instance_ca(private_dir(directory), now)
            if new_ca:
                created.append(f"instance CA {directory / CA_CERT_FILE}")

        if not _has(session, ObjectClass.PRIVATE_KEY, config.signing_label):
            _generate_pair(session, KeyType.EC_EDWARDS, ED25519_OID, config.signing_label)
            created.append(f"Ed25519 key pair {config.signing_label!r}")
        if needs_master:
            template = {
                **_PRIVATE,
                Attribute.LABEL: config.master_label,
                Attribute.ID: config.master_label.encode(),
                Attribute.WRAP: True,
                Attribute.UNWRAP: True,
                Attribute.ENCRYPT: False,
                Attribute.DECRYPT: False,
            }
            if import_master:
                session.create_object(
                    {
                        **template,
                        Attribute.CLASS: ObjectClass.SECRET_KEY,
                        Attribute.KEY_TYPE: KeyType.AES,
                        Attribute.VALUE: existing_master,
                    }
                )
                created.append(f"AES-256 master key {config.master_label!r} (imported)")
            else:
                session.generate_key(KeyType.AES, 256, store=True, label=config.master_label, template=template)
                created.append(f"AES-256 master key {config.master_label!r}")
        if needs_cert:
            if _has(session, ObjectClass.PRIVATE_KEY, config.pdf_label):
                public = token.find(session, ObjectClass.PUBLIC_KEY, config.pdf_label, "PDF signing public key")
            else:
                public = _generate_pair(session, KeyType.EC, P256, config.pdf_label)
                created.append(f"ECDSA P-256 key pair {config.pdf_label!r}")
            cert = pdf_certificate(p256_public_key(public[Attribute.EC_POINT]), ca_key, ca_cert, now)
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.PRIVATE: False,
                    Attribute.LABEL: config.pdf_label,
                    Attribute.ID: config.pdf_label.encode(),
                    Attribute.SUBJECT: cert.subject.public_bytes(),
                    Attribute.ISSUER: cert.issuer.public_bytes(),
                    Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
                }
            )
            created.append(f"PDF signing certificate {config.pdf_label!r}")
    return created


@dataclass(frozen=True)
class TokenStatus:
    lines: list[str]
    ok: bool


def token_status(token: Token) -> TokenStatus:
    """What `liaison keys status` prints about the token: each key's label, whether it is there, its key id or
    certificate, and whether the private keys are sensitive and non-extractable."""
    config = token.config
    lines = [f"PKCS#11 module: {config.module}", f"Token: {config.token_label}"]
    ok = True
    with token.session() as session:
        for label, object_class, what in (
            (config.signing_label, ObjectClass.PRIVATE_KEY, "Ed25519 signing key"),
            (config.pdf_label, ObjectClass.PRIVATE_KEY, "PDF signing key (ECDSA P-256)"),
            (config.master_label, ObjectClass.SECRET_KEY, "master key (AES-256)"),
        ):
            found = list(session.get_objects({Attribute.CLASS: object_class, Attribute.LABEL: label}))
            if not found:
                ok = False
                lines.append(f"{what}: {label!r} MISSING (run `liaison keys init --backend pkcs11`)")
                continue
            key = found[0]
            guarded = key[Attribute.SENSITIVE] and not key[Attribute.EXTRACTABLE]
            detail = "sensitive, not extractable" if guarded else "EXTRACTABLE: replace it with a key made in the token"
            ok = ok and guarded
            lines.append(f"{what}: {label!r} present, {detail}")
        if _has(session, ObjectClass.PUBLIC_KEY, config.signing_label):
            public = session.get_key(object_class=ObjectClass.PUBLIC_KEY, label=config.signing_label)
            lines.append(f"Ed25519 key id: {key_id_of(ed25519_public_key(public[Attribute.EC_POINT]))}")
        cert = token.certificate(session, config.pdf_label)
        if cert is None:
            ok = False
            lines.append(f"PDF signing certificate: {config.pdf_label!r} MISSING")
        else:
            lines.append(
                f"PDF signing certificate: {cert.subject.rfc4514_string()}, issued by {cert.issuer.rfc4514_string()}, "
                f"valid until {cert.not_valid_after_utc:%Y-%m-%d}"
            )
    return TokenStatus(lines, ok)
