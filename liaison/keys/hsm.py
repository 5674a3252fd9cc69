"""Keys in a hardware security module, through PKCS#11 (python-pkcs11): the same three roles as the file keys, each a
labelled object of one token, generated inside it and never extractable (`ceremony.py` creates them).

- Ed25519 signing key pair (CKK_EC_EDWARDS, CKM_EDDSA): reports, exports, release manifests, audit checkpoints;
- ECDSA P-256 key pair and its X.509 certificate (issued by the instance CA, stored in the token beside the key):
  PDF signatures through pyHanko's PKCS#11 signer;
- AES-256 master key (CKM_AES_KEY_WRAP, RFC 3394): wraps and unwraps the per-attachment data keys, so a wrapped key
  made by the file backend from the same master key opens here and the reverse.

One logged-in read-write session per process, opened on first use (and again in a forked child), shared under a
lock: a PKCS#11 session must not run two operations at once. Every failure of the module, the token or the PIN becomes a
`TokenError` (an ImproperlyConfigured) whose message says what to do; nothing of the PIN is ever printed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass

from liaison.core.files import check_private_key
from liaison.keys.store import key_id_of


class TokenError(ImproperlyConfigured):
    """The module, the token, the PIN or a key is not usable; the message says which and what to do."""


class KeyUnwrapFailed(ValueError):
    """A wrapped data key does not unwrap under the token's master key (altered, or wrapped under another key)."""


@dataclass(frozen=True)
class TokenConfig:
    module: str
    token_label: str
    pin: str = field(repr=False)
    signing_label: str
    pdf_label: str
    master_label: str

    @classmethod
    def from_settings(cls) -> TokenConfig:
        module = settings.LIAISON_PKCS11_MODULE
        token_label = settings.LIAISON_PKCS11_TOKEN_LABEL
        if not module:
            raise TokenError("LIAISON_KEY_BACKEND is pkcs11 but LIAISON_PKCS11_MODULE (the module path) is not set.")
        if not token_label:
            raise TokenError("LIAISON_KEY_BACKEND is pkcs11 but LIAISON_PKCS11_TOKEN_LABEL is not set.")
        return cls(
            module=module,
            token_label=token_label,
            pin=_read_pin(),
            signing_label=settings.LIAISON_PKCS11_SIGNING_KEY_LABEL,
            pdf_label=settings.LIAISON_PKCS11_PDF_KEY_LABEL,
            master_label=settings.LIAISON_PKCS11_MASTER_KEY_LABEL,
        )


def _read_pin() -> str:
    """The user PIN: from LIAISON_PKCS11_PIN_FILE (first line; the file must be owner-only) or LIAISON_PKCS11_PIN."""
    pin_file = settings.LIAISON_PKCS11_PIN_FILE
    if pin_file:
        path = Path(pin_file)
        try:
            check_private_key(path)
            lines = path.read_text().splitlines()
        except FileNotFoundError:
            raise TokenError(f"LIAISON_PKCS11_PIN_FILE {path} does not exist.") from None
        except OSError as exc:
            raise TokenError(f"LIAISON_PKCS11_PIN_FILE {path} cannot be read: {exc.strerror or exc}.") from None
        pin = lines[0].strip() if lines else ""
    else:
        pin = settings.LIAISON_PKCS11_PIN_SECRET
    if not pin:
        raise TokenError(
            "No PIN for the token: set LIAISON_PKCS11_PIN_FILE to an owner-only file holding the user PIN "
            "(or LIAISON_PKCS11_PIN)."
        )
    return pin


def explain(exc: pkcs11.PKCS11Error, config: TokenConfig) -> TokenError:
    """What a PKCS#11 failure means for the operator, without the PIN."""
    token = f"token {config.token_label!r}"
    if isinstance(exc, pkcs11.PinIncorrect):
        return TokenError(
            f"The {token} refused the PIN (LIAISON_PKCS11_PIN_FILE or LIAISON_PKCS11_PIN): correct it before trying "
            "again, since a token locks its PIN after a few wrong attempts."
        )
    if isinstance(exc, pkcs11.PinLocked):
        return TokenError(f"The PIN of {token} is locked: its security officer must unlock it with the SO PIN.")
    if isinstance(exc, pkcs11.PinExpired):
        return TokenError(f"The PIN of {token} has expired: change it with the token's own tools.")
    if isinstance(exc, (pkcs11.PinLenRange, pkcs11.PinInvalid)):
        return TokenError(f"The {token} says the PIN given is malformed (length or characters).")
    if isinstance(exc, pkcs11.UserPinNotInitialized):
        return TokenError(f"The {token} has no user PIN yet: initialise it (e.g. `softhsm2-util --init-token`).")
    if isinstance(exc, pkcs11.NoSuchToken):
        return TokenError(
            f"No {token} in the PKCS#11 module {config.module}: is the HSM connected, the token initialised and "
            "LIAISON_PKCS11_TOKEN_LABEL spelt as the token's label?"
        )
    if isinstance(exc, pkcs11.MultipleTokensReturned):
        return TokenError(f"Several tokens are labelled {config.token_label!r}: give each token its own label.")
    if isinstance(exc, (pkcs11.TokenNotPresent, pkcs11.DeviceRemoved, pkcs11.TokenNotRecognised)):
        return TokenError(f"The {token} is absent or was removed: reconnect the HSM; the next use opens it again.")
    if isinstance(exc, (pkcs11.SessionClosed, pkcs11.SessionHandleInvalid, pkcs11.UserNotLoggedIn)):
        return TokenError(f"The session with the {token} was closed: the next use opens a new one.")
    if isinstance(exc, pkcs11.MechanismInvalid):
        return TokenError(f"The {token} does not support a mechanism Liaison needs (EdDSA, ECDSA or AES key wrap).")
    if str(exc).startswith("OS exception while loading"):
        return TokenError(
            f"The PKCS#11 module {config.module} cannot be loaded (LIAISON_PKCS11_MODULE): install it or correct "
            f"the path ({str(exc).split(': ', 1)[-1]})."
        )
    return TokenError(f"The {token} reported an error ({type(exc).__name__}{': ' + str(exc) if str(exc) else ''}).")


def _point(raw: bytes, size: int) -> bytes:
    """CKA_EC_POINT is the point as a DER OCTET STRING (PKCS#11 3.0); some modules give the bare point."""
    if len(raw) == size:
        return raw
    if len(raw) == size + 2 and raw[0] == 0x04 and raw[1] == size:
        return raw[2:]
    raise ValueError(f"an EC point of {len(raw)} bytes where {size} were expected")


def ed25519_public_key(raw_point: bytes) -> ed25519.Ed25519PublicKey:
    return ed25519.Ed25519PublicKey.from_public_bytes(_point(raw_point, 32))


def p256_public_key(raw_point: bytes) -> ec.EllipticCurvePublicKey:
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _point(raw_point, 65))


class Token:
    """The configured token: one logged-in session per process, used under a lock."""

    def __init__(self, config: TokenConfig) -> None:
        self.config = config
        self._lock = threading.RLock()
        self._session: Any = None
        self._handles: dict[tuple[ObjectClass, str], Any] = {}
        self._pid = 0

    def _open(self) -> Any:
        lib = pkcs11.lib(self.config.module)
        if self._pid and self._pid != os.getpid():
            lib.reinitialize()  # a forked child must initialise the module again (PKCS#11 2.40, 6.7.7)
        self._pid = os.getpid()
        found = lib.get_token(token_label=self.config.token_label)
        try:
            return found.open(rw=True, user_pin=self.config.pin)
        except pkcs11.UserAlreadyLoggedIn:  # the login is the application's: another session of it logged in
            return found.open(rw=True)

    @contextmanager
    def session(self) -> Iterator[Any]:
        """The logged-in read-write session (opened on first use), held under the lock for the caller's operation."""
        with self._lock:
            try:
                if self._session is None or self._pid != os.getpid():
                    self._handles = {}
                    self._session = self._open()
                yield self._session
            except pkcs11.PKCS11Error as exc:
                if isinstance(
                    exc,
                    (
                        pkcs11.SessionClosed,
                        pkcs11.SessionHandleInvalid,
                        pkcs11.DeviceRemoved,
                        pkcs11.TokenNotPresent,
                        pkcs11.UserNotLoggedIn,
                        pkcs11.KeyHandleInvalid,
                        pkcs11.ObjectHandleInvalid,
                    ),
                ):
                    self._session, self._handles = None, {}
                raise explain(exc, self.config) from None

    def close(self) -> None:
        """Close the session and finalise the module: nothing stays open for a forked child to inherit, and the
        next use initialises the module again (reading its configuration anew)."""
        with self._lock:
            if self._session is not None:
                with suppress(pkcs11.PKCS11Error):
                    self._session.close()
                self._session, self._handles = None, {}
            loaded = pkcs11._loaded.get(self.config.module)
            if loaded is not None and loaded.initialized:
                with suppress(pkcs11.PKCS11Error):
                    loaded.finalize()
            self._pid = 0

    def find(self, session: Any, object_class: ObjectClass, label: str, what: str) -> Any:
        """The object of that class and label; found once per session (a handle lasts as long as its session)."""
        cached = session is self._session
        if cached and (object_class, label) in self._handles:
            return self._handles[object_class, label]
        try:
            found = session.get_key(object_class=object_class, label=label)
        except pkcs11.NoSuchKey:
            raise TokenError(
                f"The token {self.config.token_label!r} holds no {what} labelled {label!r}: run "
                "`liaison keys init --backend pkcs11` (or correct the key label setting)."
            ) from None
        except pkcs11.MultipleObjectsReturned:
            raise TokenError(
                f"The token {self.config.token_label!r} holds several objects labelled {label!r} ({what}): "
                "remove the extra ones."
            ) from None
        if cached:
            self._handles[object_class, label] = found
        return found

    def certificate(self, session: Any, label: str) -> x509.Certificate | None:
        objects = list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: label}))
        if not objects:
            return None
        return x509.load_der_x509_certificate(objects[0][Attribute.VALUE])


class Pkcs11Ed25519Signer:
    """Ed25519 signatures made inside the token; the public key is read once, as a cryptography object."""

    def __init__(self, token: Token) -> None:
        self._token = token
        self.label = token.config.signing_label
        with token.session() as session:
            public = token.find(session, ObjectClass.PUBLIC_KEY, self.label, "Ed25519 public key")
            token.find(session, ObjectClass.PRIVATE_KEY, self.label, "Ed25519 private key")
            try:
                self._public_key = ed25519_public_key(public[Attribute.EC_POINT])
            except ValueError:
                raise TokenError(f"The key labelled {self.label!r} in the token is not an Ed25519 key.") from None

    @property
    def public_key(self) -> ed25519.Ed25519PublicKey:
        return self._public_key

    @property
    def key_id(self) -> str:
        return key_id_of(self._public_key)

    def public_key_pem(self) -> bytes:
        return self._public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def sign(self, data: bytes) -> bytes:
        with self._token.session() as session:
            key = self._token.find(session, ObjectClass.PRIVATE_KEY, self.label, "Ed25519 private key")
            signature: bytes = key.sign(data, mechanism=Mechanism.EDDSA)
        return signature


class Pkcs11KeyWrapper:
    """RFC 3394 AES key wrap under the token's master key: the data key enters the token as a short-lived session
    object, is wrapped (C_WrapKey), and the object is destroyed; unwrapping is the reverse."""

    def __init__(self, token: Token) -> None:
        self._token = token
        self.label = token.config.master_label
        with token.session() as session:
            token.find(session, ObjectClass.SECRET_KEY, self.label, "AES master key")

    def wrap(self, data_key: bytes) -> bytes:
        with self._token.session() as session:
            master = self._token.find(session, ObjectClass.SECRET_KEY, self.label, "AES master key")
            carrier = session.create_object(
                {
                    Attribute.CLASS: ObjectClass.SECRET_KEY,
                    Attribute.KEY_TYPE: KeyType.GENERIC_SECRET,
                    Attribute.VALUE: data_key,
                    Attribute.TOKEN: False,
                    Attribute.SENSITIVE: False,
                    Attribute.EXTRACTABLE: True,
                }
            )
            try:
                wrapped: bytes = master.wrap_key(carrier, mechanism=Mechanism.AES_KEY_WRAP)
            finally:
                carrier.destroy()
        return wrapped

    def unwrap(self, wrapped: bytes) -> bytes:
        with self._token.session() as session:
            master = self._token.find(session, ObjectClass.SECRET_KEY, self.label, "AES master key")
            try:
                carrier = master.unwrap_key(
                    ObjectClass.SECRET_KEY,
                    KeyType.GENERIC_SECRET,
                    wrapped,
                    mechanism=Mechanism.AES_KEY_WRAP,
                    store=False,
                    template={Attribute.SENSITIVE: False, Attribute.EXTRACTABLE: True},
                )
            except (
                pkcs11.GeneralError,
                pkcs11.FunctionFailed,
                pkcs11.WrappedKeyInvalid,
                pkcs11.WrappedKeyLenRange,
                pkcs11.EncryptedDataInvalid,
                pkcs11.DataInvalid,
            ):
                raise KeyUnwrapFailed("the wrapped key does not unwrap under the token's master key") from None
            try:
                data_key: bytes = carrier[Attribute.VALUE]
            finally:
                carrier.destroy()
        return data_key


@contextmanager
def pdf_signer(token: Token, ca_cert: x509.Certificate) -> Iterator[Any]:
    """pyHanko's PKCS#11 signer over the token's ECDSA P-256 key and the certificate stored beside it; the session
    stays locked while the caller signs."""
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.sign.pkcs11 import PKCS11Signer

    label = token.config.pdf_label
    with token.session() as session:
        token.find(session, ObjectClass.PRIVATE_KEY, label, "PDF signing key")
        cert = token.certificate(session, label)
        if cert is None:
            raise TokenError(
                f"The token {token.config.token_label!r} holds no certificate labelled {label!r}: run "
                "`liaison keys init --backend pkcs11` to issue it."
            )
        yield PKCS11Signer(
            session,
            key_label=label,
            use_raw_mechanism=True,  # hash here, sign the digest with CKM_ECDSA: what every token supports
            signing_cert=next(iter(load_certs_from_pemder_data(cert.public_bytes(serialization.Encoding.PEM)))),
            ca_chain=list(load_certs_from_pemder_data(ca_cert.public_bytes(serialization.Encoding.PEM))),
        )
