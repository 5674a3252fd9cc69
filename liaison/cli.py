"""The `liaison` console command: Django's management commands with operator-friendly names.

`liaison demo-data` runs the `demo_data` command, `liaison audit verify` the `audit` command, and so on.
"""

from __future__ import annotations

import os
import secrets
import sys

OFFLINE_COMMANDS = {"verify_report", "verify_release"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    if len(args) > 1 and args[1] in OFFLINE_COMMANDS:
        # Checking a file offline needs no instance secret and no database: throwaway ones let the settings load.
        os.environ.setdefault("LIAISON_SECRET_KEY", secrets.token_urlsafe(48))
        os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
    args[0] = "liaison"
    from django.core.exceptions import ImproperlyConfigured

    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as exc:  # a bad setting or key: say which, without a traceback
        sys.stderr.write(f"ImproperlyConfigured: {exc}\n")
        sys.exit(1)
