"""End to end in headless Chromium with its virtual authenticator, against a real server (`liaison serve` on a
database of its own, as in production): a user enrols a key at login, logs in with it, and the assertion the browser
posted, captured and posted again, is refused as a replay. The pages run in French (the default language), so the
script and its messages are checked there too."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.virtual_authenticator import Protocol, Transport, VirtualAuthenticatorOptions
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from liaison.tasks.tests.test_serve_worker import free_port, wait_until
from liaison.testing.processes import ROOT, SeparateDatabase, separate_database
from liaison.testing.system import require_chromium

PASSWORD = "correct horse battery staple"
SETUP = f"""
from liaison.accounts.models import RoleCode
from liaison.accounts.services import user_create
user_create(username="bob", alias="BOB", password={PASSWORD!r}, service=None, roles=[RoleCode.LIAISON_OFFICER],
            clearance=None, by=None)
"""
# What the server's database holds afterwards: bob's keys and the checks of the refused key answers.
REPORT = """
import json
from liaison.audit.models import AuditEntry
from liaison.passkeys.models import SecurityKey
keys = [dict(name=k.name, id=k.credential_id, transports=k.transports, aaguid=k.aaguid, count=k.sign_count,
             used=bool(k.last_used_at), public_key=len(bytes(k.public_key))) for k in SecurityKey.objects.all()]
refused = [json.loads(e.extra)["check"] for e in AuditEntry.objects.filter(event="key.refused").order_by("seq")]
print(json.dumps(dict(keys=keys, refused=refused)))
"""

FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1400",
    "--lang=fr-FR",
)
# Copies the key's answer into the page's storage when the form posts it, so that the test can post it again.
CAPTURE = """
const form = document.getElementById("key-form");
form.addEventListener("submit", () => {
  const value = form.querySelector("input[name=credential]").value;
  if (value) { localStorage.setItem("captured", value); }
});
"""
REPLAY = """
const form = document.getElementById("key-form");
form.querySelector("input[name=credential]").value = arguments[0];
form.requestSubmit();
"""


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    chromium, chromedriver = require_chromium()
    options = Options()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    driver.set_page_load_timeout(30)
    driver.add_virtual_authenticator(
        VirtualAuthenticatorOptions(
            protocol=Protocol.CTAP2,
            transport=Transport.USB,
            has_resident_key=True,
            has_user_verification=True,
            is_user_consenting=True,
            is_user_verified=True,
        )
    )
    try:
        yield driver
    finally:
        driver.quit()


def _shell(database: SeparateDatabase, code: str) -> str:
    done = subprocess.run(
        [*database.manage, "shell", "-c", code], env=database.env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, SeparateDatabase]]:
    """A served instance at http://localhost:<port> (a secure context, and a host name a key accepts), its relying
    party configured as production would, with one user, bob."""
    port = free_port()
    base = f"http://localhost:{port}"
    settings = {"LIAISON_DEMO": "1", "LIAISON_WEBAUTHN_RP_ID": "localhost", "LIAISON_WEBAUTHN_ORIGINS": base}
    with separate_database(tmp_path, "liaison_keys", **settings) as database:
        _shell(database, SETUP)
        subprocess.run([*database.manage, "collectstatic", "--no-input", "-v0"], env=database.env, cwd=ROOT, check=True)
        command = [*database.manage, "serve", "--port", str(port), "--processes", "1", "--no-worker"]
        process = subprocess.Popen(
            command, env=database.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            assert wait_until(lambda: _answers(base)), "the server did not start"
            yield base, database
        finally:
            process.terminate()
            process.wait(timeout=30)


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/accounts/login/", timeout=2) as response:  # noqa: S310 - local server
            return bool(response.status == 200)
    except OSError:
        return False


def _wait_for_path(driver: WebDriver, path: str) -> None:
    WebDriverWait(driver, 15).until(
        lambda d: d.current_url.split("?")[0].endswith(path),
        f"never reached {path}: {driver.current_url}",
    )


def _password_step(driver: WebDriver, base: str, username: str) -> None:
    driver.get(base + "/accounts/login/")
    driver.find_element(By.ID, "id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button.primary").click()


def _log_out(driver: WebDriver) -> None:
    driver.find_element(By.CSS_SELECTOR, "header form[action$='/logout/'] button").click()
    _wait_for_path(driver, "/accounts/login/")


def _main_text(driver: WebDriver) -> str:
    return str(driver.find_element(By.TAG_NAME, "main").text)


@pytest.mark.slow
def test_enrol_a_key_log_in_with_it_and_a_replayed_assertion_fails(
    browser: WebDriver, server: tuple[str, SeparateDatabase]
) -> None:
    base, database = server

    # First login: no factor yet; bob chooses a security key over an app code.
    _password_step(browser, base, "bob")
    _wait_for_path(browser, "/accounts/login/enrol/")
    browser.find_element(By.CSS_SELECTOR, "a[href='/accounts/keys/login/enrol/']").click()
    _wait_for_path(browser, "/accounts/keys/login/enrol/")
    assert "Enrôler une clé de sécurité" in _main_text(browser)
    browser.find_element(By.ID, "id_name").send_keys("Clé virtuelle")
    browser.find_element(By.CSS_SELECTOR, "#key-form button.primary").click()
    _wait_for_path(browser, base + "/")
    (key,) = json.loads(_shell(database, REPORT))["keys"]
    assert key["name"] == "Clé virtuelle" and key["transports"] == ["usb"]
    assert key["aaguid"] and key["public_key"] > 60 and not key["used"]
    _log_out(browser)

    # Second login: the key page asks for the key (in French), the virtual authenticator signs.
    _password_step(browser, base, "bob")
    _wait_for_path(browser, "/accounts/keys/login/")
    assert "Utiliser ma clé de sécurité" in _main_text(browser)
    browser.execute_script(CAPTURE)
    browser.find_element(By.CSS_SELECTOR, "#key-form button.primary").click()
    _wait_for_path(browser, base + "/")
    captured = browser.execute_script("return localStorage.getItem('captured');")
    assert captured and json.loads(captured)["id"] == key["id"]
    (key,) = json.loads(_shell(database, REPORT))["keys"]
    assert key["used"] and key["count"] >= 1
    _log_out(browser)

    # Third login: the captured assertion is posted again instead of asking the key; it is refused and audited.
    _password_step(browser, base, "bob")
    _wait_for_path(browser, "/accounts/keys/login/")
    browser.execute_script(REPLAY, captured)
    WebDriverWait(browser, 15).until(lambda d: "déjà servi" in _main_text(d), "no replay refusal shown")
    assert browser.current_url.endswith("/accounts/keys/login/")
    assert json.loads(_shell(database, REPORT))["refused"] == ["replayed"]

    # The page still works after the refusal: the key itself logs bob in.
    browser.find_element(By.CSS_SELECTOR, "#key-form button.primary").click()
    _wait_for_path(browser, base + "/")
