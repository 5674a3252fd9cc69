"""`liaison reviews list|open|close|verify|sweep`: access review campaigns from the command line. `open` and `close`
act as the security officer or administrator named by `--by` (audited as them); `verify` checks a closed
campaign's signed result (digest, Ed25519 signature by the instance key or `--public-key`, decisions unchanged) and
exits 1 naming every problem; `sweep` reminds and escalates overdue items now (the worker does it periodically)."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from liaison.accounts.models import Service, User
from liaison.core.exceptions import DomainError
from liaison.reviews.models import ReviewCampaign
from liaison.reviews.result import result_verify
from liaison.reviews.services import campaign_close, campaign_open
from liaison.reviews.sweep import review_sweep


class Command(BaseCommand):
    help = "Access review campaigns: list, open, close, verify a closed campaign's signed result, sweep."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["list", "open", "close", "verify", "sweep"])
        parser.add_argument("campaign", nargs="?", help="campaign id (close, verify)")
        parser.add_argument("--by", help="login name of the security officer or administrator acting (open, close)")
        parser.add_argument("--name", help="campaign name (open)")
        parser.add_argument("--due", help="due date, YYYY-MM-DD (open)")
        parser.add_argument("--service", action="append", default=[], help="service code to review (open; repeat)")
        parser.add_argument("--public-key", help="PEM file of the public key to verify with (verify)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "list":
                self._list()
            elif action == "open":
                self._open(options)
            elif action == "close":
                campaign = campaign_close(campaign=self._campaign(options), by=self._actor(options))
                self.stdout.write(f"campaign {campaign.pk} closed; signed result in audit entry #{campaign.result_seq}")
            elif action == "verify":
                self._verify(options)
            else:
                self.stdout.write(f"review sweep: {review_sweep().as_dict()}")
        except DomainError as error:
            raise CommandError(error.message) from error

    def _list(self) -> None:
        for campaign in ReviewCampaign.objects.order_by("-created_at"):
            self.stdout.write(f"{campaign.pk}  {campaign.status:6}  due {campaign.due_on}  {campaign.name}")

    def _actor(self, options: dict[str, Any]) -> User:
        if not options["by"]:
            raise CommandError("Name the security officer or administrator acting: --by LOGIN.")
        user = User.objects.filter(username=options["by"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active account with the login name {options['by']!r}.")
        return user

    def _campaign(self, options: dict[str, Any]) -> ReviewCampaign:
        if not options["campaign"]:
            raise CommandError("Give the campaign id (liaison reviews list shows them).")
        try:
            campaign = ReviewCampaign.objects.filter(pk=options["campaign"]).first()
        except ValidationError:
            campaign = None
        if campaign is None:
            raise CommandError(f"No campaign with the id {options['campaign']!r} (liaison reviews list shows them).")
        return campaign

    def _open(self, options: dict[str, Any]) -> None:
        by = self._actor(options)
        try:
            due = date.fromisoformat(options["due"] or "")
        except ValueError as error:
            raise CommandError("Give the due date as YYYY-MM-DD: --due 2027-01-31.") from error
        services = list(Service.objects.filter(code__in=options["service"]))
        unknown = set(options["service"]) - {s.code for s in services}
        if unknown:
            raise CommandError(f"Unknown service code(s): {', '.join(sorted(unknown))}.")
        campaign = campaign_open(name=options["name"] or "", due_on=due, services=services, by=by)
        self.stdout.write(f"campaign {campaign.pk} opened: {campaign.items.count()} items, due {campaign.due_on}")

    def _verify(self, options: dict[str, Any]) -> None:
        campaign = self._campaign(options)
        pem = None
        if options["public_key"]:
            try:
                pem = Path(options["public_key"]).read_bytes()
            except OSError as error:
                raise CommandError(f"Cannot read the public key file: {error.strerror}.") from error
        try:
            verdict = result_verify(campaign, public_key_pem=pem)
        except ValueError as error:
            raise CommandError("The public key file is not a PEM public key.") from error
        if not verdict.ok:
            raise CommandError("review result BROKEN:\n" + "\n".join(f"  - {p}" for p in verdict.problems))
        self.stdout.write(
            f"review result OK: {verdict.decisions} decisions, sha256 {verdict.sha256}, signed by key {verdict.key_id}"
        )
