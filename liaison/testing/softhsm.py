"""A private SoftHSM token for tests of the PKCS#11 key backend: its own token folder and configuration file
(SOFTHSM2_CONF), a fresh token, the instance configured to use it, and a key folder of its own for the CA.

    def test_something(softhsm_token: SoftHsmToken) -> None: ...

The fixture skips where SoftHSM is missing (fails under LIAISON_REQUIRE_SYSTEM_TOOLS=1), and resets the key caches
before and after, so the tests around it keep the file keys."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from liaison.keys.store import reset_keys
from liaison.testing.system import require_softhsm

TOKEN_LABEL = "liaison-test"
USER_PIN = "4711-user"
SO_PIN = "4711-officer"


@dataclass(frozen=True)
class SoftHsmToken:
    module: Path
    conf: Path
    label: str
    pin: str
    key_dir: Path

    def util(self, *args: str) -> str:
        """Run softhsm2-util against this token's configuration."""
        done = subprocess.run(
            ["softhsm2-util", *args],
            capture_output=True,
            text=True,
            check=True,
            env={"SOFTHSM2_CONF": str(self.conf), "PATH": "/usr/bin:/bin:/usr/local/bin"},
        )
        return done.stdout


def make_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any) -> SoftHsmToken:
    module = require_softhsm()
    tokens = tmp_path / "softhsm-tokens"
    tokens.mkdir(mode=0o700)
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"
    )
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    key_dir = tmp_path / "keys"
    monkeypatch.setenv("LIAISON_KEY_DIR", str(key_dir))
    monkeypatch.delenv("LIAISON_MASTER_KEY", raising=False)
    token = SoftHsmToken(module, conf, TOKEN_LABEL, USER_PIN, key_dir)
    token.util("--init-token", "--free", "--label", TOKEN_LABEL, "--pin", USER_PIN, "--so-pin", SO_PIN)
    reset_keys()  # the module re-reads SOFTHSM2_CONF when it is next initialised
    settings.LIAISON_KEY_BACKEND = "pkcs11"
    settings.LIAISON_PKCS11_MODULE = str(module)
    settings.LIAISON_PKCS11_TOKEN_LABEL = TOKEN_LABEL
    settings.LIAISON_PKCS11_PIN_SECRET = USER_PIN
    settings.LIAISON_PKCS11_PIN_FILE = ""
    return token


@pytest.fixture
def softhsm_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[SoftHsmToken]:
    """A fresh, empty SoftHSM token, configured as the instance's key backend (no keys created yet)."""
    yield make_token(tmp_path, monkeypatch, settings)
    reset_keys()
