"""`liaison worker`: runs the jobs of the database queue (django-tasks-db's Worker, reused as it is) and, between
batches, enqueues the periodic jobs whose period has come (once per period, even with several workers)."""

from __future__ import annotations

import logging
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import OperationalError, close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from liaison.tasks.schedule import schedule_due

logger = logging.getLogger("liaison.worker")


class ScheduledWorker(Worker):
    """The queue worker in batch mode inside a loop: schedule what is due, run every ready job, sleep, again."""

    def run(self) -> None:
        logger.info("Liaison worker %s started", self.worker_id)
        while self.running:
            close_old_connections()
            try:
                schedule_due()
            except OperationalError as exc:  # a busy database: try again at the next turn
                logger.warning("scheduling skipped: %s", exc)
            super().run()  # batch mode: returns when no job is ready
            self.startup_delay = False
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.running:
                time.sleep(self.interval)


class Command(BaseCommand):
    help = "Run the background jobs (reminders, e-mails) and schedule the periodic ones."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=float(settings.LIAISON_WORKER_POLL_SECONDS),
            help="Seconds between two looks at the queue when it is empty.",
        )
        parser.add_argument("--max-tasks", type=int, default=None, help="Stop after running this many jobs.")
        parser.add_argument("--worker-id", default="", help="Unique name of this worker (default: random).")

    def handle(self, *args: Any, **options: Any) -> None:
        # The queue worker announces each batch it starts and ends (every poll here): keep its warnings only.
        logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        worker = ScheduledWorker(
            queue_names=["default"],
            interval=options["interval"],
            batch=True,
            backend_name="default",
            startup_delay=True,
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"] or get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()
