"""The instance keys: created once, never overwritten, and a lost PDF certificate is renewed under the same CA."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography import x509
from django.core.exceptions import ImproperlyConfigured

from liaison.keys.store import CA_CERT_FILE, CA_KEY_FILE, PDF_CERT_FILE, PDF_KEY_FILE, keys_init


def test_keys_are_created_once_and_never_overwritten(tmp_path: Path, settings) -> None:
    first = keys_init(tmp_path)
    assert {CA_CERT_FILE, PDF_CERT_FILE, "master.key", "instance-ed25519.pem"} <= set(first)
    master = (tmp_path / "master.key").read_bytes()
    assert keys_init(tmp_path) == []
    assert (tmp_path / "master.key").read_bytes() == master
    assert oct((tmp_path / "master.key").stat().st_mode & 0o777) == "0o600"


def test_a_removed_pdf_certificate_is_renewed_under_the_existing_ca(tmp_path: Path) -> None:
    keys_init(tmp_path)
    ca_before = (tmp_path / CA_CERT_FILE).read_bytes()
    (tmp_path / PDF_CERT_FILE).unlink()
    assert keys_init(tmp_path) == [PDF_KEY_FILE, PDF_CERT_FILE]
    assert (tmp_path / CA_CERT_FILE).read_bytes() == ca_before
    ca = x509.load_pem_x509_certificate(ca_before)
    renewed = x509.load_pem_x509_certificate((tmp_path / PDF_CERT_FILE).read_bytes())
    renewed.verify_directly_issued_by(ca)


def test_an_organisation_ca_without_its_key_is_never_overwritten(tmp_path: Path) -> None:
    keys_init(tmp_path)
    for name in (CA_KEY_FILE, PDF_CERT_FILE, PDF_KEY_FILE):
        (tmp_path / name).unlink()
    ca = (tmp_path / CA_CERT_FILE).read_bytes()
    with pytest.raises(ImproperlyConfigured, match="without its pair"):
        keys_init(tmp_path)
    assert (tmp_path / CA_CERT_FILE).read_bytes() == ca
