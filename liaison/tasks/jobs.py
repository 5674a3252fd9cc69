"""The jobs of the database task queue. Each is idempotent: run twice, or interrupted and run again, it leaves
the same result (see notifications/sweep.py)."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def reminder_sweep_job() -> dict[str, object]:
    from liaison.notifications.sweep import reminder_sweep

    result = reminder_sweep().as_dict()
    logger.info("reminder sweep: %s", result)
    return result
