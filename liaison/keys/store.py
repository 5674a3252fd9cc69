"""The instance's keys, from the backend LIAISON_KEY_BACKEND names: `file` (the default) or `pkcs11` (a hardware
security module: liaison/keys/hsm.py). Callers use only `get_signer()`, `get_key_wrapper()` and `pdf_signer()`.

File-backed keys live in LIAISON_KEY_DIR (default: <data dir>/keys), created by `liaison keys init` or, in demo and
development, on first use. Private keys are written owner-readable only (0600, in a 0700 folder) and never enter the
database; a private key that other users can read is refused, not used. With either backend the instance CA's
certificate (`ca.pem`, what verifiers trust) is a file of that folder."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap, aes_key_wrap
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from liaison.core.files import check_private_key, private_dir, write_private, write_public

if TYPE_CHECKING:
    from liaison.keys.hsm import Token

ED25519_FILE = "instance-ed25519.pem"
MASTER_FILE = "master.key"
CA_KEY_FILE, CA_CERT_FILE = "ca-key.pem", "ca.pem"
PDF_KEY_FILE, PDF_CERT_FILE = "pdf-signing-key.pem", "pdf-signing.pem"
PRIVATE_FILES = (ED25519_FILE, MASTER_FILE, CA_KEY_FILE, PDF_KEY_FILE)


BACKENDS = ("file", "pkcs11")


class Signer(Protocol):
    """What every caller of `get_signer()` relies on, whichever backend holds the key."""

    @property
    def public_key(self) -> ed25519.Ed25519PublicKey: ...

    @property
    def key_id(self) -> str: ...

    def public_key_pem(self) -> bytes: ...

    def sign(self, data: bytes) -> bytes: ...


class KeyWrapper(Protocol):
    def wrap(self, data_key: bytes) -> bytes: ...

    def unwrap(self, wrapped: bytes) -> bytes: ...


def key_backend() -> str:
    return str(getattr(settings, "LIAISON_KEY_BACKEND", "file"))


def key_dir() -> Path:
    return Path(os.environ.get("LIAISON_KEY_DIR") or settings.DATA_DIR / "keys")


@cache
def token() -> Token:
    """The configured PKCS#11 token (one per process)."""
    from liaison.keys.hsm import Token, TokenConfig

    return Token(TokenConfig.from_settings())


def reset_keys() -> None:
    """Forget the keys read so far and close the token session (the backend settings changed, or a test ends)."""
    if token.cache_info().currsize:
        token().close()
    for cached in (token, get_signer, get_key_wrapper):
        cached.cache_clear()


def keys_check(directory: Path | None = None) -> None:
    """Make the key folder owner-only (0700) if it exists, and refuse (ImproperlyConfigured) any private key in it
    that other users could read. With the pkcs11 backend, also open the token and find each key and the PDF
    certificate, then close it again (so that no forked server process inherits an open session)."""
    if key_backend() == "pkcs11" and directory is None:
        try:
            get_signer()
            get_key_wrapper()
            with pdf_signer():
                pass
        finally:
            reset_keys()
    directory = directory or key_dir()
    if not directory.exists():
        return
    private_dir(directory)
    for name in PRIVATE_FILES:
        if (directory / name).exists():
            check_private_key(directory / name)


def _pem(key: ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, settings.LIAISON_HOME_COUNTRY),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.LIAISON_ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def instance_ca(directory: Path, now: dt.datetime) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate, bool]:
    """The instance CA: the existing one if its key and certificate are here, else a new one (demo PKI)."""
    key_path, cert_path = directory / CA_KEY_FILE, directory / CA_CERT_FILE
    if key_path.exists() and cert_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ImproperlyConfigured(f"{key_path} does not hold an EC private key.")
        return key, x509.load_pem_x509_certificate(cert_path.read_bytes()), False
    if cert_path.exists() or key_path.exists():
        raise ImproperlyConfigured(
            f"{directory} holds a CA certificate or key without its pair. Install the PDF signing certificate and "
            f"key issued by your PKI as {PDF_CERT_FILE} and {PDF_KEY_FILE}, or remove the CA files to create a demo CA."
        )
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"{settings.LIAISON_ORGANISATION} instance CA")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    write_private(key_path, _pem(ca_key))
    write_public(cert_path, ca_cert.public_bytes(serialization.Encoding.PEM))
    return ca_key, ca_cert, True


def pdf_certificate(
    public_key: ec.EllipticCurvePublicKey,
    ca_key: ec.EllipticCurvePrivateKey,
    ca_cert: x509.Certificate,
    now: dt.datetime,
) -> x509.Certificate:
    """The report-signing certificate for `public_key` (a file key or a key in the token), issued by the CA."""
    return (
        x509.CertificateBuilder()
        .subject_name(_name(f"{settings.LIAISON_ORGANISATION} report signing"))
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def _issue_certificates(directory: Path) -> list[str]:
    """A PDF-signing certificate issued by the instance CA (created first if there is none). Production may
    install its own PKI's certificate and key instead."""
    now = dt.datetime.now(dt.UTC)
    ca_key, ca_cert, new_ca = instance_ca(directory, now)
    pdf_key = ec.generate_private_key(ec.SECP256R1())
    pdf_cert = pdf_certificate(pdf_key.public_key(), ca_key, ca_cert, now)
    if (directory / PDF_KEY_FILE).exists():
        (directory / PDF_KEY_FILE).unlink()  # its certificate is gone: the key alone is useless
    write_private(directory / PDF_KEY_FILE, _pem(pdf_key))
    write_public(directory / PDF_CERT_FILE, pdf_cert.public_bytes(serialization.Encoding.PEM))
    return [*([CA_KEY_FILE, CA_CERT_FILE] if new_ca else []), PDF_KEY_FILE, PDF_CERT_FILE]


def keys_init(directory: Path | None = None) -> list[str]:
    """Create whatever key is missing; never overwrites an existing one. Returns the files created."""
    directory = private_dir(directory or key_dir())
    keys_check(directory)
    created = []
    if not (directory / ED25519_FILE).exists():
        write_private(directory / ED25519_FILE, _pem(ed25519.Ed25519PrivateKey.generate()))
        created.append(ED25519_FILE)
    if not (directory / MASTER_FILE).exists():
        write_private(directory / MASTER_FILE, base64.b64encode(os.urandom(32)) + b"\n")
        created.append(MASTER_FILE)
    if not (directory / PDF_CERT_FILE).exists():
        created += _issue_certificates(directory)
    return created


def _require(name: str) -> Path:
    path = key_dir() / name
    if not path.exists():
        if settings.DEMO or settings.DEBUG or getattr(settings, "LIAISON_AUTO_KEYS", False):
            keys_init()
        else:
            raise ImproperlyConfigured(f"Key file {path} is missing: run `liaison keys init` (or install your keys).")
    private_dir(path.parent)
    return check_private_key(path) if name in PRIVATE_FILES else path


def key_id_of(public_key: ed25519.Ed25519PublicKey) -> str:
    """The first 16 hex digits of the SHA-256 of the raw public key, whichever backend holds the private key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class Ed25519Signer:
    private_key: ed25519.Ed25519PrivateKey

    @property
    def public_key(self) -> ed25519.Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def key_id(self) -> str:
        return key_id_of(self.public_key)

    def public_key_pem(self) -> bytes:
        return self.public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)


@dataclass(frozen=True)
class AesKeyWrapper:
    """RFC 3394 AES key wrap of per-object data keys under the 256-bit master key."""

    master_key: bytes

    def wrap(self, data_key: bytes) -> bytes:
        return aes_key_wrap(self.master_key, data_key)

    def unwrap(self, wrapped: bytes) -> bytes:
        return aes_key_unwrap(self.master_key, wrapped)


@dataclass(frozen=True)
class PdfSigningMaterial:
    key_path: Path
    cert_path: Path
    ca_cert_path: Path


@cache
def get_signer() -> Signer:
    """The instance's Ed25519 signer, from the configured backend (read once per process)."""
    if key_backend() == "pkcs11":
        from liaison.keys.hsm import Pkcs11Ed25519Signer

        return Pkcs11Ed25519Signer(token())
    key = serialization.load_pem_private_key(_require(ED25519_FILE).read_bytes(), password=None)
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{ED25519_FILE} does not hold an Ed25519 private key.")
    return Ed25519Signer(key)


@cache
def get_key_wrapper() -> KeyWrapper:
    """The master key's wrapper, from the configured backend (read once per process)."""
    if key_backend() == "pkcs11":
        from liaison.keys.hsm import Pkcs11KeyWrapper

        return Pkcs11KeyWrapper(token())
    raw = os.environ.get("LIAISON_MASTER_KEY") or _require(MASTER_FILE).read_text()
    key = base64.b64decode(raw.strip())
    if len(key) != 32:
        raise ImproperlyConfigured("The master key must be 32 bytes, base64-encoded.")
    return AesKeyWrapper(key)


def get_pdf_signing_material() -> PdfSigningMaterial:
    """The file backend's PDF key, certificate and CA certificate."""
    return PdfSigningMaterial(_require(PDF_KEY_FILE), _require(PDF_CERT_FILE), _require(CA_CERT_FILE))


def ca_cert_path() -> Path:
    """The instance CA certificate that PDF signatures chain to (a file with either backend)."""
    if key_backend() == "pkcs11":
        path = key_dir() / CA_CERT_FILE
        if not path.exists():
            raise ImproperlyConfigured(f"{path} is missing: run `liaison keys init --backend pkcs11`.")
        return path
    return get_pdf_signing_material().ca_cert_path


@contextmanager
def pdf_signer() -> Iterator[Any]:
    """A pyHanko signer for the PDF signing key and its certificate (with the CA certificate as chain), valid
    inside the `with` block."""
    if key_backend() == "pkcs11":
        from liaison.keys.hsm import pdf_signer as token_pdf_signer

        ca_cert = x509.load_pem_x509_certificate(ca_cert_path().read_bytes())
        with token_pdf_signer(token(), ca_cert) as signer:
            yield signer
        return
    from pyhanko.sign import signers
    from pyhanko.sign.general import SigningError

    material = get_pdf_signing_material()
    loaded = signers.SimpleSigner.load(
        str(material.key_path), str(material.cert_path), ca_chain_files=(str(material.ca_cert_path),)
    )
    if loaded is None:
        raise SigningError(f"Cannot load the PDF signing key {material.key_path} or certificate {material.cert_path}.")
    yield loaded


def instance_public_key_pem() -> bytes | None:
    """The public half of this instance's Ed25519 key, when this machine holds it (never creating a key)."""
    if key_backend() == "pkcs11":
        return get_signer().public_key_pem()
    path = key_dir() / ED25519_FILE
    if not path.exists():
        return None
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        return None
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def verify_ed25519(public_key_pem: bytes, signature: bytes, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    key = serialization.load_pem_public_key(public_key_pem)
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
