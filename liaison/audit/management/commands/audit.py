"""`liaison audit verify`: recompute the hash chain and name the first entry that does not fit (exit code 1).
`liaison audit summarise-failures`: write the summary of every closed window of failed authentications (each once,
however often it runs) and delete the windows older than `LIAISON_AUTH_WINDOW_KEEP_DAYS`."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from liaison.accounts.failures import failure_windows_prune, failure_windows_summarise
from liaison.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Audit log operations: `verify` recomputes the hash chain; `summarise-failures` summarises the closed "
        "windows of failed authentications and deletes old ones."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify", "summarise-failures"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "summarise-failures":
            self._summarise_failures()
            return
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"audit chain BROKEN after {report.checked} good entries: {report.problem}")
        self.stdout.write(f"audit chain OK: {report.checked} entries, head {report.head_hash}")

    def _summarise_failures(self) -> None:
        written = failure_windows_summarise()
        keep_days = settings.LIAISON_AUTH_WINDOW_KEEP_DAYS
        pruned = failure_windows_prune(keep_days=keep_days)
        self.stdout.write(
            f"failed authentications: {written} window summary(ies) written, "
            f"{pruned} window(s) older than {keep_days} days deleted"
        )
