"""Security keys: enrolment, login assertions and revocation. Each response from a key is checked step by step so
that a refusal names the check that failed (to the user in plain words, to the audit log by its code): the
challenge (single-use, bound to the session, short-lived), the origin, the relying party, the credential, the
signature counter (clone detection) and the signature. Every refusal and every change writes its audit entry.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    parse_authentication_credential_json,
    parse_authenticator_data,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    ClientDataType,
    CollectedClientData,
    PublicKeyCredentialDescriptor,
    RegistrationCredential,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from liaison.accounts.failures import address_throttle_check
from liaison.accounts.models import User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.exceptions import Conflict, DomainError
from liaison.passkeys import relying_party
from liaison.passkeys.models import CeremonyPurpose, KeyChallenge, SecurityKey

SESSION_CHALLENGE = "passkeys_challenge_"
# Used challenges are kept this long after they expire, so that a replayed response is recognised as a replay.
CHALLENGE_KEEP = timedelta(days=1)
NAME_MAX_LENGTH = 80
PARSE_ERRORS = (WebAuthnException, ValueError, TypeError, KeyError, AttributeError)


class KeyRefused(DomainError):
    """A response from a key failed one check; `check` names it (the audit log records the code)."""

    def __init__(self, check: str, message: str) -> None:
        super().__init__(message)
        self.check = check


def _refusal(check: str) -> KeyRefused:
    messages = {
        "malformed": _("The answer from your key could not be read. Press the button and touch your key again."),
        "ceremony": _("This answer from a key is not for this step. Press the button and touch your key again."),
        "no_challenge": _(
            "No key request is waiting on this page (it was already answered or it expired). Press the button and "
            "touch your key again."
        ),
        "replayed": _(
            "This answer from a key was already used: each answer is good once only. Press the button and touch your "
            "key again."
        ),
        "foreign_challenge": _(
            "This answer from a key was made for another login. Press the button and touch your key again."
        ),
        "expired": _("The key request expired. Press the button and touch your key again."),
        "origin": _(
            "Your key answered for another web address than this instance. Open Liaison at its usual address and "
            "try again."
        ),
        "rp_id": _("Your key signed for another site than this instance. Use a key enrolled on this instance."),
        "unknown_credential": _(
            "This key is not enrolled for your account. Use one of your enrolled keys, or ask an administrator."
        ),
        "revoked_credential": _("This key was revoked and no longer opens your account. Use another enrolled key."),
        "counter": _(
            "This key's signature counter went backwards, which is how a copied key shows. The login is refused and "
            "recorded for the security office; use another key and tell the security officer."
        ),
        "signature": _("Your key's signature did not check out. Press the button and touch your key again."),
        "attestation": _("The new key's answer did not check out. Press the button and touch your key again."),
        "already_enrolled": _("This key is already enrolled. Touch another key, or keep using this one."),
    }
    return KeyRefused(check, messages[check])


# Challenges: issued to a session, claimed once.


def _session_slot(purpose: str) -> str:
    return SESSION_CHALLENGE + purpose


def _challenge_issue(*, request: HttpRequest, user: User, purpose: str) -> bytes:
    """A new random challenge for `user`'s ceremony, remembered by this session only; it replaces any earlier one."""
    now = timezone.now()
    KeyChallenge.objects.filter(expires_at__lt=now - CHALLENGE_KEEP).delete()
    value = secrets.token_bytes(32)
    challenge = KeyChallenge.objects.create(
        challenge=value,
        digest=hashlib.sha256(value).hexdigest(),
        user=user,
        purpose=purpose,
        created_at=now,
        expires_at=now + timedelta(seconds=settings.LIAISON_KEY_CHALLENGE_SECONDS),
    )
    request.session[_session_slot(purpose)] = challenge.pk
    return value


def _challenge_claim(*, request: HttpRequest, user: User, purpose: str, answered: bytes) -> None:
    """Use up the challenge the response answers, once: it must be the one this session was given, for this user
    and this ceremony, and not yet expired. A challenge already used means the response is replayed."""
    pending = request.session.pop(_session_slot(purpose), None)
    challenge = KeyChallenge.objects.filter(digest=hashlib.sha256(answered).hexdigest()).first()
    if challenge is None:
        raise _refusal("no_challenge" if pending is None else "foreign_challenge")
    if challenge.used_at is not None:
        raise _refusal("replayed")
    if pending != challenge.pk or challenge.user_id != user.pk or challenge.purpose != purpose:
        raise _refusal("foreign_challenge")
    now = timezone.now()
    if challenge.expires_at <= now:
        raise _refusal("expired")
    if not KeyChallenge.objects.filter(pk=challenge.pk, used_at__isnull=True).update(used_at=now):
        raise _refusal("replayed")  # another request used it a moment ago


def _client_data(raw: bytes, expected_type: str) -> CollectedClientData:
    try:
        client_data = parse_client_data_json(raw)
    except PARSE_ERRORS:
        raise _refusal("malformed") from None
    if client_data.type != expected_type:
        raise _refusal("ceremony")
    return client_data


def _check_origin(request: HttpRequest, client_data: CollectedClientData) -> None:
    if client_data.origin not in relying_party.origins(request):
        raise _refusal("origin")


def _audit_refusal(
    *, request: HttpRequest, user: User, purpose: str, refusal: KeyRefused, extra: dict[str, Any]
) -> None:
    record(
        actor=user if purpose == CeremonyPurpose.REGISTER else None,
        event=AuditEvent.KEY_REFUSED,
        target=user,
        extra={"ceremony": purpose, "check": refusal.check} | extra,
        request=request,
    )


# Enrolment.


def registration_options(*, request: HttpRequest, user: User) -> str:
    """The options (JSON) for the browser to create a new credential for `user`, with a fresh challenge."""
    existing = [
        PublicKeyCredentialDescriptor(id=base64url_to_bytes(key.credential_id))
        for key in user.security_keys.filter(revoked_at__isnull=True)
    ]
    options = generate_registration_options(
        rp_id=relying_party.rp_id(request),
        rp_name=relying_party.rp_name(),
        user_id=user.pk.bytes,
        user_name=user.username,
        user_display_name=user.alias,
        challenge=_challenge_issue(request=request, user=user, purpose=CeremonyPurpose.REGISTER),
        timeout=settings.LIAISON_KEY_CHALLENGE_SECONDS * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=existing,
    )
    return options_to_json(options)


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("Give the key a name you will recognise, for example “blue key on my keyring”."))
    if len(name) > NAME_MAX_LENGTH:
        raise DomainError(_("Keep the key's name under %(n)d characters.") % {"n": NAME_MAX_LENGTH})
    return name


def _transports(credential: RegistrationCredential) -> list[str]:
    known = {transport.value for transport in AuthenticatorTransport}
    given = credential.response.transports or []
    return sorted({str(getattr(t, "value", t)) for t in given} & known)


def key_enrol(*, request: HttpRequest, user: User, name: str, credential: str) -> SecurityKey:
    """Enrol the key that answered this session's enrolment challenge; the caller has made sure who is asking (a
    logged-in user who confirmed their password, or a login in progress). Refusals are audited with their check."""
    name = _clean_name(name)
    refusal: KeyRefused | None = None
    with transaction.atomic():
        try:
            key = _enrol(request, user, name, credential)
        except KeyRefused as error:
            refusal = error
            _audit_refusal(request=request, user=user, purpose=CeremonyPurpose.REGISTER, refusal=error, extra={})
    if refusal is not None:
        raise refusal
    return key


def _enrol(request: HttpRequest, user: User, name: str, raw: str) -> SecurityKey:
    try:
        credential = parse_registration_credential_json(raw)
    except PARSE_ERRORS:
        raise _refusal("malformed") from None
    client_data = _client_data(credential.response.client_data_json, ClientDataType.WEBAUTHN_CREATE)
    _challenge_claim(request=request, user=user, purpose=CeremonyPurpose.REGISTER, answered=client_data.challenge)
    _check_origin(request, client_data)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=client_data.challenge,
            expected_rp_id=relying_party.rp_id(request),
            expected_origin=relying_party.origins(request),
        )
    except PARSE_ERRORS as error:
        raise _refusal("rp_id" if "RP ID" in str(error) else "attestation") from None
    credential_id = credential.id
    if SecurityKey.objects.filter(credential_id=credential_id).exists():
        raise _refusal("already_enrolled")
    key = SecurityKey.objects.create(
        user=user,
        name=name,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=_transports(credential),
        aaguid=verified.aaguid,
        is_backup_eligible=verified.credential_device_type == "multi_device",
        is_backed_up=verified.credential_backed_up,
    )
    record(
        actor=user,
        event=AuditEvent.KEY_ENROLLED,
        target=user,
        extra={
            "key": str(key.pk),
            "name": key.name,
            "aaguid": key.aaguid,
            "transports": key.transports,
            "backup_eligible": key.is_backup_eligible,
        },
        request=request,
    )
    return key


# Login.


def authentication_options(*, request: HttpRequest, user: User) -> str:
    """The options (JSON) for the browser to ask one of `user`'s keys to sign a fresh challenge."""
    allowed = [
        PublicKeyCredentialDescriptor(
            id=base64url_to_bytes(key.credential_id),
            transports=[AuthenticatorTransport(t) for t in key.transports],
        )
        for key in user.security_keys.filter(revoked_at__isnull=True)
    ]
    options = generate_authentication_options(
        rp_id=relying_party.rp_id(request),
        challenge=_challenge_issue(request=request, user=user, purpose=CeremonyPurpose.LOGIN),
        timeout=settings.LIAISON_KEY_CHALLENGE_SECONDS * 1000,
        allow_credentials=allowed,
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return options_to_json(options)


def key_authenticate(*, request: HttpRequest, user: User, credential: str) -> SecurityKey:
    """Second login step with a key: the response must answer this session's login challenge, from this
    instance's origin, for this relying party, with one of the user's enrolled keys, its counter moving forward and
    its signature valid. The challenge is used up whatever the outcome; each refusal is audited with its check."""
    address_throttle_check(request=request)
    refusal: KeyRefused | None = None
    extra: dict[str, Any] = {}
    with transaction.atomic():
        try:
            key = _authenticate(request, user, credential, extra)
        except KeyRefused as error:
            refusal = error
            _audit_refusal(request=request, user=user, purpose=CeremonyPurpose.LOGIN, refusal=error, extra=extra)
    if refusal is not None:
        raise refusal
    return key


def _authenticate(request: HttpRequest, user: User, raw: str, extra: dict[str, Any]) -> SecurityKey:
    try:
        credential = parse_authentication_credential_json(raw)
    except PARSE_ERRORS:
        raise _refusal("malformed") from None
    client_data = _client_data(credential.response.client_data_json, ClientDataType.WEBAUTHN_GET)
    _challenge_claim(request=request, user=user, purpose=CeremonyPurpose.LOGIN, answered=client_data.challenge)
    if client_data.origin not in relying_party.origins(request):
        extra["origin"] = client_data.origin[:200]
        raise _refusal("origin")
    key = SecurityKey.objects.select_for_update().filter(credential_id=credential.id, user=user).first()
    if key is None:
        raise _refusal("unknown_credential")
    extra["key"] = str(key.pk)
    if key.is_revoked:
        raise _refusal("revoked_credential")
    try:
        authenticator_data = parse_authenticator_data(credential.response.authenticator_data)
    except PARSE_ERRORS:
        raise _refusal("malformed") from None
    if authenticator_data.rp_id_hash != hashlib.sha256(relying_party.rp_id(request).encode()).digest():
        raise _refusal("rp_id")
    new_count = authenticator_data.sign_count
    if (new_count or key.sign_count) and new_count <= key.sign_count:
        extra |= {"sign_count": new_count, "stored_sign_count": key.sign_count}
        raise _refusal("counter")
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=client_data.challenge,
            expected_rp_id=relying_party.rp_id(request),
            expected_origin=relying_party.origins(request),
            credential_public_key=bytes(key.public_key),
            credential_current_sign_count=key.sign_count,
        )
    except PARSE_ERRORS:
        raise _refusal("signature") from None
    key.sign_count = verified.new_sign_count
    key.is_backed_up = verified.credential_backed_up
    key.last_used_at = timezone.now()
    key.save(update_fields=["sign_count", "is_backed_up", "last_used_at", "updated_at"])
    return key


# Revocation.


def key_revoke(*, request: HttpRequest | None, key: SecurityKey, by: User) -> SecurityKey:
    """Revoke one of the user's own keys (the caller has confirmed their password). A user whose role requires a
    key keeps at least one: they enrol the replacement first, so revoking cannot fall back to a weaker factor."""
    with transaction.atomic():
        key = SecurityKey.objects.select_for_update().get(pk=key.pk)
        if key.user_id != by.pk:
            raise DomainError(_("You can revoke only your own keys."))
        if key.is_revoked:
            raise Conflict(_("This key is already revoked."))
        others = SecurityKey.objects.filter(user=by, revoked_at__isnull=True).exclude(pk=key.pk)
        if relying_party.key_required(by) and not others.exists():
            raise Conflict(_("Your role requires a security key: enrol another key before you revoke your last one."))
        key.revoked_at = timezone.now()
        key.revoked_by = by
        key.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        record(
            actor=by,
            event=AuditEvent.KEY_REVOKED,
            target=by,
            extra={"key": str(key.pk), "name": key.name},
            request=request,
        )
    return key
