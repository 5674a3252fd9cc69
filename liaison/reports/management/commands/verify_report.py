"""`liaison verify-report FILE`: check an exported report offline (PDF signature or JSON Ed25519 signature).

Exit code 0 and `VALID: …` when the signature holds, 1 and `INVALID: …` saying what failed otherwise.
"""

from __future__ import annotations

import logging
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from liaison.reports.verify import verify_report_file


def _read(option: str, value: str | None) -> bytes | None:
    if value is None:
        return None
    try:
        return Path(value).read_bytes()
    except OSError as exc:
        raise CommandError(f"INVALID: cannot read {option} {value}: {exc.strerror or exc}") from exc


class Command(BaseCommand):
    help = "Verify the signature of an exported report (PDF or JSON) with the instance's keys or those given."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The exported report: .pdf or .json.")
        parser.add_argument(
            "--public-key", help="Ed25519 public key (PEM) for JSON exports; default: this instance's key."
        )
        parser.add_argument("--ca", help="CA certificate (PEM) for PDF signatures; default: this instance's CA.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verbosity"] < 2:
            # pyHanko logs each failed check with a traceback; the verdict line below says what failed.
            logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
        public_key = _read("--public-key", options["public_key"])
        ca_cert = _read("--ca", options["ca"])
        ok, message = verify_report_file(Path(options["file"]), public_key_pem=public_key, ca_cert_pem=ca_cert)
        if not ok:
            raise CommandError(f"INVALID: {message}")
        self.stdout.write(f"VALID: {message}")
