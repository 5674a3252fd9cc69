"""The schedule of periodic jobs: one row per job and period, so that however many workers look at the clock, a
period's job is enqueued once (the unique key decides; the loser of the race does nothing)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    job = models.CharField(_("job"), max_length=60)
    period = models.BigIntegerField(_("period"), help_text=_("Seconds since the epoch divided by the interval."))
    scheduled_at = models.DateTimeField(_("scheduled at"), default=timezone.now)
    task_result_id = models.CharField(_("task result"), max_length=64, blank=True)

    class Meta:
        ordering = ["-scheduled_at"]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="one_run_per_job_and_period")]

    def __str__(self) -> str:
        return f"{self.job} #{self.period}"
