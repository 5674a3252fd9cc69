"""Tests that need a program of the operating system (Chromium and its driver, SoftHSM): they are skipped, with the
reason, on a machine that lacks it, unless LIAISON_REQUIRE_SYSTEM_TOOLS=1 (CI installs the programs and sets it), in
which case a missing program fails the test instead of hiding it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SOFTHSM_LIBRARIES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)


def _missing(what: str, install: str) -> None:
    message = f"{what} is not installed here ({install})"
    if os.environ.get("LIAISON_REQUIRE_SYSTEM_TOOLS") == "1":
        pytest.fail(message + "; LIAISON_REQUIRE_SYSTEM_TOOLS=1 requires it")
    pytest.skip(message)


def require_program(name: str, install: str) -> str:
    """The path of program `name`, or skip (fail under LIAISON_REQUIRE_SYSTEM_TOOLS=1)."""
    path = shutil.which(name)
    if path is None:
        _missing(name, install)
    assert path is not None
    return path


def require_chromium() -> tuple[str, str]:
    """Chromium and its WebDriver, as (browser, driver) paths."""
    install = "apt-get install chromium chromium-driver"
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        _missing("Chromium", install)
    driver = require_program("chromedriver", install)
    assert browser is not None
    return browser, driver


def require_softhsm() -> Path:
    """The SoftHSM v2 PKCS#11 module (and its `softhsm2-util`)."""
    install = "apt-get install softhsm2"
    require_program("softhsm2-util", install)
    for candidate in SOFTHSM_LIBRARIES:
        if Path(candidate).exists():
            return Path(candidate)
    _missing("libsofthsm2.so", install)
    raise AssertionError("unreachable")
