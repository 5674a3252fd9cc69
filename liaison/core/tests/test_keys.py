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


def test_the_liaison_command_reports_a_bad_setting_in_one_line_without_a_traceback(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "LIAISON_KEY_BACKEND": "hsm", "LIAISON_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", "from liaison.cli import main; main(['liaison', 'keys', 'status'])"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr == "ImproperlyConfigured: LIAISON_KEY_BACKEND must be file or pkcs11 (got 'hsm').\n"


def test_keys_status_names_the_file_backend_and_fails_while_a_key_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from liaison.keys.store import get_signer, reset_keys

    monkeypatch.setenv("LIAISON_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.delenv("LIAISON_MASTER_KEY", raising=False)
    reset_keys()
    try:
        before = StringIO()
        with pytest.raises(CommandError, match="Some instance keys are missing"):
            call_command("keys", "status", stdout=before)
        assert "Key backend: file" in before.getvalue() and "instance-ed25519.pem: MISSING" in before.getvalue()
        call_command("keys", "init", stdout=StringIO())
        after = StringIO()
        call_command("keys", "status", stdout=after)
        assert "master.key: present" in after.getvalue()
        assert f"Ed25519 key id: {get_signer().key_id}" in after.getvalue()
    finally:
        reset_keys()  # the next test reads the keys of its own folder
