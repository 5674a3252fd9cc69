"""The role matrix of the signed checkpoints' downloads (rows like `matrix.ROUTES`): auditors and security officers,
as for the audit log pages; everyone else gets 404."""

from __future__ import annotations

from typing import Any

from liaison.audit.checkpoints import checkpoint_create
from liaison.testing.cast import Cast
from liaison.testing.matrix import Route

READERS = {"erin": 200, "grace": 200}


def _signed(cast: Cast) -> list[Any]:
    """A checkpoint exists before the row is requested (before the first one, the download answers 404 to all)."""
    checkpoint_create()
    return []


CKPT_ROUTES: list[Route] = [
    Route("audit:checkpoint", READERS, args=_signed),
    Route("audit:export", READERS),
    Route("audit:public_key", READERS),
]
