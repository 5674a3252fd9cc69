"""Settings for the test suite: production settings with a fixed key and a fast password hasher.

The database comes from DATABASE_URL (PostgreSQL in CI) or an in-memory SQLite database.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("LIAISON_SECRET_KEY", "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz")
# One data folder (keys, files) per pytest worker: two workers must never create the same key at once.
# (A worker inherits the controller's environment, so a worker always sets its own.)
if os.environ.get("PYTEST_XDIST_WORKER") or "LIAISON_DATA_DIR" not in os.environ:
    os.environ["LIAISON_DATA_DIR"] = os.path.join(
        tempfile.gettempdir(), "liaison-test-data-" + os.environ.get("PYTEST_XDIST_WORKER", "main")
    )

from liaison.settings import *  # noqa: F403
from liaison.settings import DATABASES

# Argon2 is the production hasher (tested in accounts); the suite hashes hundreds of passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405
LIAISON_AUTO_KEYS = True  # tests create their keys in the test data folder on first use
# Jobs go to the real database queue (as in production), so scheduling and idempotence are tested as they run.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
