"""Signatures and key wraps per second with each key backend: the key files, and a SoftHSM token through PKCS#11.

Builds a throwaway SoftHSM token and key folder (deleted at the end), creates the instance keys in each, then times
Ed25519 signatures of a 200-byte message (what a report, an export or an audit checkpoint costs), wrap + unwrap of a
data key (what sealing and opening an attachment costs in key work) and PAdES signatures of a one-page PDF. Prints
the figures; asserts nothing. Needs SoftHSM (`softhsm2-util`, `libsofthsm2.so`).

    .venv/bin/python bench/keys.py [--signatures 2000] [--wraps 2000] [--pdfs 20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from io import StringIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")


def _rate(count: int, run: Callable[[], object]) -> float:
    run()  # the first use opens the token or reads the file
    start = time.perf_counter()
    for _ in range(count):
        run()
    return count / (time.perf_counter() - start)


def _wrap_unwrap(wrapper: Any, data_key: bytes) -> bytes:
    unwrapped: bytes = wrapper.unwrap(wrapper.wrap(data_key))
    return unwrapped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--signatures", type=int, default=2000)
    parser.add_argument("--wraps", type=int, default=2000)
    parser.add_argument("--pdfs", type=int, default=20)
    args = parser.parse_args()
    module = next((m for m in MODULES if Path(m).exists()), None)
    if module is None or shutil.which("softhsm2-util") is None:
        sys.exit("SoftHSM is not installed (apt-get install softhsm2).")

    folder = Path(tempfile.mkdtemp(prefix="liaison-bench-keys-"))
    try:
        tokens = folder / "tokens"
        tokens.mkdir()
        conf = folder / "softhsm2.conf"
        conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
        os.environ["SOFTHSM2_CONF"] = str(conf)
        subprocess.run(
            ["softhsm2-util", "--init-token", "--free", "--label", "bench", "--pin", "1234", "--so-pin", "4321"],
            check=True,
            capture_output=True,
        )
        os.environ.update(
            {
                "LIAISON_DEMO": "1",
                "LIAISON_DATA_DIR": str(folder / "data"),
                "LIAISON_KEY_DIR": str(folder / "keys"),
                "LIAISON_PKCS11_MODULE": module,
                "LIAISON_PKCS11_TOKEN_LABEL": "bench",
                "LIAISON_PKCS11_PIN": "1234",
                "DJANGO_SETTINGS_MODULE": "liaison.settings",
            }
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        _run(args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from weasyprint import HTML

    from liaison.keys.store import get_key_wrapper, get_signer, keys_init, reset_keys
    from liaison.reports.pdf import sign_pdf

    pdf = HTML(string="<p>One page to sign.</p>").write_pdf()
    message = os.urandom(200)
    data_key = os.urandom(32)
    print(f"{'backend':<10} {'Ed25519 signatures/s':>22} {'wrap+unwrap/s':>15} {'PDF signatures/s':>18}")
    for backend in ("file", "pkcs11"):
        settings.LIAISON_KEY_BACKEND = backend
        reset_keys()
        if backend == "file":
            keys_init()
        else:
            call_command("keys", "init", "--backend", "pkcs11", "--new-master-key", stdout=StringIO())
        signer, wrapper = get_signer(), get_key_wrapper()
        signatures = _rate(args.signatures, partial(signer.sign, message))
        wraps = _rate(args.wraps, partial(_wrap_unwrap, wrapper, data_key))
        pdfs = _rate(args.pdfs, partial(sign_pdf, pdf))
        print(f"{backend:<10} {signatures:>22,.0f} {wraps:>15,.0f} {pdfs:>18,.1f}")
    reset_keys()


if __name__ == "__main__":
    main()
