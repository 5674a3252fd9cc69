"""`liaison audit verify`: recompute the hash chain and name the first entry that does not fit, then check the
recorded reads against their seals and name every problem (exit code 1); unsealed reads older than ten seal
intervals are a warning. `liaison audit seal`: seal the recorded reads into the chain now (the worker does it every
`LIAISON_READ_SEAL_SECONDS`).
`liaison audit summarise-failures`: write the summary of every closed window of failed authentications (each once,
however often it runs) and delete the windows older than `LIAISON_AUTH_WINDOW_KEEP_DAYS`."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from liaison.accounts.failures import failure_windows_prune, failure_windows_summarise
from liaison.audit.services import seal_reads
from liaison.audit.verify import LATE_SEALS, verify_chain, verify_reads


class Command(BaseCommand):
    help = (
        "Audit log operations: `verify` recomputes the hash chain and checks the recorded reads against their "
        "seals; `seal` seals the recorded reads into the chain now; `summarise-failures` summarises the closed "
        "windows of failed authentications and deletes old ones."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify", "seal", "summarise-failures"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "summarise-failures":
            self._summarise_failures()
            return
        if options["action"] == "seal":
            result = seal_reads()
            self.stdout.write(f"read records: {result.rows} sealed in {result.seals} chain entry(ies)")
            return
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"audit chain BROKEN after {report.checked} good entries: {report.problem}")
        self.stdout.write(f"audit chain OK: {report.checked} entries, head {report.head_hash}")
        self._verify_reads()

    def _verify_reads(self) -> None:
        reads = verify_reads()
        if not reads.ok:
            shown = "\n".join(f"  - {problem.message}" for problem in reads.problems)
            more = reads.problem_count - len(reads.problems)
            raise CommandError(
                f"read records BROKEN: {reads.problem_count} problem(s)\n{shown}"
                + (f"\n  … and {more} more" if more else "")
            )
        self.stdout.write(
            f"read records OK: {reads.checked} rows, {reads.seals} seal(s), {reads.unsealed} not sealed yet"
            + (f" (oldest {reads.oldest_unsealed.isoformat(timespec='seconds')})" if reads.oldest_unsealed else "")
        )
        if reads.late:
            self.stdout.write(
                self.style.WARNING(
                    f"warning: reads left unsealed for more than {LATE_SEALS} seal intervals "
                    f"({LATE_SEALS * settings.LIAISON_READ_SEAL_SECONDS} s): is the worker running?"
                )
            )

    def _summarise_failures(self) -> None:
        written = failure_windows_summarise()
        keep_days = settings.LIAISON_AUTH_WINDOW_KEEP_DAYS
        pruned = failure_windows_prune(keep_days=keep_days)
        self.stdout.write(
            f"failed authentications: {written} window summary(ies) written, "
            f"{pruned} window(s) older than {keep_days} days deleted"
        )
