"""`liaison verify-release FILE`: check what a partner was given, offline: a release package PDF (PAdES signature),
or a manifest or recall message against its detached Ed25519 signature (FILE.sig unless --signature says).

Exit code 0 and `VALID: …` when the signature holds, 1 and `INVALID: …` saying what failed otherwise.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from liaison.core.management.verify import VerifyCommand, read_option
from liaison.releases.verify import verify_release_file


class Command(VerifyCommand):
    help = (
        "Verify a release package PDF, or a release manifest or recall message with its detached signature, with "
        "the instance's keys or those given."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The package PDF, the manifest (.json) or the recall message (.json).")
        parser.add_argument("--signature", help="The detached signature of a JSON file; default: FILE.sig.")
        parser.add_argument("--public-key", help="Ed25519 public key (PEM) for JSON files; default: this instance's.")
        parser.add_argument("--ca", help="CA certificate (PEM) for PDF signatures; default: this instance's CA.")

    def verify(self, options: dict[str, Any]) -> tuple[bool, str]:
        return verify_release_file(
            Path(options["file"]),
            signature_path=Path(options["signature"]) if options["signature"] else None,
            public_key_pem=read_option("--public-key", options["public_key"]),
            ca_cert_pem=read_option("--ca", options["ca"]),
        )
