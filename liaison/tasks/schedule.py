"""The schedule of periodic jobs: each job every `interval` seconds, enqueued once per period however many
workers look at the clock (a unique (job, period) row is written in the same transaction as the queued job; the
worker that loses the race writes nothing). Each scheduling is audited, except the seal of reads and the checkpoint:
the seal runs every few seconds, and each seal or checkpoint made is its own chain entry (`audit.reads_sealed`,
`audit.checkpoint_signed`); a run with nothing to do writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.tasks.jobs import (
    alerts_evaluate_job,
    checkpoint_job,
    indicators_compute_job,
    prune_job,
    reminder_sweep_job,
    review_sweep_job,
    seal_reads_job,
)
from liaison.tasks.models import ScheduledRun


@dataclass(frozen=True)
class Periodic:
    name: str
    job: Task[[], dict[str, object]]
    interval: Callable[[], int]  # seconds, read when scheduling so tests may change the setting
    audited: bool = True  # a `job.scheduled` entry for each period


PERIODIC = [
    Periodic("reminder_sweep", reminder_sweep_job, lambda: settings.LIAISON_REMINDER_INTERVAL),
    Periodic("prune", prune_job, lambda: 3600),
    Periodic("seal_reads", seal_reads_job, lambda: settings.LIAISON_READ_SEAL_SECONDS, audited=False),
    Periodic("review_sweep", review_sweep_job, lambda: settings.LIAISON_REVIEW_SWEEP_SECONDS),
    Periodic("alerts_evaluate", alerts_evaluate_job, lambda: settings.LIAISON_ALERT_INTERVAL),
    Periodic("checkpoint", checkpoint_job, lambda: settings.LIAISON_CHECKPOINT_SECONDS, audited=False),
    Periodic("indicators_compute", indicators_compute_job, lambda: settings.LIAISON_INDICATOR_INTERVAL),
]


def schedule_due(now: datetime | None = None) -> list[str]:
    """Enqueue each periodic job whose current period has no run yet; returns the names enqueued by this call."""
    now = now or timezone.now()
    enqueued = []
    for periodic in PERIODIC:
        period = int(now.timestamp()) // periodic.interval()
        if ScheduledRun.objects.filter(job=periodic.name, period=period).exists():
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    run = ScheduledRun.objects.create(job=periodic.name, period=period, scheduled_at=now)
            except IntegrityError:
                continue  # another worker scheduled this period first
            result = periodic.job.enqueue()
            run.task_result_id = str(result.id)
            run.save(update_fields=["task_result_id"])
            if periodic.audited:
                record(actor=None, event=AuditEvent.JOB_SCHEDULED, extra={"job": periodic.name, "period": period})
        enqueued.append(periodic.name)
    return enqueued
