"""`liaison committee list|figures`: the management committee's reports from the command line. `list` prints each
report (period, language, status, who prepared and approved it, the PDF's SHA-256); `figures --kind month|quarter
--start YYYY-MM-DD` prints the figures of a period as JSON, as a draft would show them now (read only)."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from liaison.committee.figures import committee_figures, figures_document
from liaison.committee.models import CommitteeReport
from liaison.committee.services import period_check
from liaison.core.exceptions import DomainError


class Command(BaseCommand):
    help = "The management committee's reports: list them, or print a period's figures as JSON."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["list", "figures"])
        parser.add_argument("--kind", choices=["month", "quarter"], default="month", help="period (figures)")
        parser.add_argument("--start", help="first day of the period, YYYY-MM-DD (figures)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list()
            return
        if not options["start"]:
            raise CommandError("Give the period's first day: --start YYYY-MM-DD.")
        try:
            start = date.fromisoformat(options["start"])
        except ValueError as error:
            raise CommandError(f"--start {options['start']!r} is not a date: give YYYY-MM-DD.") from error
        try:
            period = period_check(kind=options["kind"], start=start)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(json.dumps(figures_document(committee_figures(period)), indent=2, ensure_ascii=False))

    def _list(self) -> None:
        reports = CommitteeReport.objects.select_related("prepared_by", "approved_by").defer("pdf", "figures")
        for report in reports:
            approver = report.approved_by.alias if report.approved_by else "-"
            self.stdout.write(
                f"{report.pk}  {report.period_kind:7} {report.period_start} → {report.period_end}  {report.language}  "
                f"{report.status:9}  prepared by {report.prepared_by.alias}, approved by {approver}  "
                f"{report.pdf_sha256 or ''}".rstrip()
            )
