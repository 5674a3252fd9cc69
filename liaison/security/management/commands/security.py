"""`liaison security import-framework FILE | frameworks | indicators | compute-indicators`.

Load a framework catalogue (YAML or CSV, all or nothing: every problem is listed with its line and nothing is
imported), list the imported frameworks with their controls counted by assurance level, print the latest value of
each live indicator, or compute them now (the worker does it every LIAISON_INDICATOR_INTERVAL seconds, once per
period). `--by` names the security officer an import is audited as."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from liaison.accounts.models import User
from liaison.core.exceptions import DomainError
from liaison.security.frameworks import CatalogueRefused
from liaison.security.indicators.commands import ACTIONS as INDICATOR_ACTIONS
from liaison.security.models import LEVEL_ORDER
from liaison.security.selectors import framework_list
from liaison.security.services import framework_import


class Command(BaseCommand):
    help = (
        "Strengthening plan: import-framework FILE (YAML or CSV catalogue), frameworks (list with counts), "
        "indicators (latest values), compute-indicators (compute them now)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "action", choices=["import-framework", "import_framework", "frameworks", *sorted(INDICATOR_ACTIONS)]
        )
        parser.add_argument("file", nargs="?", help="catalogue file, .yaml/.yml or .csv (import-framework)")
        parser.add_argument("--by", help="login name of the security officer importing (import-framework)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "frameworks":
            self._list()
            return
        if options["action"] in INDICATOR_ACTIONS:
            try:
                INDICATOR_ACTIONS[options["action"]](self.stdout.write)
            except DomainError as error:
                raise CommandError(error.message) from error
            return
        if not options["file"]:
            raise CommandError("Name the catalogue file: liaison security import-framework FILE.")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            framework = framework_import(name=path.name, data=data, by=self._actor(options["by"]))
        except CatalogueRefused as refused:
            for line in refused.lines():
                self.stderr.write(f"{path.name}: {line}")
            raise CommandError(refused.message) from refused
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"imported {framework.code} {framework.version}: {framework.controls.count()} controls"
            f" (sha256 {framework.source_sha256})"
        )

    def _actor(self, login: str | None) -> User | None:
        if not login:
            return None
        user = User.objects.filter(username=login, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {login}.")
        return user

    def _list(self) -> None:
        rows = framework_list()
        if not rows:
            self.stdout.write("no framework imported yet")
        for row in rows:
            counts = ", ".join(f"{level} {row.by_level[str(level)]}" for level in LEVEL_ORDER)
            self.stdout.write(f"{row.framework.code} {row.framework.version}  {row.total} controls ({counts})")
