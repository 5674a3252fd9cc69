"""`liaison search extract [FILE|-] [--region XX] [--gazetteer YAML]`: the entities of a text file (or standard
input), one per line: kind, canonical value and the text as found, separated by tabs."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from liaison.search.entities import extract
from liaison.search.gazetteer import Gazetteer


class Command(BaseCommand):
    help = "Search tools: extract the entities of a text (phones, e-mails, IBANs, IPs, domains, hashes, names...)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["extract"])
        parser.add_argument("file", nargs="?", default="-", help="a UTF-8 text file, or - for standard input")
        parser.add_argument("--region", default="FR", help="default region of phone numbers (ISO 3166, e.g. FR)")
        parser.add_argument("--gazetteer", help="a gazetteer YAML file of persons, organisations and vessels")

    def handle(self, *args: Any, **options: Any) -> None:
        gazetteer = None
        if options["gazetteer"]:
            try:
                gazetteer = Gazetteer.from_yaml(options["gazetteer"])
            except (OSError, ValueError) as error:
                raise CommandError(f"Cannot load the gazetteer: {error}") from error
        if options["file"] == "-":
            text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
        else:
            try:
                text = Path(options["file"]).read_bytes().decode("utf-8", errors="replace")
            except OSError as error:
                raise CommandError(f"Cannot read {options['file']}: {error.strerror}") from error
        for entity in extract(text, region=options["region"], gazetteer=gazetteer):
            raw = " ".join(entity.raw.split())
            self.stdout.write(f"{entity.kind}\t{entity.value}\t{raw}")
