"""The demo office's recent past and today, for My day and the watchtower: twelve weeks of exchanges whose reports
went through the workflow at a believable pace (written, submitted, sometimes returned, approved, disseminated and
acknowledged over hours and days), and, for each officer, today's and tomorrow's meetings and an exchange still
waiting for its report.

The services stamp each step with the time they run; the history is built under a demo clock set to the moment of
each step, so what is recorded (report dates, signatures, audit entries) is consistent with what it says."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

from django.apps import apps
from django.utils import timezone

from liaison.accounts.models import RoleCode, Service, User
from liaison.demo import office as office_demo
from liaison.exchanges.models import Exchange
from liaison.partners.models import Partner
from liaison.policy.access import can_read
from liaison.reports.models import Report
from liaison.reports.services import (
    Quote,
    recipient_decision,
    report_acknowledge,
    report_approve,
    report_create,
    report_disseminate,
    report_return,
    report_submit,
    report_update,
    route_suggestions,
)

HISTORY_WEEKS = 12


class DemoClock:
    """`timezone.now()` for the services while the history is written; `at` moves it to each step."""

    def __init__(self) -> None:
        self.moment = timezone.now()

    def __call__(self) -> datetime:
        return self.moment

    def at(self, moment: datetime) -> None:
        self.moment = moment


@contextmanager
def demo_clock() -> Iterator[DemoClock]:
    """Run the services on a demo clock: `timezone.now()` and the fields that default to it answer its time."""
    real = timezone.now
    clock = DemoClock()
    fields = [f for model in apps.get_models() for f in model._meta.concrete_fields if f.default is real]
    with mock.patch("django.utils.timezone.now", clock):
        for f in fields:
            f.default = clock
            f.__dict__.pop("_get_default", None)  # the field caches how it builds its default
        try:
            yield clock
        finally:
            for f in fields:
                f.default = real
                f.__dict__.pop("_get_default", None)


def _office(rng: random.Random, users: list[User]) -> Any:
    services = {s.code: s for s in Service.objects.all()}
    return office_demo._Office(rng, services, users)


def _covered(office: Any) -> list[tuple[Partner, list[User]]]:
    partners = [
        (partner, list(partner.officers_in_charge.order_by("username")))
        for partner in Partner.objects.prefetch_related("compartments").order_by("name")
    ]
    return office_demo._covered(office, partners)


def _write(office: Any, exchange: Exchange, ctx: Any, items: list[Any]) -> Report:
    title = ("Compte rendu — " if ctx.lang == "fr" else "Report — ") + exchange.title
    report = report_create(by=ctx.officer, exchange=exchange, title=title[:200])
    quoted = office.rng.sample(items, k=min(len(items), 1))
    quotes = [Quote(item, item.text.split(". ")[0].rstrip(".") + ".") for item in quoted]
    sections = office_demo._sections(office, exchange, ctx, items)
    return report_update(by=ctx.officer, report=report, title=report.title, sections=sections, quotes=quotes)


def _hours(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(hours=rng.uniform(low, high))


def _workflow(office: Any, clock: DemoClock, exchange: Exchange, ctx: Any, items: list[Any], now: datetime) -> None:
    """Take a past exchange's report as far as the real time allows, each step some hours after the last."""
    rng = office.rng
    steps = iter(
        [
            _hours(rng, 3, 30),  # written the same or the next day
            _hours(rng, 2, 40),  # submitted
            _hours(rng, 3, 60),  # approved (or returned)
            _hours(rng, 1, 6),  # disseminated
        ]
    )
    moment = exchange.occurred_at + next(steps)

    def step(delay: timedelta) -> bool:
        nonlocal moment
        moment += delay
        if moment >= now:
            return False
        clock.at(moment)
        return True

    clock.at(min(moment, now - timedelta(minutes=5)))
    report = _write(office, exchange, ctx, items)
    if not step(next(steps)):
        return
    report = report_submit(by=ctx.officer, report=report)
    reviewer = office_demo._reviewer(office, report)
    if reviewer is None or not step(next(steps)):
        return
    if rng.random() < 0.2:
        report = report_return(by=reviewer, report=report, comment=rng.choice(office_demo.RETURN_COMMENTS))
        if not step(_hours(rng, 4, 30)):
            return
        report = report_update(
            by=ctx.officer,
            report=report,
            title=report.title,
            sections={"assessment": report.assessment + office_demo.REVISIONS[ctx.lang]},
            quotes=[Quote(q.item, q.extract) for q in report.quotes.select_related("item")],
        )
        report = report_submit(by=ctx.officer, report=report)
        if not step(_hours(rng, 2, 30)):
            return
    report = report_approve(by=reviewer, report=report)
    services = [s for s in route_suggestions(report) if recipient_decision(report, s).allowed]
    if not services or not step(next(steps)):
        return
    report = report_disseminate(by=reviewer, report=report, services=services)
    start = moment
    for recipient in report.recipients.select_related("service").order_by("service__code"):
        moment = start
        readers = [u for u in office.members(recipient.service.code) if can_read(u, report)]
        if readers and rng.random() < 0.8 and step(_hours(rng, 2, 90)):
            report_acknowledge(by=rng.choice(readers), report=report)


def _history(office: Any, clock: DemoClock, covered: list[tuple[Partner, list[User]]], now: datetime) -> dict[str, int]:
    """Two to four exchanges a week over the last twelve weeks, each with its items and its report's workflow."""
    rng = office.rng
    counts = {"exchanges": 0, "items": 0, "reports": 0}
    index = 10_000  # titles alternate languages from their own index
    for week in range(HISTORY_WEEKS, 0, -1):
        for _n in range(rng.randint(2, 4)):
            partner, officers = rng.choice(covered)
            officer = rng.choice(officers)
            day = now - timedelta(weeks=week) + timedelta(days=rng.randint(0, 6))
            clock.at(day.replace(hour=7, minute=0))
            exchange, ctx = office_demo._exchange(office, index, partner, officer, 0)
            index += 1
            clock.at(min(exchange.occurred_at + timedelta(hours=2), now - timedelta(minutes=10)))
            items = office_demo._items(office, exchange, ctx)
            counts["exchanges"] += 1
            counts["items"] += len(items)
            counts["reports"] += 1
            _workflow(office, clock, exchange, ctx, items, now)
    return counts


def _today(office: Any, covered: list[tuple[Partner, list[User]]]) -> dict[str, int]:
    """For each officer: a meeting today, one tomorrow, and an exchange of five days ago still without its report."""
    rng = office.rng
    officers: dict[str, tuple[User, list[Partner]]] = {}
    for partner, able in covered:
        for officer in able:
            officers.setdefault(officer.username, (officer, []))[1].append(partner)
    counts = {"exchanges": 0, "items": 0}
    for number, (officer, partners) in enumerate(officers[name] for name in sorted(officers)):
        for days in (0, 1, -5):
            exchange, ctx = office_demo._exchange(
                office, 20_000 + 3 * number + days, rng.choice(partners), officer, days
            )
            if days < 0:
                counts["items"] += len(office_demo._items(office, exchange, ctx))
            counts["exchanges"] += 1
    return counts


def load_home_demo(*, rng: random.Random, users: list[User], counts: dict[str, int]) -> None:
    """Add the recent past and today's agenda of the demo office (after the rest of the demo is loaded), and what
    was added to `counts` (exchanges, items, reports)."""
    office = _office(rng, users)
    covered = _covered(office)
    if not covered or not any(u.has_role(RoleCode.DESK_HEAD) for u in users):
        return
    now = timezone.now()
    with demo_clock() as clock:
        added = _history(office, clock, covered, now)
    for key, value in [*added.items(), *_today(office, covered).items()]:
        counts[key] = counts.get(key, 0) + value
