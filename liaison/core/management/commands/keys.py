"""`liaison keys init` creates whatever instance key is missing (never overwriting one), as files or, with
`--backend pkcs11`, inside the HSM's token; `liaison keys show` prints what a verifier needs: the Ed25519 key id and
public key, and where the CA certificate of PDF signatures is; `liaison keys status` says which backend and keys are
in use (and exits with 1 when one is missing)."""

from __future__ import annotations

import base64
import binascii
import os
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from liaison.keys.store import (
    BACKENDS,
    CA_CERT_FILE,
    ED25519_FILE,
    MASTER_FILE,
    PDF_CERT_FILE,
    PDF_KEY_FILE,
    get_signer,
    instance_public_key_pem,
    key_backend,
    key_dir,
    key_id_of,
    keys_init,
    token,
)


class Command(BaseCommand):
    help = (
        "Instance keys: `init` creates missing keys (files, or in the HSM with --backend pkcs11), `show` prints the "
        "public key and the CA certificate path, `status` the backend and the keys in use."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["init", "show", "status"])
        parser.add_argument(
            "--backend", choices=BACKENDS, help="Where `init` creates the keys (default: LIAISON_KEY_BACKEND)."
        )
        parser.add_argument(
            "--import-master-key",
            action="store_true",
            help="pkcs11 init: move the existing master key (master.key or LIAISON_MASTER_KEY) into the token.",
        )
        parser.add_argument(
            "--new-master-key",
            action="store_true",
            help="pkcs11 init: generate a new master key in the token although a file master key exists.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "init":
                self._init(options)
            elif options["action"] == "show":
                self._show()
            else:
                self._status()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc

    def _init(self, options: dict[str, Any]) -> None:
        directory = key_dir()
        if (options["backend"] or key_backend()) == "pkcs11":
            self._init_token(options)
            return
        created = keys_init(directory)
        if not created:
            self.stdout.write(f"All keys already exist in {directory}; nothing created.")
        for name in created:
            self.stdout.write(f"created {directory / name}")

    def _init_token(self, options: dict[str, Any]) -> None:
        from liaison.keys.ceremony import token_init

        created = token_init(
            token(),
            directory=key_dir(),
            existing_master=_file_master_key(),
            import_master=options["import_master_key"],
            new_master=options["new_master_key"],
        )
        if not created:
            self.stdout.write(f"All keys already exist in token {token().config.token_label!r}; nothing created.")
        for what in created:
            self.stdout.write(f"created {what}")

    def _show(self) -> None:
        signer = get_signer()
        ca_path = key_dir() / CA_CERT_FILE
        self.stdout.write(f"Ed25519 key id: {signer.key_id}")
        self.stdout.write(signer.public_key_pem().decode().rstrip())
        self.stdout.write(
            f"CA certificate: {ca_path}{'' if ca_path.exists() else ' (missing: run `liaison keys init`)'}"
        )

    def _status(self) -> None:
        backend = key_backend()
        directory = key_dir()
        ca_path = directory / CA_CERT_FILE
        self.stdout.write(f"Key backend: {backend}")
        ok = ca_path.exists()
        if backend == "pkcs11":
            from liaison.keys.ceremony import token_status

            status = token_status(token())
            for line in status.lines:
                self.stdout.write(line)
            ok = ok and status.ok
        else:
            self.stdout.write(f"Key folder: {directory}")
            for name in (ED25519_FILE, MASTER_FILE, PDF_KEY_FILE, PDF_CERT_FILE):
                present = (directory / name).exists() or (name == MASTER_FILE and "LIAISON_MASTER_KEY" in os.environ)
                ok = ok and present
                self.stdout.write(f"{name}: {'present' if present else 'MISSING'}")
            public = instance_public_key_pem()
            if public is not None:
                from cryptography.hazmat.primitives import serialization
                from cryptography.hazmat.primitives.asymmetric import ed25519

                key = serialization.load_pem_public_key(public)
                if isinstance(key, ed25519.Ed25519PublicKey):
                    self.stdout.write(f"Ed25519 key id: {key_id_of(key)}")
        self.stdout.write(f"CA certificate: {ca_path}{'' if ca_path.exists() else ' MISSING'}")
        if not ok:
            raise CommandError("Some instance keys are missing: run `liaison keys init` (see above).")


def _file_master_key() -> bytes | None:
    """The file backend's master key, if this instance has one (to move it into the token, or refuse to lose it)."""
    raw = os.environ.get("LIAISON_MASTER_KEY")
    path = key_dir() / MASTER_FILE
    if not raw and path.exists():
        raw = path.read_text()
    if not raw:
        return None
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise CommandError("The existing master key is not valid base64: fix it before moving it.") from None
    if len(key) != 32:
        raise CommandError("The existing master key is not 32 bytes: fix it before moving it.")
    return key
