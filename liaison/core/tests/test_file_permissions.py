"""What the instance keeps on disk is its owner's alone: the data folder, the SQLite database and its -wal and -shm
files, the demo secret key and the private keys, whatever the umask; certificates stay readable."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from liaison.keys.store import MASTER_FILE, PDF_KEY_FILE, get_pdf_signing_material, keys_init

ROOT = Path(__file__).resolve().parents[3]
FRESH_INSTANCE = """
import json, os, stat, sys
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.keys.store import key_dir, keys_init

call_command("migrate", verbosity=0)
record(actor=None, event=AuditEvent.OBJECT_READ, extra={"check": "modes"})  # a commit through the WAL
keys_init()
data = Path(os.environ["LIAISON_DATA_DIR"])
paths = [data.parent, data, *data.iterdir(), *key_dir().iterdir()]
with connection.cursor() as cursor:  # still open: the -wal and -shm files exist
    cursor.execute("PRAGMA synchronous")
    synchronous = cursor.fetchone()[0]
    modes = {str(p.relative_to(data.parent.parent)): oct(stat.S_IMODE(p.stat().st_mode)) for p in paths}
print(json.dumps({"modes": modes, "synchronous": synchronous}))
"""


def _instance_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIAISON_") and k != "DATABASE_URL"}
    return env | {"DJANGO_SETTINGS_MODULE": "liaison.settings", "LIAISON_DEMO": "1", "LIAISON_DATA_DIR": str(data_dir)}


def _mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


@pytest.mark.slow
def test_a_fresh_data_folder_is_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", FRESH_INSTANCE],
        env=_instance_env(tmp_path / "instance" / "data"),
        cwd=ROOT,
        umask=0,  # the most permissive: every mode below was set on purpose
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    modes = report["modes"]
    for name in ("instance", "instance/data", "instance/data/keys"):
        assert modes[name] == "0o700", name
    for name in ("liaison.sqlite3", "liaison.sqlite3-wal", "liaison.sqlite3-shm", "secret_key"):
        assert modes[f"instance/data/{name}"] == "0o600", name
    for name in ("instance-ed25519.pem", "master.key", "ca-key.pem", "pdf-signing-key.pem"):
        assert modes[f"instance/data/keys/{name}"] == "0o600", name
    for name in ("ca.pem", "pdf-signing.pem"):
        assert modes[f"instance/data/keys/{name}"] == "0o644", name
    assert report["synchronous"] == 2  # FULL: every commit is synced to disk before it is acknowledged


@pytest.mark.slow
def test_a_data_folder_open_to_others_is_tightened_at_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    for name in ("secret_key", "liaison.sqlite3"):
        (data / name).write_text("demo-secret-key-" + "x" * 40 if name == "secret_key" else "")
        (data / name).chmod(0o644)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=_instance_env(data),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [_mode(data), _mode(data / "secret_key"), _mode(data / "liaison.sqlite3")] == ["0o700", "0o600", "0o600"]
    assert f"{data} was open to other users (mode 0755); it is now 0700." in result.stderr


def test_a_private_key_open_to_others_is_refused_not_tightened(tmp_path: Path) -> None:
    keys_init(tmp_path)
    (tmp_path / MASTER_FILE).chmod(0o644)
    with pytest.raises(ImproperlyConfigured, match=r"master\.key is open to other users \(mode 0644\)"):
        keys_init(tmp_path)
    assert _mode(tmp_path / MASTER_FILE) == "0o644"


def test_keys_commands_and_server_refuse_a_readable_private_key(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LIAISON_KEY_DIR", str(tmp_path))
    keys_init(tmp_path)
    (tmp_path / PDF_KEY_FILE).chmod(0o640)
    with pytest.raises(ImproperlyConfigured, match=r"pdf-signing-key\.pem is open to other users"):
        get_pdf_signing_material()
    with pytest.raises(CommandError, match=re.escape(f"chmod 600 {tmp_path / PDF_KEY_FILE}")):
        call_command("keys", "init")

    def never_serve(*args: object, **kwargs: object) -> None:
        raise AssertionError("the server started with a readable private key")

    monkeypatch.setattr("liaison.core.management.commands.serve.listening_socket", never_serve)
    with pytest.raises(CommandError, match="open to other users"):
        call_command("serve")


def test_a_key_folder_open_to_others_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    keys_init(folder)
    folder.chmod(0o755)
    assert keys_init(folder) == []
    assert _mode(folder) == "0o700"
