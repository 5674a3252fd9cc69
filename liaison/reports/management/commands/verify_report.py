"""`liaison verify-report FILE`: check an exported report offline (PDF signature or JSON Ed25519 signature).

Exit code 0 and `VALID: …` when the signature holds, 1 and `INVALID: …` saying what failed otherwise.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from liaison.core.management.verify import VerifyCommand, read_option
from liaison.reports.verify import verify_report_file


class Command(VerifyCommand):
    help = "Verify the signature of an exported report (PDF or JSON) with the instance's keys or those given."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The exported report: .pdf or .json.")
        parser.add_argument(
            "--public-key", help="Ed25519 public key (PEM) for JSON exports; default: this instance's key."
        )
        parser.add_argument("--ca", help="CA certificate (PEM) for PDF signatures; default: this instance's CA.")

    def verify(self, options: dict[str, Any]) -> tuple[bool, str]:
        public_key = read_option("--public-key", options["public_key"])
        ca_cert = read_option("--ca", options["ca"])
        return verify_report_file(Path(options["file"]), public_key_pem=public_key, ca_cert_pem=ca_cert)
