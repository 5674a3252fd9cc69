"""The schedule: each period's sweep is enqueued once, however many workers look at the clock, and the worker
runs it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db.models import QuerySet
from django_tasks_db.models import DBTaskResult

from liaison.notifications.models import Notification, NotificationKind
from liaison.tasks.management.commands.worker import ScheduledWorker
from liaison.tasks.models import ScheduledRun
from liaison.tasks.schedule import schedule_due

NOW = datetime(2026, 11, 29, 9, 0, 30, tzinfo=UTC)


def test_a_period_is_scheduled_once(db, settings) -> None:
    settings.LIAISON_REMINDER_INTERVAL = 60
    assert schedule_due(NOW) == ["reminder_sweep"]
    assert schedule_due(NOW + timedelta(seconds=20)) == []  # same minute
    assert schedule_due(NOW + timedelta(seconds=40)) == ["reminder_sweep"]  # next minute
    assert DBTaskResult.objects.count() == 2
    assert ScheduledRun.objects.count() == 2


def test_the_loser_of_a_race_enqueues_nothing(db, monkeypatch) -> None:
    """Two workers both see no run for the period; the unique key lets one write it, the other writes nothing."""
    schedule_due(NOW)
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)  # the second worker looked before the first wrote
    assert schedule_due(NOW) == []
    assert DBTaskResult.objects.count() == 1


def test_worker_runs_the_scheduled_sweep(cast) -> None:
    worker = ScheduledWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.run()
    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL"
    assert result.return_value["created"][NotificationKind.REPORT_TO_REVIEW] == 1
    assert Notification.objects.filter(recipient=cast.carol, kind=NotificationKind.REPORT_TO_REVIEW).count() == 1
