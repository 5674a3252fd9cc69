#!/usr/bin/env python3
"""Set up and run Liaison with nothing but Python 3.11: `python3 bootstrap.py run` or `python3 bootstrap.py test`.

The script only uses the standard library. It creates `.venv`, installs the pinned dependencies with their hashes
(once, again when pyproject.toml or a lock file changes): `setup` and `run` the runtime ones only
(requirements.lock), `test` the development tools too (requirements-dev.lock). Then it hands over to the `liaison`
command inside the environment.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".install-stamp"
LOCKS = {"runtime": "requirements.lock", "dev": "requirements-dev.lock"}


def say(msg: str) -> None:
    print(f"[liaison] {msg}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if result.returncode != 0:
        say(f"command failed ({result.returncode}): {' '.join(str(a) for a in args)}")
        sys.exit(result.returncode)


def ensure_venv(profile: str) -> None:
    """`profile` is "runtime" or "dev" (runtime plus the development tools); a dev environment serves both."""
    if sys.version_info[:2] != (3, 11):
        say(f"Python 3.11 is required (this is {sys.version.split()[0]}); run with python3.11.")
        sys.exit(2)
    inputs = ("pyproject.toml", *LOCKS.values())
    digest = hashlib.sha256(b"".join((ROOT / name).read_bytes() for name in inputs)).hexdigest()
    if PY.exists() and STAMP.exists():
        installed, _, stamped = STAMP.read_text().strip().partition(" ")
        if stamped == digest and installed in {profile, "dev"}:
            return
    if not PY.exists():
        say("creating the virtual environment in .venv")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    lock = LOCKS[profile]
    say(f"installing the pinned dependencies of {lock}, checking their hashes (first run takes a minute)")
    pip = (PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check")
    # Every distribution, setuptools included, must match a hash of the lock file; the project itself is then
    # installed without dependencies and built with that setuptools, so nothing unhashed is fetched.
    run(*pip, "--require-hashes", "-r", lock)
    run(*pip, "--no-deps", "--no-build-isolation", "-e", ".")
    STAMP.write_text(f"{profile} {digest}\n")


def liaison(*args: str, env: dict[str, str]) -> None:
    run(BIN / "liaison", *args, env=env)


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    return env


def cmd_run() -> None:
    env = base_env()
    env.setdefault("LIAISON_DEMO", "1")
    env.setdefault("LIAISON_DATA_DIR", str(ROOT / "data"))
    liaison("compile-translations", env=env)
    liaison("migrate", "--no-input", "-v", "0", env=env)
    liaison("collectstatic", "--no-input", "-v", "0", env=env)
    liaison("demo-data", "--if-empty", env=env)
    os.execve(str(BIN / "liaison"), [str(BIN / "liaison"), "serve"], env)  # noqa: S606 - fixed argv


def cmd_test(extra: list[str]) -> None:
    env = base_env()
    # Tests build their own settings; none of the operator's environment should leak in except DATABASE_URL.
    for key in [k for k in env if k.startswith("LIAISON_")]:
        env.pop(key)
    env["DJANGO_SETTINGS_MODULE"] = "liaison.test_settings"
    where = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    liaison("compile-translations", env=env)
    say("ruff check")
    run(BIN / "ruff", "check", ".", env=env)
    run(BIN / "ruff", "format", "--check", ".", env=env)
    say("mypy")
    run(BIN / "mypy", "liaison", "tools", "bench", env=env)
    say("policy door lint")
    run(PY, "tools/check_door.py", env=env)
    say(f"pytest on {where}, one worker per core")
    run(PY, "-m", "pytest", "--numprocesses=auto", *extra, env=env)


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"setup", "run", "test"}:
        print("usage: python3 bootstrap.py setup | run | test [pytest arguments]")
        sys.exit(2)
    ensure_venv("dev" if argv[0] == "test" else "runtime")
    if argv[0] == "run":
        cmd_run()
    elif argv[0] == "test":
        cmd_test(argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
