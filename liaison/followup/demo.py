"""Follow-ups in the demo office: for each zone's officer, requests from partners (one urgent, one overdue, one
acknowledged whose estimate has slipped, one answered), requests to partners (one acknowledged by the partner),
the tasks of approved reports (some done, one late), and questions from the analysts on disseminated reports.
Consent follow-ups come from the releases demo. Everything goes through the services, then the clock is set back
so that the office looks as it would on a working day."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from liaison.accounts.models import User
from liaison.exchanges.models import Exchange
from liaison.followup import services
from liaison.followup.hooks import followup_ask_about_report
from liaison.followup.models import FollowUp, FollowUpEvent, FollowUpKind, Priority
from liaison.partners.models import Partner
from liaison.policy.access import can_read, visible_to
from liaison.reports.models import Report, ReportRecipient, ReportStatus

OFFICERS = ["officer.europe", "officer.mena", "officer.africa", "officer.eurasia", "officer.asia", "officer.americas"]

INCOMING = [
    ("Demande d'identification d'un numéro de téléphone", "Identification request: phone number"),
    ("Vérification d'un passeport présenté à la frontière", "Check of a passport shown at the border"),
    ("Antécédents d'une société de fret", "Background of a freight company"),
    ("Confirmation d'un déplacement annoncé", "Confirmation of an announced trip"),
    ("Titulaire d'un compte bancaire (IBAN)", "Holder of a bank account (IBAN)"),
]
OUTGOING = [
    ("Demander les données techniques complètes de l'incident", "Ask for the full technical data of the incident"),
    ("Obtenir la liste des participants à la conférence", "Obtain the list of conference participants"),
    ("Solliciter l'évaluation du partenaire sur la source", "Ask for the partner's assessment of the source"),
]
QUESTIONS = [
    "Le numéro cité est-il toujours actif ? Avez-vous une date de dernière utilisation ?",
    "Le partenaire autorise-t-il une exploitation judiciaire de ces éléments ?",
]


def _back(followup: FollowUp, *, opened: timedelta, due: timedelta) -> None:
    """Set the clock back: opened `opened` ago, due `due` from now (negative: overdue)."""
    now = timezone.now()
    opened_at = now - opened
    due_at = now + due
    if abs(due) >= timedelta(days=1):  # a deadline in days falls at the end of the working day, as people set them
        due_at = timezone.localtime(due_at).replace(hour=18, minute=0, second=0, microsecond=0)
    else:  # an urgent one on the next full hour
        due_at = due_at.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    FollowUp.objects.filter(pk=followup.pk).update(created_at=opened_at, assigned_at=opened_at, due_at=due_at)
    FollowUpEvent.objects.filter(followup=followup, action="created").update(at=opened_at)
    followup.refresh_from_db()


def _partners_of(officer: User) -> list[Partner]:
    return list(visible_to(Partner.objects.filter(officers_in_charge=officer), officer).order_by("name"))


def _exchange_with(officer: User, partner: Partner) -> Exchange | None:
    exchanges = Exchange.objects.filter(partners=partner, occurred_at__lt=timezone.now()).order_by("-occurred_at")
    return visible_to(exchanges, officer).first()


def _title(pair: tuple[str, str], n: int) -> str:
    return pair[n % 2]


def _incoming(rng: random.Random, officer: User, partners: list[Partner], first: int) -> int:
    """Requests from partners in every state a desk sees in a week."""
    count = 0
    plans = [
        ("urgent", timedelta(hours=3), timedelta(hours=5), "open"),
        ("normal", timedelta(days=4), timedelta(days=-1), "open"),
        ("routine", timedelta(days=6), timedelta(days=1), "slipping"),
        ("normal", timedelta(days=9), timedelta(days=-6), "answered"),
        ("normal", timedelta(days=1), timedelta(days=2), "acknowledged"),
    ]
    for n, (priority, opened, due, fate) in enumerate(plans):
        partner = partners[n % len(partners)]
        exchange = _exchange_with(officer, partner)
        followup = services.followup_create(
            by=officer,
            kind=FollowUpKind.RFI_IN,
            title=_title(INCOMING[(first + n) % len(INCOMING)], first + n),
            description="Reçue par messagerie sécurisée." if n % 2 == 0 else "Received by secure message.",
            priority=priority,
            owner=officer,
            partner=partner,
            exchange=exchange,
            partner_reference=f"{partner.acronym}-{2026}-{rng.randint(100, 999)}",
        )
        _back(followup, opened=opened, due=due)
        now = timezone.now()
        if fate == "slipping":
            services.followup_acknowledge(
                by=officer,
                followup=followup,
                acknowledged_at=now - timedelta(days=5),
                estimate_at=now - timedelta(hours=20),
            )
        elif fate == "acknowledged":
            services.followup_acknowledge(
                by=officer,
                followup=followup,
                acknowledged_at=now - timedelta(hours=20),
                estimate_at=now + timedelta(days=1),
            )
        elif fate == "answered":
            services.followup_acknowledge(
                by=officer,
                followup=followup,
                acknowledged_at=now - timedelta(days=8),
                estimate_at=now - timedelta(days=7),
            )
            services.followup_answer(
                by=officer, followup=followup, outcome="Réponse transmise par message sécurisé ; accusé reçu."
            )
            answered_at = now - timedelta(days=7)  # a day before its deadline
            FollowUp.objects.filter(pk=followup.pk).update(closed_at=answered_at)
            FollowUpEvent.objects.filter(followup=followup, action="answered").update(at=answered_at)
        count += 1
    return count


def _outgoing(rng: random.Random, officer: User, partners: list[Partner], first: int) -> int:
    count = 0
    for n in range(2):
        partner = partners[(n + 1) % len(partners)]
        followup = services.followup_create(
            by=officer,
            kind=FollowUpKind.RFI_OUT,
            title=_title(OUTGOING[(first + n) % len(OUTGOING)], first + n),
            priority=Priority.NORMAL,
            owner=officer,
            partner=partner,
            exchange=_exchange_with(officer, partner),
        )
        _back(followup, opened=timedelta(days=3 + n), due=timedelta(days=2 + 3 * n))
        if n == 0:
            services.followup_record_partner_ack(
                by=officer,
                followup=followup,
                acknowledged_at=timezone.now() - timedelta(days=2),
                estimate_at=timezone.now() + timedelta(days=4),
                partner_reference=f"{partner.acronym}/RFI/{rng.randint(10, 99)}",
            )
        count += 1
    return count


def _report_tasks(rng: random.Random) -> None:
    """The tasks approval made from proposed follow-ups: older ones mostly done, one late."""
    tasks = list(
        FollowUp.objects.filter(kind=FollowUpKind.TASK, report__isnull=False)
        .select_related("report", "owner")
        .order_by("report__approved_at", "title")
    )
    for n, task in enumerate(tasks):
        approved: datetime = (task.report.approved_at if task.report else None) or timezone.now()
        age = timezone.now() - approved
        if n == len(tasks) - 1:
            _back(task, opened=timedelta(days=5), due=timedelta(days=-2))  # late
        elif rng.random() < 0.6:
            services.followup_complete(by=task.owner, followup=task, comment="Fait.")
        else:
            _back(task, opened=max(age, timedelta(hours=1)), due=timedelta(days=rng.randint(1, 6)))


def _questions(users: dict[str, User]) -> int:
    """Analysts' questions on reports disseminated to their service."""
    count = 0
    for login, question in zip(["analyst.ct", "analyst.cp"], QUESTIONS, strict=False):
        analyst = users.get(login)
        if analyst is None or analyst.service_id is None:
            continue
        received = ReportRecipient.objects.filter(
            service_id=analyst.service_id, report__status=ReportStatus.DISSEMINATED
        ).values("report_id")
        report = Report.objects.filter(pk__in=received).order_by("-disseminated_at").first()
        if report is None or not can_read(analyst, report) or not report.created_by.is_active:
            continue
        followup = followup_ask_about_report(by=analyst, report=report, question=question)
        _back(followup, opened=timedelta(days=1), due=timedelta(days=2))
        count += 1
    return count


def load_followup_demo(*, rng: random.Random, users: list[User]) -> dict[str, int]:
    by_login = {user.username: user for user in users}
    count = 0
    for n, login in enumerate(OFFICERS):
        officer = by_login.get(login)
        if officer is None:
            continue
        partners = _partners_of(officer)
        if not partners:
            continue
        plans = _incoming(rng, officer, partners, n) if n < 3 else 0
        if n >= 3:  # the other zones: a lighter week, one request each way
            followup = services.followup_create(
                by=officer,
                kind=FollowUpKind.RFI_IN,
                title=_title(INCOMING[n % len(INCOMING)], n),
                owner=officer,
                partner=partners[0],
                priority=Priority.NORMAL,
            )
            _back(followup, opened=timedelta(days=2 + n), due=timedelta(days=1 - n // 2))
            plans = 1
        count += plans + _outgoing(rng, officer, partners, n)
    _report_tasks(rng)
    count += _questions(by_login)
    return {"followups": FollowUp.objects.count(), "followups_opened_by_hand": count}
