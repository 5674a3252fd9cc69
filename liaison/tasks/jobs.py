"""The jobs of the database task queue. Each is idempotent: run twice, or interrupted and run again, it leaves
the same result (see notifications/sweep.py)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django_tasks import task

logger = logging.getLogger(__name__)
KEEP = timedelta(days=7)


@task()
def reminder_sweep_job() -> dict[str, object]:
    from liaison.notifications.sweep import reminder_sweep

    result = reminder_sweep()
    if result.created or result.emailed:
        logger.info("reminder sweep: %s", result.as_dict())
    return result.as_dict()


@task()
def seal_reads_job() -> dict[str, object]:
    """Seal the recorded reads into the audit chain (one chain entry per batch; nothing when none is waiting)."""
    from liaison.audit.services import seal_reads

    return seal_reads().as_dict()


@task()
def review_sweep_job() -> dict[str, object]:
    """Remind, then escalate, the access reviews still pending past their campaign's due date."""
    from liaison.reviews.sweep import review_sweep

    return review_sweep().as_dict()


@task()
def alerts_evaluate_job() -> dict[str, object]:
    """Run the anomaly rules over what the audit log gained since the last run (ten batches at most per run)."""
    from liaison.alerts.rules import alerts_evaluate

    result = alerts_evaluate(batches=10)
    if result.raised:
        logger.info("alerts: %s", result.as_dict())
    return result.as_dict()


@task()
def prune_job() -> dict[str, object]:
    """Forget finished jobs and past schedule rows after KEEP (the audit log keeps what happened)."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from liaison.tasks.models import ScheduledRun

    before = timezone.now() - KEEP
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    runs, _ = ScheduledRun.objects.filter(scheduled_at__lt=before).delete()
    return {"task_results": results, "scheduled_runs": runs}


@task()
def checkpoint_job() -> dict[str, object]:
    """Sign a checkpoint of the audit chain when entries were added since the last one (nothing otherwise)."""
    from liaison.audit.checkpoints import CheckpointRefused, checkpoint_create, checkpoint_due

    if not checkpoint_due():
        return {"signed": False}
    try:
        checkpoint = checkpoint_create()
    except CheckpointRefused as refusal:
        logger.error("audit checkpoint: %s", refusal.message)
        return {"signed": False, "refused": refusal.message}
    return {"signed": True, "tree_size": checkpoint.tree_size}


@task()
def indicators_compute_job() -> dict[str, object]:
    """Compute the security office's live indicators, one sample each per period (nothing when the period has them)."""
    from django.utils import timezone

    from liaison.security.indicators.services import indicators_compute

    samples = indicators_compute(now=timezone.now())
    return {"samples": len(samples), "not_met": sum(not sample.is_met for sample in samples)}
