"""`liaison audit verify`: recompute the hash chain and name the first entry that does not fit (exit code 1)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from liaison.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Audit log operations: `verify` recomputes the hash chain."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"audit chain BROKEN after {report.checked} good entries: {report.problem}")
        self.stdout.write(f"audit chain OK: {report.checked} entries, head {report.head_hash}")
