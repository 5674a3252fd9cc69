"""The PKCS#11 key backend against a private SoftHSM token: keys generated in the token and never extractable,
Ed25519 signatures that verify with the public key it gives, report PDFs signed in the token that `pdfsig` and
`verify-report` accept, the master key wrapping attachment keys in the token, and a clear error for each way the
token can be unusable."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pkcs11
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.keywrap import aes_key_wrap
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from pkcs11 import Attribute, ObjectClass

from liaison.exchanges.attachments import seal, unseal
from liaison.exchanges.services import ItemInput, exchange_create, item_create
from liaison.keys.hsm import KeyUnwrapFailed, Pkcs11Ed25519Signer, Pkcs11KeyWrapper
from liaison.keys.store import (
    CA_CERT_FILE,
    MASTER_FILE,
    get_key_wrapper,
    get_signer,
    keys_check,
    reset_keys,
    verify_ed25519,
)
from liaison.policy.markings import Marking
from liaison.reports.exports import report_export_json, report_export_pdf
from liaison.reports.models import SECTIONS, Report
from liaison.reports.pdf import verify_pdf
from liaison.reports.services import report_approve, report_create, report_submit, report_update
from liaison.testing.cast import Cast
from liaison.testing.softhsm import USER_PIN, SoftHsmToken, softhsm_token

__all__ = ["softhsm_token"]  # the fixture, imported for the tests below


def _init(*args: str) -> str:
    out = StringIO()
    call_command("keys", "init", "--backend", "pkcs11", *args, stdout=out)
    return out.getvalue()


def _status() -> str:
    out = StringIO()
    call_command("keys", "status", stdout=out)
    return out.getvalue()


def _session(token: SoftHsmToken) -> Any:
    """A session of the test's own (the instance's is closed first: the login belongs to the whole application)."""
    reset_keys()
    return pkcs11.lib(str(token.module)).get_token(token_label=token.label).open(user_pin=token.pin)


@pytest.fixture
def hsm(softhsm_token: SoftHsmToken) -> SoftHsmToken:
    """The token with the instance's keys created in it."""
    created = _init()
    assert "Ed25519 key pair 'liaison-ed25519'" in created
    assert "AES-256 master key 'liaison-master'" in created
    assert "ECDSA P-256 key pair 'liaison-pdf'" in created
    assert "PDF signing certificate 'liaison-pdf'" in created
    return softhsm_token


def test_ed25519_signatures_made_in_the_token_verify_with_the_public_key_it_gives(hsm: SoftHsmToken) -> None:
    signer = get_signer()
    assert isinstance(signer, Pkcs11Ed25519Signer)
    assert re.fullmatch(r"[0-9a-f]{16}", signer.key_id)
    message = b"tree size 42, root hash ..."
    signature = signer.sign(message)
    assert len(signature) == 64
    signer.public_key.verify(signature, message)  # a cryptography Ed25519PublicKey: raises if wrong
    with pytest.raises(InvalidSignature):
        signer.public_key.verify(signature, message + b"!")
    assert verify_ed25519(signer.public_key_pem(), signature, message)
    assert signer.sign(message) == signature  # Ed25519 is deterministic: the token signs as the algorithm says


def test_the_private_keys_cannot_leave_the_token(hsm: SoftHsmToken) -> None:
    with _session(hsm) as session:
        ed = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label="liaison-ed25519")
        pdf = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label="liaison-pdf")
        master = session.get_key(object_class=ObjectClass.SECRET_KEY, label="liaison-master")
        for key in (ed, pdf, master):
            assert key[Attribute.SENSITIVE] is True
            assert key[Attribute.EXTRACTABLE] is False
            assert key[Attribute.NEVER_EXTRACTABLE] is True
            assert key[Attribute.LOCAL] is True  # generated in the token, not imported
            with pytest.raises(pkcs11.AttributeSensitive):
                key[Attribute.VALUE]
        with pytest.raises(pkcs11.KeyUnextractable):  # not even wrapped under a key of the token itself
            master.wrap_key(ed, mechanism=pkcs11.Mechanism.AES_KEY_WRAP_PAD)
    status = _status()
    assert "Key backend: pkcs11" in status
    assert status.count("sensitive, not extractable") == 3
    assert f"Ed25519 key id: {get_signer().key_id}" in status


def test_keys_init_is_idempotent_and_keys_show_prints_the_token_public_key(hsm: SoftHsmToken) -> None:
    assert "nothing created" in _init()
    out = StringIO()
    call_command("keys", "show", stdout=out)
    assert f"Ed25519 key id: {get_signer().key_id}" in out.getvalue()
    assert get_signer().public_key_pem().decode().strip() in out.getvalue()


def _approved_report(cast: Cast) -> Report:
    exchange = exchange_create(
        by=cast.alice,
        kind="meeting",
        title="Quarterly meeting",
        occurred_at=datetime(2025, 3, 4, 10, 30),
        time_zone="Europe/Paris",
        partners=[cast.open_partner],
        marking=Marking(rank=1),
    )
    item_create(
        by=cast.alice,
        exchange=exchange,
        data=ItemInput(
            direction="received",
            originator_kind="partner",
            originator_partner=cast.open_partner,
            title="Courier route",
            text="The courier travels through the port every Tuesday.",
            source_reliability="B",
            information_credibility="2",
            marking=Marking(rank=2),
        ),
    )
    report = report_create(by=cast.alice, exchange=exchange)
    report_update(
        by=cast.alice,
        report=report,
        title="Report signed in the HSM",
        sections={name: f"{label} of the meeting." for name, label in SECTIONS},
        quotes=[],
    )
    report_submit(by=cast.alice, report=report)
    return report_approve(by=cast.carol, report=report)


def test_a_report_signed_in_the_token_passes_pdfsig_and_verify_report(
    hsm: SoftHsmToken, cast: Cast, tmp_path: Path
) -> None:
    report = _approved_report(cast)
    assert report.signing_key_id == get_signer().key_id
    assert sorted(os.listdir(hsm.key_dir)) == ["ca-key.pem", "ca.pem"]  # every other key is in the token

    pdf, _export = report_export_pdf(by=cast.carol, report=report)
    result = verify_pdf(pdf, (hsm.key_dir / CA_CERT_FILE).read_bytes())
    assert result.valid and result.trusted, result.message
    assert "report signing" in result.signer
    pdf_path = tmp_path / "report.pdf"
    pdf_path.write_bytes(pdf)
    call_command("verify_report", str(pdf_path), stdout=StringIO())
    pdfsig = shutil.which("pdfsig")
    if pdfsig is None:
        if os.environ.get("LIAISON_REQUIRE_SYSTEM_TOOLS") == "1":
            pytest.fail("pdfsig (poppler-utils) is not installed; LIAISON_REQUIRE_SYSTEM_TOOLS=1 requires it")
    else:
        shown = subprocess.run([pdfsig, str(pdf_path)], capture_output=True, text=True).stdout
        assert "Signature Validation: Signature is Valid." in shown
        assert "Signer Certificate Common Name: Liaison report signing" in shown
        assert "Total document signed" in shown

    data, _export = report_export_json(by=cast.carol, report=report)
    document = json.loads(data)
    assert document["signature"]["key_id"] == get_signer().key_id
    assert document["signature"]["public_key"] == get_signer().public_key_pem().decode()
    json_path = tmp_path / "report.json"
    json_path.write_bytes(data)
    out = StringIO()
    call_command("verify_report", str(json_path), stdout=out)  # the instance key, read from the token
    assert f"VALID: Ed25519 signature by key {get_signer().key_id}" in out.getvalue()
    key_path = tmp_path / "instance.pem"
    key_path.write_bytes(get_signer().public_key_pem())
    reset_keys()
    call_command("verify_report", str(json_path), public_key=str(key_path), stdout=StringIO())

    document["payload"]["title"] = "Another title"
    json_path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="does not match the payload"):
        call_command("verify_report", str(json_path), public_key=str(key_path))


def test_the_master_key_in_the_token_wraps_attachment_keys_as_rfc_3394(hsm: SoftHsmToken) -> None:
    wrapper = get_key_wrapper()
    assert isinstance(wrapper, Pkcs11KeyWrapper)
    data_key = os.urandom(32)
    wrapped = wrapper.wrap(data_key)
    assert len(wrapped) == 40 and wrapped != data_key
    assert wrapper.unwrap(wrapped) == data_key
    sealed = seal(b"attachment body", associated=b"item-1")
    assert (
        unseal(
            wrapped_key=sealed.wrapped_key,
            nonce=sealed.nonce,
            ciphertext=sealed.ciphertext,
            associated=b"item-1",
            digest=sealed.digest,
        )
        == b"attachment body"
    )
    altered = bytearray(wrapped)
    altered[5] ^= 0x01
    with pytest.raises(KeyUnwrapFailed):
        wrapper.unwrap(bytes(altered))
    with pytest.raises(ValueError):  # what the attachment code turns into "failed its integrity check"
        wrapper.unwrap(wrapped[:-3])


def test_an_existing_file_master_key_is_never_silently_replaced(softhsm_token: SoftHsmToken) -> None:
    master = os.urandom(32)
    softhsm_token.key_dir.mkdir(mode=0o700)
    (softhsm_token.key_dir / MASTER_FILE).write_text(base64.b64encode(master).decode() + "\n")
    (softhsm_token.key_dir / MASTER_FILE).chmod(0o600)
    with pytest.raises(CommandError, match=r"already has a master key.*--import-master-key"):
        _init()
    with pytest.raises(CommandError, match="Some instance keys are missing"):
        _status()  # the refusal came before anything was created
    with _session(softhsm_token) as session:
        assert list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})) == []

    assert "AES-256 master key 'liaison-master' (imported)" in _init("--import-master-key")
    data_key = os.urandom(32)
    file_wrapped = aes_key_wrap(master, data_key)  # what the file backend sealed before the move
    assert get_key_wrapper().unwrap(file_wrapped) == data_key
    assert get_key_wrapper().wrap(data_key) == file_wrapped


def test_the_pin_can_come_from_an_owner_only_file(softhsm_token: SoftHsmToken, settings: Any, tmp_path: Path) -> None:
    pin_file = tmp_path / "pin"
    pin_file.write_text(USER_PIN + "\n")
    pin_file.chmod(0o644)
    settings.LIAISON_PKCS11_PIN_SECRET = ""
    settings.LIAISON_PKCS11_PIN_FILE = str(pin_file)
    with pytest.raises(CommandError, match=r"open to other users \(mode 0644\)"):
        _init()
    pin_file.chmod(0o600)
    reset_keys()
    assert "Ed25519 key pair" in _init()
    assert get_signer().sign(b"x")


def test_a_wrong_pin_is_a_clear_error_that_does_not_print_the_pin(hsm: SoftHsmToken, settings: Any) -> None:
    reset_keys()
    settings.LIAISON_PKCS11_PIN_SECRET = "0000-wrong"
    with pytest.raises(ImproperlyConfigured, match="refused the PIN") as refused:
        get_signer()
    assert "0000-wrong" not in str(refused.value)
    with pytest.raises(CommandError, match="refused the PIN"):
        _status()
    with pytest.raises(ImproperlyConfigured, match="refused the PIN"):
        keys_check()  # `liaison serve` stops before listening


def test_a_missing_module_token_or_key_is_a_clear_error(softhsm_token: SoftHsmToken, settings: Any) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"holds no Ed25519 public key labelled 'liaison-ed25519'"):
        get_signer()
    out = StringIO()
    with pytest.raises(CommandError, match="Some instance keys are missing"):
        call_command("keys", "status", stdout=out)
    assert "Ed25519 signing key: 'liaison-ed25519' MISSING (run `liaison keys init --backend pkcs11`)" in out.getvalue()

    reset_keys()
    settings.LIAISON_PKCS11_TOKEN_LABEL = "no-such-token"
    with pytest.raises(ImproperlyConfigured, match="No token 'no-such-token' in the PKCS#11 module"):
        get_signer()

    reset_keys()
    settings.LIAISON_PKCS11_MODULE = "/nonexistent/libpkcs11.so"
    with pytest.raises(CommandError, match=r"cannot be loaded.*LIAISON_PKCS11_MODULE"):
        _init()

    reset_keys()
    settings.LIAISON_PKCS11_MODULE = ""
    with pytest.raises(ImproperlyConfigured, match="LIAISON_PKCS11_MODULE"):
        get_signer()


def test_keys_check_opens_the_token_then_leaves_nothing_open(hsm: SoftHsmToken) -> None:
    from liaison.keys.store import token

    keys_check()
    assert token.cache_info().currsize == 0 and get_signer.cache_info().currsize == 0
    assert not pkcs11._loaded[str(hsm.module)].initialized  # a forked server process starts clean
    assert get_signer().sign(b"after the check")  # and the next use opens it again

    (hsm.key_dir / CA_CERT_FILE).rename(hsm.key_dir / "ca.pem.away")
    with pytest.raises(ImproperlyConfigured, match=r"ca\.pem is missing"):
        keys_check()  # the PDF signer is checked too: a certificate that cannot be used stops the start


def test_a_release_package_is_signed_sealed_and_opened_through_the_token(hsm: SoftHsmToken, cast: Cast) -> None:
    from liaison.releases import package as packages
    from liaison.testing.release_cast import release_cast

    package = release_cast(cast).released.package
    assert package.signing_key_id == get_signer().key_id
    manifest = packages.package_manifest_bytes(package)
    assert verify_ed25519(get_signer().public_key_pem(), base64.b64decode(package.signature), manifest)
    pdf = packages.package_pdf(package)  # stored encrypted: its data key unwraps in the token
    result = verify_pdf(pdf, (hsm.key_dir / CA_CERT_FILE).read_bytes())
    assert result.valid and result.trusted, result.message


def test_a_page_that_needs_an_unusable_token_answers_503_saying_so(
    hsm: SoftHsmToken, cast: Cast, settings: Any
) -> None:
    from django.test import Client

    from liaison.testing.matrix import login_as

    reset_keys()
    settings.LIAISON_PKCS11_PIN_SECRET = "0000-wrong"
    client = Client(raise_request_exception=False)
    client.cookies.load({"django_language": "en"})
    login_as(client, cast.alice)
    response = client.get("/keys/instance-ed25519.pem")
    assert response.status_code == 503
    assert "Keys unavailable" in response.content.decode()
    assert "hardware security module" in response.content.decode()
    assert "0000-wrong" not in response.content.decode()
