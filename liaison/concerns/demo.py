"""The demo office's security concerns: half a year of colleagues' questions, from a staff member at the Nairobi post
(ZINNIA, who holds no role) and officers and analysts of headquarters, in every state, most answered by the security
officers with their reasons and five of the answers published without who asked. Written through the services under
the demo clock, so each step carries the time it describes; deterministic (times are relative to the day the demo is
built)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from liaison.accounts.models import Service, User
from liaison.accounts.services import user_create
from liaison.concerns.services import (
    concern_answer,
    concern_close,
    concern_publish,
    concern_submit,
    concern_triage,
)
from liaison.policy.models import ClassificationLevel

if TYPE_CHECKING:
    from liaison.home.demo import DemoClock


@dataclass(frozen=True)
class DemoConcern:
    login: str
    category: str
    subject: str
    description: str
    ago: timedelta
    triage: tuple[timedelta, str, str] | None = None  # after, severity, handler's login
    answer: tuple[timedelta, str, str] | None = None  # after, outcome, answer
    closed_after: timedelta | None = None
    published: tuple[timedelta, str, str] | None = None  # after, question, answer


H, D = timedelta(hours=1), timedelta(days=1)
OFFICER, DEPUTY = "security.officer", "security.deputy"

CONCERNS = [
    DemoConcern(
        "staff.post",
        "travel",
        "Ordinateur portable demandé à la douane",
        "En rentrant de congé, un douanier m'a demandé de déverrouiller mon ordinateur de travail et l'a gardé vingt "
        "minutes hors de ma vue. Je l'ai éteint depuis et je ne l'ai pas rebranché au réseau. Que dois-je faire ?",
        170 * D,
        (3 * H, "high", OFFICER),
        (
            40 * H,
            "will_do",
            "Vous avez bien fait de ne pas le rebrancher. Le poste est considéré comme compromis : la DSI le remplace "
            "et l'ancien est analysé. Nous allons fournir à chaque poste des ordinateurs de voyage sans données, "
            "rechargés au retour, pour que ce cas ne fasse plus courir de risque : une mesure du plan de renforcement "
            "est ouverte en ce sens (première ligne, échéance au prochain trimestre).",
        ),
        5 * D,
        (
            6 * D,
            "Que faire si l'on doit remettre son ordinateur de travail à un contrôle frontalier ?",
            "Le remettre si la loi locale l'impose, noter la durée hors de vue, ne plus le connecter au réseau et "
            "prévenir l'office de sécurité, qui le fait remplacer et analyser. Des ordinateurs de voyage sans données "
            "sont mis à disposition des postes pour les déplacements.",
        ),
    ),
    DemoConcern(
        "officer.junior",
        "suspicious_message",
        "Recruteur insistant sur un réseau professionnel",
        "Un « chasseur de têtes » me relance depuis trois semaines sur un réseau professionnel, propose un poste "
        "très bien payé et demande sur quels pays je travaille. Son profil a été créé il y a deux mois.",
        150 * D,
        (1 * H, "medium", DEPUTY),
        (
            30 * H,
            "advice",
            "C'est une approche classique de services étrangers. Ne répondez plus, ne supprimez rien : faites-nous "
            "suivre les captures d'écran, nous transmettons au contre-espionnage. Nous rappelons la consigne à tout "
            "le bureau : ne pas indiquer son employeur ni ses zones sur les réseaux professionnels.",
        ),
        3 * D,
        (
            4 * D,
            "Un recruteur inconnu pose des questions sur mon travail sur un réseau professionnel : que faire ?",
            "Ne plus répondre, garder les messages et les transmettre à l'office de sécurité, qui les signale au "
            "contre-espionnage. N'indiquez ni votre employeur ni vos zones de travail sur ces réseaux.",
        ),
    ),
    DemoConcern(
        "analyst.ct2",
        "access",
        "Un compte partagé pour la permanence ?",
        "La nuit, la permanence se transmet un même mot de passe pour lire les CR urgents. Ne serait-il pas plus "
        "simple d'avoir officiellement un compte « permanence » ?",
        140 * D,
        (5 * H, "medium", OFFICER),
        (
            8 * D,
            "will_not_do",
            "Nous ne créerons pas de compte partagé : chaque lecture doit être attribuée à une personne, c'est ce qui "
            "permet de détecter une fuite et de prouver qu'il n'y en a pas eu. Le partage actuel doit cesser. Chaque "
            "membre de la permanence reçoit ses propres droits sur les CR urgents, activés pendant ses gardes.",
        ),
        2 * D,
        (
            3 * D,
            "Pourquoi n'y a-t-il pas de compte partagé pour les équipes de permanence ?",
            "Parce que chaque lecture doit être attribuée à une personne : c'est ce qui permet de détecter une fuite "
            "et de prouver qu'il n'y en a pas eu. Chaque membre d'une permanence a ses propres droits, actifs pendant "
            "ses gardes. Un mot de passe ne se partage jamais.",
        ),
    ),
    DemoConcern(
        "staff.post",
        "device",
        "Clé USB offerte lors d'une réception",
        "Lors d'une réception nationale, un exposant a distribué des clés USB avec une présentation. J'en ai une, "
        "je ne l'ai branchée nulle part.",
        120 * D,
        (2 * H, "high", DEPUTY),
        (
            20 * H,
            "advice",
            "Ne la branchez pas : remettez-la sous enveloppe au correspondant sécurité du poste, qui nous l'envoie "
            "par la valise. Nous l'analyserons sur une machine isolée et vous dirons ce qu'elle contenait.",
        ),
        4 * D,
    ),
    DemoConcern(
        "officer.africa",
        "rule",
        "Pourquoi le second facteur à chaque connexion ?",
        "Sur les liaisons lentes des postes, retaper un code à chaque session fait perdre du temps. Ne peut-on pas "
        "mémoriser l'appareil ?",
        100 * D,
        (6 * H, "low", OFFICER),
        (
            24 * D,
            "will_not_do",
            "Nous gardons le second facteur à chaque session : le mot de passe seul ne protège pas contre "
            "l'hameçonnage, et un appareil mémorisé perdu ou saisi ouvrirait l'accès sans contrôle. Pour réduire la "
            "gêne, les clés de sécurité sont déployées en priorité dans les postes : un contact suffit, sans code à "
            "recopier.",
        ),
        3 * D,
        (
            5 * D,
            "Pourquoi faut-il un second facteur à chaque connexion, même depuis le même appareil ?",
            "Parce que le mot de passe seul ne protège pas contre l'hameçonnage et qu'un appareil mémorisé, perdu "
            "ou saisi, ouvrirait l'accès. Les clés de sécurité, déployées en priorité dans les postes, rendent le "
            "geste plus simple : un contact, aucun code à recopier.",
        ),
    ),
    DemoConcern(
        "analyst.cyber2",
        "handling",
        "CR imprimés oubliés sur l'imprimante partagée",
        "Plusieurs fois ce mois-ci, des CR diffusion restreinte sont restés des heures sur l'imprimante du couloir.",
        80 * D,
        (4 * H, "medium", DEPUTY),
        (
            6 * D,
            "will_do",
            "L'impression sera libérée par badge sur toutes les imprimantes de l'étage d'ici deux mois : rien ne "
            "sortira sans la présence de la personne qui imprime. En attendant, les documents oubliés sont ramassés "
            "chaque soir et détruits.",
        ),
        None,
        (
            7 * D,
            "Des documents protégés restent sur les imprimantes partagées : que fait-on ?",
            "L'impression sera libérée par badge sur les imprimantes partagées : rien ne sort sans la personne qui "
            "imprime. D'ici là, les documents oubliés sont ramassés chaque soir et détruits.",
        ),
    ),
    DemoConcern(
        "head.europe",
        "travel",
        "Téléphone pour une mission en Asie",
        "Je pars en mission la semaine prochaine. Dois-je emporter mon téléphone de service ?",
        60 * D,
        (1 * H, "critical", OFFICER),
        (
            20 * H,
            "advice",
            "Laissez le téléphone de service au bureau : un téléphone de mission vous est remis au secrétariat de "
            "l'office, avec les seuls contacts utiles. Au retour, il est réinitialisé. Pas de consultation de la "
            "messagerie professionnelle depuis un appareil personnel pendant le voyage.",
        ),
        2 * D,
    ),
    DemoConcern(
        "staff.post",
        "access",
        "Coupures de session depuis le poste",
        "Depuis le poste, la session se coupe souvent au milieu d'un CR et je perds ce que j'ai saisi.",
        45 * D,
        (1 * D, "medium", DEPUTY),
        (
            13 * D,
            "already_in_place",
            "La session se ferme après une période d'inactivité, pas pendant la saisie ; sur une liaison lente, "
            "l'enregistrement peut échouer. Les brouillons sont enregistrés à chaque étape : rouvrez le CR, votre "
            "dernière version y est. Nous avons demandé à la DSI de vérifier la liaison du poste.",
        ),
    ),
    DemoConcern(
        "officer.junior",
        "suspicious_message",
        "Appel du « support informatique »",
        "Quelqu'un se présentant comme le support informatique m'a appelé pour « vérifier mon second facteur » et "
        "m'a demandé le code affiché. J'ai raccroché.",
        30 * D,
        (timedelta(minutes=30), "critical", OFFICER),
        (
            5 * H,
            "advice",
            "Vous avez eu raison : le support ne demande jamais de code. Nous avons vérifié votre compte (aucune "
            "connexion suspecte) et alerté tout le bureau. Si cela se reproduit, notez le numéro et l'heure.",
        ),
    ),
    DemoConcern(
        "analyst.ct2",
        "device",
        "Verrouillage d'écran trop tardif",
        "L'écran ne se verrouille qu'au bout de quinze minutes. Dans un bureau partagé, c'est long.",
        20 * D,
        (1 * D, "low", DEPUTY),
        (
            18 * D,
            "will_do",
            "Le délai passe à cinq minutes sur les postes des bureaux partagés au prochain déploiement. Le réflexe "
            "reste de verrouiller en quittant son poste.",
        ),
    ),
    DemoConcern(
        "officer.africa",
        "rule",
        "Classement des notes manuscrites d'entretien",
        "Comment classer les notes prises à la main pendant un entretien avec un partenaire avant de rédiger le CR ?",
        12 * D,
        (2 * D, "medium", OFFICER),
    ),
    DemoConcern(
        "staff.post",
        "other",
        "Visiteurs non accompagnés dans les couloirs",
        "Des visiteurs attendent seuls dans le couloir des bureaux, près de la salle où l'on consulte les CR.",
        6 * D,
        (4 * H, "high", DEPUTY),
    ),
    DemoConcern(
        "analyst.cyber2",
        "suspicious_message",
        "Pièce jointe .iso reçue d'un partenaire",
        "Un message d'un partenaire habituel contient une pièce jointe .iso inattendue. Je ne l'ai pas ouverte.",
        2 * D,
    ),
    DemoConcern(
        "head.europe",
        "handling",
        "Envoyer un CR par courriel non chiffré ?",
        "Un partenaire demande qu'on lui envoie un résumé par courriel ordinaire. Est-ce possible ?",
        6 * H,
    ),
]


def _staff_post(users: list[User]) -> User:
    """ZINNIA, a staff member at the Nairobi post who holds no role here."""
    from liaison.demo.office import DEMO_PASSWORD

    existing = next((user for user in users if user.username == "staff.post"), None)
    if existing is not None:
        return existing
    post, _created = Service.objects.get_or_create(
        code="post", defaults={"name_fr": "Poste de Nairobi", "name_en": "Nairobi post", "is_recipient": False}
    )
    return user_create(
        username="staff.post",
        alias="ZINNIA",
        password=DEMO_PASSWORD,
        service=post,
        roles=(),
        clearance=ClassificationLevel.objects.get(scheme__is_national=True, code="dr"),
        civil_first_name="Amina",
        civil_last_name="Wanjiru",
        is_demo=True,
        by=None,
    )


def _play(clock: DemoClock, spec: DemoConcern, by_login: dict[str, User], now: datetime) -> None:
    at = clock.at
    start = now - spec.ago
    at(start)
    requester = by_login[spec.login]
    service = requester.service
    concern = concern_submit(
        by=requester,
        category=spec.category,
        subject=spec.subject,
        description=spec.description,
        post_or_service=service.name_fr if service else "",
    )
    if spec.triage is not None:
        after, severity, handler = spec.triage
        at(start + after)
        concern = concern_triage(concern=concern, by=by_login[handler], severity=severity, owner=by_login[handler])
        if spec.answer is not None:
            answered_after, outcome, answer = spec.answer
            at(start + answered_after)
            concern = concern_answer(concern=concern, by=by_login[handler], outcome=outcome, answer=answer)
            if spec.closed_after is not None:
                at(start + answered_after + spec.closed_after)
                concern = concern_close(concern=concern, by=by_login[handler])
            if spec.published is not None:
                published_after, question, published = spec.published
                at(start + answered_after + published_after)
                concern_publish(concern=concern, by=by_login[OFFICER], question=question, answer=published)


def load_concerns_demo(*, users: list[User]) -> dict[str, int]:
    # The demo office imports this module, and the demo clock's module imports the office: both when called.
    from liaison.demo import office  # noqa: F401 - first, so that the clock's module finds it loaded
    from liaison.home.demo import demo_clock

    by_login = {user.username: user for user in users}
    by_login["staff.post"] = _staff_post(users)
    now = timezone.now()
    with demo_clock() as clock:
        for spec in CONCERNS:
            _play(clock, spec, by_login, now)
    return {"concerns": len(CONCERNS), "published_answers": sum(1 for spec in CONCERNS if spec.published)}
