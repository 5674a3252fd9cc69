"""`liaison security ACTION`: the cybersecurity office's operator tasks. `indicators` prints the latest value of each
live indicator; `compute-indicators` computes them now (the worker does it every LIAISON_INDICATOR_INTERVAL
seconds, once per period)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from liaison.core.exceptions import DomainError
from liaison.security.indicators.commands import ACTIONS as INDICATOR_ACTIONS


class Command(BaseCommand):
    help = "The security office: `indicators` prints the live indicators, `compute-indicators` computes them now."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=sorted(INDICATOR_ACTIONS))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            INDICATOR_ACTIONS[options["action"]](self.stdout.write)
        except DomainError as error:
            raise CommandError(error.message) from error
