"""Owner-only files and folders for what the instance keeps on disk: the data folder, the SQLite database, the demo
secret key and the key folder. Modes are set explicitly, so the result does not depend on the process's umask.

Containers (folders, the database, the demo secret key) found with looser modes are tightened with a warning;
private keys are refused instead (`check_private_key`), since a key others could read may already be copied.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
PUBLIC_FILE_MODE = 0o644
_OTHERS = stat.S_IRWXG | stat.S_IRWXO

log = logging.getLogger("liaison.files")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _tighten(path: Path, mode: int) -> None:
    before = _mode(path)
    if before & _OTHERS == 0:
        return
    try:
        path.chmod(mode)
    except PermissionError as exc:
        raise ImproperlyConfigured(
            f"{path} is open to other users (mode {before:04o}) and this account cannot change it: "
            f"run `chmod {mode:o} {path}` as its owner."
        ) from exc
    log.warning("%s was open to other users (mode %04o); it is now %04o.", path, before, mode)


def private_dir(path: Path) -> Path:
    """Create the folder, and any missing parent, for its owner only (0700), or tighten an existing one; existing
    parents are left alone."""
    missing = []
    folder = path
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
        folder.chmod(PRIVATE_DIR_MODE)
    if not missing:
        _tighten(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create an empty file readable and writable by its owner only (0600), or tighten an existing one."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        _tighten(path, PRIVATE_FILE_MODE)
    else:
        os.fchmod(fd, PRIVATE_FILE_MODE)
        os.close(fd)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write a new file that only its owner may read (0600); an existing file is never overwritten."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    os.fchmod(fd, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def write_public(path: Path, data: bytes) -> None:
    """Write or replace a file others may read but only its owner may change (0644), such as a certificate."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PUBLIC_FILE_MODE)
    os.fchmod(fd, PUBLIC_FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def check_private_key(path: Path) -> Path:
    """Refuse a private key that other users could read or change: it must be examined and, if it may have been
    copied, replaced; it is not silently tightened."""
    mode = _mode(path)
    if mode & _OTHERS:
        raise ImproperlyConfigured(
            f"Private key {path} is open to other users (mode {mode:04o}). If someone else may have read it, replace "
            f"the key (see docs/operations.md, Keys); then make it readable by its owner only: `chmod 600 {path}`."
        )
    return path


def private_sqlite(name: str) -> None:
    """Create the SQLite database file owner-only before the first connection does it with the umask's mode, and
    tighten an existing one; SQLite gives its -wal and -shm files the database file's mode."""
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    database = Path(name)
    if not database.parent.exists():
        private_dir(database.parent)
    private_file(database)
    for suffix in ("-wal", "-shm", "-journal"):
        side = database.with_name(database.name + suffix)
        if side.exists():
            _tighten(side, PRIVATE_FILE_MODE)
