"""`liaison demo-data`: load the fictitious demo office and print how to log in."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from liaison.accounts.models import RoleCode, User
from liaison.demo.office import ACCOUNTS, DEMO_PASSWORD, demo_loaded, load_demo


class Command(BaseCommand):
    help = "Load a deterministic demo office (services, users, partners). Refuses if data exists unless --if-empty."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--size", choices=["small", "large"], default="small")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing (but print the accounts) if loaded.")

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_loaded():
            if not options["if_empty"]:
                raise CommandError("This database already holds users or partners; demo data goes into an empty one.")
        else:
            counts = load_demo(seed=options["seed"], size=options["size"])
            self.stdout.write(
                f"demo office loaded: {counts['services']} services, {counts['users']} users, "
                f"{counts['partners']} partner services, {counts['exchanges']} exchanges, {counts['items']} items, "
                f"{counts['reports']} reports, {counts['releases']} releases, {counts['consents']} consents, "
                f"{counts['tearlines']} tearlines, {counts['followups']} follow-ups, "
                f"{counts['notifications']} notifications"
            )
        url = f"http://{settings.LIAISON_HOST}:{settings.LIAISON_PORT}/"
        self.stdout.write(f"\nLiaison demo: open {url} and log in with one of these accounts,")
        self.stdout.write(f"all with the password «{DEMO_PASSWORD}» (second factor waived for demo accounts):")
        by_role: dict[str, list[str]] = {}
        for account in ACCOUNTS:
            by_role.setdefault(", ".join(account.roles), []).append(account.login)
        for user in _outside_the_office(logins=[account.login for account in ACCOUNTS]):
            roles = ", ".join(sorted(user.role_codes())) or "(no role: raises concerns)"
            by_role.setdefault(roles, []).append(user.username)
        for roles, logins in by_role.items():
            self.stdout.write(f"  {roles:<28} {' '.join(logins)}")
        self.stdout.write("")


def _outside_the_office(*, logins: list[str]) -> list[User]:
    """The demo's other accounts: management, federal partners' contacts and a colleague with no role here."""
    others = User.objects.exclude(username__in=logins).order_by("username")
    return [user for user in others if user.role_codes() <= {RoleCode.MANAGEMENT, RoleCode.FEDERAL_PARTNER}]
