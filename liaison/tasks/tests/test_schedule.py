"""The schedule: each period's sweep is enqueued once, however many workers look at the clock, and the worker
runs it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry, Checkpoint, ReadRecord
from liaison.audit.services import record, record_read
from liaison.notifications.models import Notification, NotificationKind
from liaison.tasks.jobs import checkpoint_job, prune_job, seal_reads_job
from liaison.tasks.management.commands.worker import ScheduledWorker
from liaison.tasks.models import ScheduledRun
from liaison.tasks.schedule import schedule_due

NOW = datetime(2026, 11, 29, 9, 0, 30, tzinfo=UTC)


def test_a_period_is_scheduled_once(db, settings) -> None:
    settings.LIAISON_REMINDER_INTERVAL = 60
    settings.LIAISON_READ_SEAL_SECONDS = 60
    settings.LIAISON_ALERT_INTERVAL = 300
    assert schedule_due(NOW) == [
        "reminder_sweep",
        "prune",
        "seal_reads",
        "review_sweep",
        "alerts_evaluate",
        "checkpoint",
        "indicators_compute",
    ]
    assert schedule_due(NOW + timedelta(seconds=20)) == []  # same minute
    assert schedule_due(NOW + timedelta(seconds=40)) == ["reminder_sweep", "seal_reads"]  # next minute, same hour
    assert DBTaskResult.objects.count() == 9
    assert ScheduledRun.objects.count() == 9
    scheduled = AuditEntry.objects.filter(event=AuditEvent.JOB_SCHEDULED)
    assert sorted(e.details["job"] for e in scheduled) == [
        "alerts_evaluate",
        "indicators_compute",
        "prune",
        "reminder_sweep",
        "reminder_sweep",
        "review_sweep",
    ]


def test_the_worker_seals_recorded_reads(db, settings) -> None:
    """The seal of reads runs every LIAISON_READ_SEAL_SECONDS; its own chain entry records what it sealed."""
    settings.LIAISON_READ_SEAL_SECONDS = 10
    record_read(actor=None, event=AuditEvent.OBJECT_READ)
    assert schedule_due(NOW) == [
        "reminder_sweep",
        "prune",
        "seal_reads",
        "review_sweep",
        "alerts_evaluate",
        "checkpoint",
        "indicators_compute",
    ]
    assert schedule_due(NOW + timedelta(seconds=10)) == ["seal_reads"]
    assert seal_reads_job.call() == {"seals": 1, "rows": 1}
    assert ReadRecord.objects.get().seal_seq == AuditEntry.objects.get(event=AuditEvent.AUDIT_READS_SEALED).seq


def test_the_worker_signs_a_checkpoint_when_entries_were_added(db, settings) -> None:
    """Every LIAISON_CHECKPOINT_SECONDS; nothing new but the last checkpoint's own record: nothing signed."""
    settings.LIAISON_CHECKPOINT_SECONDS = 60
    record(actor=None, event=AuditEvent.OBJECT_CHANGED)
    assert "checkpoint" in schedule_due(NOW)
    signed = checkpoint_job.call()
    assert signed == {"signed": True, "tree_size": Checkpoint.objects.get().tree_size}
    assert checkpoint_job.call() == {"signed": False} and Checkpoint.objects.count() == 1
    assert schedule_due(NOW + timedelta(seconds=60)) == ["reminder_sweep", "seal_reads", "checkpoint"]
    assert checkpoint_job.call()["signed"] is True  # the sweep's scheduling was recorded since


def test_the_loser_of_a_race_enqueues_nothing(db, monkeypatch) -> None:
    """Two workers both see no run for the period; the unique key lets one write it, the other writes nothing."""
    schedule_due(NOW)
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)  # the second worker looked before the first wrote
    assert schedule_due(NOW) == []
    assert DBTaskResult.objects.count() == 7


def test_worker_runs_the_scheduled_sweep(cast, monkeypatch) -> None:
    # In-process, inside the test's transaction: the worker must not close the connection between jobs as it does
    # in its own process (the real process is tested in test_worker_crash.py).
    for module in ("django_tasks_db.management.commands.db_worker", "liaison.tasks.management.commands.worker"):
        monkeypatch.setattr(f"{module}.close_old_connections", lambda: None)
    worker = ScheduledWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=7,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.run()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    result = DBTaskResult.objects.get(task_path="liaison.tasks.jobs.reminder_sweep_job")
    assert result.return_value is not None
    assert result.return_value["created"][NotificationKind.REPORT_TO_REVIEW] == 1
    assert Notification.objects.filter(recipient=cast.carol, kind=NotificationKind.REPORT_TO_REVIEW).count() == 1


def test_prune_forgets_old_finished_jobs_only(db) -> None:
    now = timezone.now()  # the prune compares with the real clock
    schedule_due(now - timedelta(days=10))
    old = DBTaskResult.objects.all()
    for result in old:
        result.set_successful(None)
    old.update(finished_at=now - timedelta(days=10))
    schedule_due(now)  # fresh and not yet run
    assert prune_job.call() == {"task_results": 7, "scheduled_runs": 7}
    assert DBTaskResult.objects.count() == 7
    assert ScheduledRun.objects.count() == 7
