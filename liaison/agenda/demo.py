"""The demo office's coming week: officer.europe's meetings, calls and visits, and the evening receptions that fill a
liaison officer's diary (one of them runs past midnight), so the agenda and My day look like a real week."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from liaison.accounts.models import User
from liaison.exchanges.models import ExchangeKind
from liaison.exchanges.services import exchange_create
from liaison.partners.models import Partner, PartnerStatus
from liaison.partners.selectors import partner_list
from liaison.policy.markings import Marking

HOME = ZoneInfo("Europe/Paris")

# (hour, minute, kind, French title, English title, place); {acronym} is the partner's.
NATIONAL_DAY = (
    19,
    30,
    ExchangeKind.RECEPTION,
    "Réception de la fête nationale ({acronym})",
    "National day reception ({acronym})",
    "Résidence de l'ambassadeur, Paris",
)
CATCH_UP = (
    9,
    30,
    ExchangeKind.MEETING,
    "Point hebdomadaire avec l'officier de liaison {acronym}",
    "Weekly catch-up with the {acronym} liaison officer",
    "Paris, salle 2",
)
CALL = (14, 0, ExchangeKind.CALL, "Appel sécurisé — {acronym}", "Secure call — {acronym}", "Ligne chiffrée")
BREAKFAST = (
    8,
    45,
    ExchangeKind.MEETING,
    "Petit-déjeuner de travail avec {acronym}",
    "Working breakfast with {acronym}",
    "Paris, restaurant du service",
)
VISIT = (
    11,
    0,
    ExchangeKind.VISIT,
    "Visite de la délégation {acronym}",
    "{acronym} delegation visit",
    "Paris, salle de conférence B",
)
LATE_EVENING = (
    22,
    30,
    ExchangeKind.RECEPTION,
    "Soirée de l'attaché de sécurité ({acronym})",
    "Security attaché's evening ({acronym})",
    "Ambassade, Paris",
)
LUNCH = (
    12,
    30,
    ExchangeKind.RECEPTION,
    "Déjeuner avec le chef de poste {acronym}",
    "Lunch with the {acronym} head of station",
    "Paris",
)
MESSAGE = (
    16,
    0,
    ExchangeKind.SECURE_MESSAGE,
    "Message sécurisé à {acronym}",
    "Secure message to {acronym}",
    "Messagerie chiffrée",
)
DRINKS = (
    19,
    0,
    ExchangeKind.RECEPTION,
    "Cocktail de fin d'année des officiers de liaison ({acronym})",
    "Liaison officers' year-end drinks ({acronym})",
    "Cercle de l'Union interalliée, Paris",
)
QUARTERLY = (
    10,
    0,
    ExchangeKind.MEETING,
    "Réunion trimestrielle {acronym}",
    "Quarterly meeting {acronym}",
    "Paris, salle 1",
)
OPENING = (
    18,
    30,
    ExchangeKind.RECEPTION,
    "Vernissage à l'institut culturel ({acronym})",
    "Cultural institute opening ({acronym})",
    "Paris",
)
# Today (a reception even on a Sunday), then each working day of the coming week.
WEEK = [
    [CATCH_UP, CALL, NATIONAL_DAY],
    [BREAKFAST, VISIT, LATE_EVENING],
    [QUARTERLY, LUNCH, MESSAGE],
    [CALL, DRINKS],
    [CATCH_UP, OPENING],
    [BREAKFAST, CALL],
]


def _days(today: date) -> list[date]:
    """Today, then the working days of the coming week."""
    days = [today]
    current = today
    while len(days) < 6:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days.append(current)
    return days


def load_agenda_demo(*, rng: random.Random, users: list[User]) -> dict[str, int]:
    """A dense coming week for officer.europe (two or three entries a day, receptions in the evening); the desk
    head of the zone joins a few. Returns how many exchanges were added."""
    officer = next((u for u in users if u.username == "officer.europe"), None)
    if officer is None:
        return {"exchanges": 0}
    partners: list[Partner] = list(
        partner_list(user=officer).filter(zone__code="europe", status=PartnerStatus.ACTIVE, compartments=None)
    ) or list(partner_list(user=officer).filter(zone__code="europe"))
    if not partners:
        return {"exchanges": 0}
    head = next((u for u in users if u.username == "head.europe"), None)
    today = timezone.localtime(timezone.now(), HOME).date()
    count = 0
    for index, day in enumerate(_days(today)):
        planned = WEEK[index] if day.weekday() < 5 else [NATIONAL_DAY]
        for hour, minute, kind, title_fr, title_en, place in planned:
            partner = rng.choice(partners)
            title = (title_fr if count % 2 == 0 else title_en).format(acronym=partner.acronym or partner.name)
            exchange_create(
                by=officer,
                kind=kind,
                title=title[:200],
                occurred_at=datetime.combine(day, time(hour, minute), tzinfo=HOME),
                time_zone="Europe/Paris",
                place=place,
                partners=[partner],
                participants=[head] if head is not None and kind == ExchangeKind.RECEPTION else [],
                zones=[partner.zone],
                marking=Marking(rank=1),
            )
            count += 1
    return {"exchanges": count}
