"""The demo office's reports to the management committee: the director ACACIA (management, Directorate General),
approved reports for the last two quarters in French and in English, prepared by TOPAZE and approved by ULEX a few
days after each quarter closed, and TOPAZE's draft for the current month. Loaded last: the figures are read from
what the other demo loaders wrote. Written under the demo clock; deterministic for a given day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from liaison.accounts.models import RoleCode, Service, User
from liaison.accounts.services import user_create
from liaison.committee.periods import add_months
from liaison.committee.services import (
    committee_report_approve,
    committee_report_comment,
    committee_report_create,
    committee_report_submit,
)
from liaison.home.demo import demo_clock
from liaison.policy.models import ClassificationLevel

DEMO_PASSWORD = "liaison-demo"  # noqa: S105 - printed on purpose: demo accounts only, demo mode only

COMMENTARY = {
    "fr": (
        "Le plan de renforcement progresse sur les trois lignes de défense ; la deuxième ligne tient son calendrier.\n"
        "Point d'attention : la part des comptes dotés d'un second facteur résistant à l'hameçonnage reste sous "
        "l'objectif ; nous demandons au comité d'appuyer la distribution des clés de sécurité aux postes à "
        "l'étranger.\n"
        "Les préoccupations des collègues reçoivent une réponse motivée dans un délai médian de deux jours."
    ),
    "en": (
        "The strengthening plan is moving on all three lines of defence; the second line is on schedule.\n"
        "Point of attention: the share of accounts with a phishing-resistant second factor is still below target; "
        "we ask the committee to support issuing security keys to the posts abroad.\n"
        "Colleagues' concerns receive a reasoned answer within a median of two days."
    ),
}


def _local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), ZoneInfo(settings.TIME_ZONE)).astimezone(UTC)


def _director() -> User:
    service, _created = Service.objects.get_or_create(
        code="dg", defaults={"name_fr": "Direction générale", "name_en": "Directorate General"}
    )
    existing = User.objects.filter(username="director").first()
    if existing is not None:
        return existing
    return user_create(
        username="director",
        alias="ACACIA",
        password=DEMO_PASSWORD,
        service=service,
        roles=(RoleCode.MANAGEMENT,),
        clearance=ClassificationLevel.objects.get(scheme__is_national=True, code="dr"),
        civil_first_name="Hélène",
        civil_last_name="Garnier",
        is_demo=True,
        by=None,
    )


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def load_committee_demo(*, users: list[User]) -> dict[str, int]:
    by = {user.username: user for user in users}
    officer, deputy = by["security.officer"], by["security.deputy"]
    _director()
    now = timezone.now()
    today = timezone.localdate(now)
    current = _quarter_start(today)
    reports = 0
    with demo_clock() as clock:
        for back in (2, 1):  # the older quarter first, as they were written
            start = add_months(current, -3 * back)
            closed = add_months(start, 3)
            for offset, language in enumerate(("fr", "en")):
                steps = [
                    _local(closed + timedelta(days=3), 9 + offset),
                    _local(closed + timedelta(days=5), 16 + offset),
                    _local(closed + timedelta(days=7), 10 + offset),
                ]
                if steps[-1] > now:  # a quarter closed less than a week ago: its report went through this morning
                    steps = [now - timedelta(hours=3 - n, minutes=10 * (1 - offset)) for n in range(3)]
                clock.at(steps[0])
                report = committee_report_create(kind="quarter", start=start, language=language, by=officer)
                committee_report_comment(report=report, commentary=COMMENTARY[language], by=officer)
                clock.at(steps[1])
                report = committee_report_submit(report=report, by=officer)
                clock.at(steps[2])
                committee_report_approve(report=report, by=deputy)
                reports += 1
        month = today.replace(day=1)
        clock.at(now)
        draft = committee_report_create(kind="month", start=month, language="fr", by=officer)
        committee_report_comment(
            report=draft, commentary=COMMENTARY["fr"].split("\n", 1)[0] + "\n(Brouillon en cours.)", by=officer
        )
        reports += 1
    return {"committee_reports": reports}
