"""`liaison alerts evaluate`: seal the waiting reads and run the anomaly rules now over what the audit log gained
since the last evaluation (the worker does it every `LIAISON_ALERT_INTERVAL` seconds). Running it twice raises
nothing twice."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from liaison.alerts.rules import alerts_evaluate


class Command(BaseCommand):
    help = (
        "Anomaly alerts: `evaluate` runs the rules now over the audit entries and read records recorded since the "
        "last evaluation, and raises (and notifies) what they find."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["evaluate"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = alerts_evaluate()
        self.stdout.write(
            f"alerts: {result.entries} audit entries and {result.reads} read records evaluated"
            f" (up to #{result.last_seq}); {result.raised} alert(s) raised,"
            f" {result.updated} finding(s) added to alerts already raised"
        )
