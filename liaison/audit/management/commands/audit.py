"""`liaison audit verify`: recompute the hash chain and name the first entry that does not fit, then check the
recorded reads against their seals and name every problem (exit code 1); unsealed reads older than ten seal
intervals are a warning. `liaison audit seal`: seal the recorded reads into the chain now (the worker does it every
`LIAISON_READ_SEAL_SECONDS`).
`liaison audit summarise-failures`: write the summary of every closed window of failed authentications (each once,
however often it runs) and delete the windows older than `LIAISON_AUTH_WINDOW_KEEP_DAYS`.
`liaison audit checkpoint [--new] [--output FILE]`: the latest signed checkpoint (a new one with `--new`, or when none
exists); `liaison audit export [--output FILE]`: the export of the chain the standalone verifier reads;
`liaison audit public-key`: the verifier key and the PEM public key checkpoints are checked with;
`liaison audit verify --checkpoint FILE …`: also prove the log against the auditor's checkpoints (exit code 1 names
each problem)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from liaison.accounts.failures import failure_windows_prune, failure_windows_summarise
from liaison.audit import checkpoints as ckpt
from liaison.audit.services import seal_reads
from liaison.audit.verify import LATE_SEALS, verify_chain, verify_reads


class Command(BaseCommand):
    help = (
        "Audit log operations: `verify` recomputes the hash chain and checks the recorded reads against their "
        "seals (and with --checkpoint, proves the log against signed checkpoints); `seal` seals the recorded reads "
        "into the chain now; `checkpoint` prints or writes the latest signed checkpoint (--new signs one now); "
        "`export` writes the export the standalone verifier reads; `public-key` prints the key checkpoints are "
        "checked with; `summarise-failures` summarises the closed windows of failed authentications and deletes "
        "old ones."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "action", choices=["verify", "seal", "checkpoint", "export", "public-key", "summarise-failures"]
        )
        parser.add_argument("--output", help="checkpoint, export, public-key: write to this file instead of stdout")
        parser.add_argument("--new", action="store_true", help="checkpoint: sign a new checkpoint now")
        parser.add_argument(
            "--checkpoint", action="append", default=[], help="verify: a signed checkpoint kept by the auditor"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action in ("checkpoint", "export", "public-key"):
            self._write(action, options["output"], options["new"])
            return
        if action == "summarise-failures":
            self._summarise_failures()
            return
        if options["action"] == "seal":
            result = seal_reads()
            self.stdout.write(f"read records: {result.rows} sealed in {result.seals} chain entry(ies)")
            return
        if options["checkpoint"]:
            self._verify_checkpoints(options["checkpoint"])
            self._verify_reads()
            return
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"audit chain BROKEN after {report.checked} good entries: {report.problem}")
        self.stdout.write(f"audit chain OK: {report.checked} entries, head {report.head_hash}")
        self._verify_reads()

    def _write(self, action: str, output: str | None, new: bool) -> None:
        if action == "checkpoint":
            latest = ckpt.checkpoint_latest()
            if new or latest is None:
                try:
                    latest = ckpt.checkpoint_create()
                except ckpt.CheckpointRefused as refusal:
                    raise CommandError(refusal.message) from None
            chunks: Any = [latest.note.encode()]
        elif action == "public-key":
            chunks = [ckpt.public_key_text().encode()]
        else:
            chunks = ckpt.export_lines()
        if not output:
            for chunk in chunks:
                self.stdout.write(chunk.decode(), ending="")
            return
        try:
            with open(output, "wb") as file:
                for chunk in chunks:
                    file.write(chunk)
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror}") from None
        self.stdout.write(f"{action}: written to {output}")

    def _verify_checkpoints(self, paths: list[str]) -> None:
        notes = []
        for path in paths:
            try:
                with open(path, "rb") as file:
                    notes.append((path, file.read()))
            except OSError as error:
                raise CommandError(f"cannot read {path}: {error.strerror}") from None
        report = ckpt.verify_against(notes)
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"audit log BROKEN: {report.problem_count} problem(s) (above)")
        self.stdout.write(f"audit log OK against {len(notes)} checkpoint(s): {report.size} entries")

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
