"""`liaison keys init` creates whatever instance key is missing (never overwriting one); `liaison keys show` prints
what a verifier needs: the Ed25519 key id and public key, and where the CA certificate of PDF signatures is."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from liaison.keys.store import CA_CERT_FILE, get_signer, key_dir, keys_init


class Command(BaseCommand):
    help = "Instance keys: `init` creates missing keys, `show` prints the public key and the CA certificate path."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["init", "show"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "init":
            self._init()
        else:
            self._show()

    def _init(self) -> None:
        directory = key_dir()
        try:
            created = keys_init(directory)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if not created:
            self.stdout.write(f"All keys already exist in {directory}; nothing created.")
        for name in created:
            self.stdout.write(f"created {directory / name}")

    def _show(self) -> None:
        try:
            signer = get_signer()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        ca_path = key_dir() / CA_CERT_FILE
        self.stdout.write(f"Ed25519 key id: {signer.key_id}")
        self.stdout.write(signer.public_key_pem().decode().rstrip())
        self.stdout.write(
            f"CA certificate: {ca_path}{'' if ca_path.exists() else ' (missing: run `liaison keys init`)'}"
        )
