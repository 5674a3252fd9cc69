"""`liaison advisories validate FILE…`: check CSAF 2.0 documents (ours or a partner's) as publishing does — the
official schema, the profile's mandatory tests, csaf-lib's checks — and print each problem with its JSON path.
Exit 1 when any file has a problem."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from liaison.advisories.csaf import validate


class Command(BaseCommand):
    help = "Advisories: `validate FILE…` checks CSAF 2.0 documents and prints each problem with its JSON path."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["validate"])
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        failed = 0
        for path in options["files"]:
            try:
                document = json.loads(path.read_bytes())
            except (OSError, ValueError) as error:
                self.stdout.write(f"{path}: cannot be read as JSON: {error}")
                failed += 1
                continue
            if not isinstance(document, dict):
                self.stdout.write(f"{path}: /: a CSAF document is a JSON object")
                failed += 1
                continue
            problems = validate(document)
            for problem in problems:
                self.stdout.write(f"{path}: {problem}")
            if problems:
                failed += 1
            else:
                self.stdout.write(f"{path}: valid CSAF 2.0 ({document['document']['category']})")
        if failed:
            raise CommandError(f"{failed} of {len(options['files'])} document(s) do not validate")
