"""The demo office's audit checkpoint: one signed over the finished demo, so the auditor's page shows a checkpoint,
its signature and its downloads from the start (the worker signs the next ones)."""

from __future__ import annotations

from liaison.audit.checkpoints import checkpoint_create


def load_ckpt_demo() -> dict[str, int]:
    return {"checkpoints": 1 if checkpoint_create() else 0}
