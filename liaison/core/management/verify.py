"""What the offline verification commands (`verify-report`, `verify-release`) share: reading the key files given
on the command line, keeping pyHanko's tracebacks out of the verdict, and the verdict line and exit code."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError


def read_option(option: str, value: str | None) -> bytes | None:
    """The bytes of the file an option names, or None when the option was not given."""
    if value is None:
        return None
    try:
        return Path(value).read_bytes()
    except OSError as exc:
        raise CommandError(f"INVALID: cannot read {option} {value}: {exc.strerror or exc}") from exc


class VerifyCommand(BaseCommand):
    """Exit code 0 and `VALID: …` when `verify` holds, 1 and `INVALID: …` saying what failed otherwise."""

    requires_system_checks: list[str] = []

    def verify(self, options: dict[str, Any]) -> tuple[bool, str]:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verbosity"] < 2:
            # pyHanko logs each failed check with a traceback; the verdict line below says what failed.
            logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
        try:
            ok, message = self.verify(options)
        except ImproperlyConfigured as exc:  # the instance's own key was wanted and cannot be read (e.g. the HSM)
            ok, message = False, f"the instance's key cannot be read: {exc}; or pass the key to check against"
        if not ok:
            raise CommandError(f"INVALID: {message}")
        self.stdout.write(f"VALID: {message}")
