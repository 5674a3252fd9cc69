"""The demo office's advisories to federal partners: three fictitious federal administrations with their contacts
and one account each; TOPAZE (security.officer) wrote four advisories over the last weeks, ULEX (security.deputy)
approved them: a public TLP:CLEAR note on a phishing wave, a TLP:GREEN security advisory on a VPN gateway flaw, a
TLP:AMBER one sent to two administrations of which one has acknowledged it, and a draft awaiting ULEX's approval.
Written through the services under the demo clock; deterministic (times relative to the day the demo is built)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from liaison.accounts.models import RoleCode, User
from liaison.accounts.services import user_create
from liaison.advisories.models import Advisory, AdvisoryCategory, FederalPartner, PartnerKind
from liaison.advisories.services import (
    AdvisoryContent,
    advisory_approve,
    advisory_create,
    advisory_publish,
    advisory_send,
    advisory_submit,
    contact_save,
    distribution_acknowledge,
    partner_save,
)
from liaison.home.demo import DemoClock, demo_clock
from liaison.policy.markings import TLP

PASSWORD = "liaison-demo"  # noqa: S105 - printed on purpose: demo accounts only, demo mode only

# (login, alias, name, acronym, kind, the account's contact, another contact)
ADMINISTRATIONS = [
    (
        "partner.interior",
        "OPALE",
        "Service public fédéral Intérieur (fictif)",
        "SPF-INT",
        PartnerKind.MINISTRY,
        ("Anne Delvaux", "anne.delvaux@int.example", "Responsable de la sécurité de l'information"),
        ("Permanence CERT Intérieur", "cert@int.example", "Permanence 24/7"),
    ),
    (
        "partner.finance",
        "BERYL",
        "Service public fédéral Finances (fictif)",
        "SPF-FIN",
        PartnerKind.MINISTRY,
        ("Marc Jacobs", "marc.jacobs@fin.example", "CISO"),
        ("Helpdesk sécurité Finances", "securite@fin.example", "Service d'assistance"),
    ),
    (
        "partner.health",
        "CORINDON",
        "Agence fédérale de la santé numérique (fictive)",
        "AFSN",
        PartnerKind.AGENCY,
        ("Sara Peeters", "sara.peeters@afsn.example", "Responsable de la sécurité"),
        ("Équipe de réponse AFSN", "csirt@afsn.example", "CSIRT sectoriel"),
    ),
]

PHISHING = AdvisoryContent(
    title="Campagne d'hameçonnage usurpant le portail des impôts",
    category=AdvisoryCategory.INFORMATIONAL,
    tlp=TLP.CLEAR,
    lang="fr",
    summary="Une campagne de courriels imite le portail fiscal et demande les identifiants des agents.",
    details="Les messages renvoient vers un domaine d'apparence proche ; ne saisir aucun identifiant, signaler le "
    "message au service de sécurité et bloquer le domaine sur les passerelles de messagerie.",
    references=[{"url": "https://cert.example.org/avis/2026-017", "summary": "Note du CERT national (fictive)"}],
)
VPN = AdvisoryContent(
    title="Exécution de code à distance dans la passerelle VPN SecureGate",
    category=AdvisoryCategory.SECURITY,
    tlp=TLP.GREEN,
    lang="fr",
    summary="Une faille du portail web de la passerelle permet à un attaquant non authentifié d'exécuter du code.",
    details="Exploitation observée chez deux administrations. Appliquer le correctif sans attendre la fenêtre de "
    "maintenance et rechercher des comptes créés récemment sur les passerelles.",
    references=[{"url": "https://vendor.example.com/psirt/2026-042", "summary": "Bulletin de l'éditeur (fictif)"}],
    products=[
        {"vendor": "Example Networks", "product": "SecureGate", "version": "9.1.2"},
        {"vendor": "Example Networks", "product": "SecureGate", "version": "9.2.0"},
    ],
    vulnerabilities=[
        {
            "cve": "CVE-2026-20421",
            "title": "Injection de commande dans le portail web",
            "remediation": "Mettre à jour en version 9.2.1 ou ultérieure.",
        }
    ],
)
MAIL = AdvisoryContent(
    title="Vol de jetons de session sur la messagerie en ligne",
    category=AdvisoryCategory.SECURITY,
    tlp=TLP.AMBER,
    lang="fr",
    summary="Un module de la messagerie en ligne laisse fuiter les jetons de session vers un domaine tiers.",
    details="Indicateurs partagés avec les seules administrations concernées ; ne pas diffuser hors de leurs "
    "équipes de sécurité.",
    references=[{"url": "https://vendor.example.com/psirt/2026-051", "summary": "Bulletin de l'éditeur (fictif)"}],
    products=[{"vendor": "Example Mail", "product": "WebMail", "version": "5.4"}],
    vulnerabilities=[
        {
            "cve": "CVE-2026-31877",
            "title": "Fuite de jetons de session",
            "remediation": "Désactiver le module d'aperçu et appliquer le correctif 5.4.3.",
        }
    ],
)
PRINTERS = AdvisoryContent(
    title="Imprimantes réseau exposées sur Internet",
    category=AdvisoryCategory.INFORMATIONAL,
    tlp=TLP.GREEN,
    lang="fr",
    summary="Des imprimantes réseau d'administrations répondent depuis Internet ; leurs interfaces divulguent des "
    "carnets d'adresses.",
    references=[{"url": "https://cert.example.org/avis/2026-023", "summary": "Note du CERT national (fictive)"}],
)


def _administrations(officer: User) -> dict[str, tuple[FederalPartner, User]]:
    found = {}
    for login, alias, name, acronym, kind, own, other in ADMINISTRATIONS:
        partner = partner_save(by=officer, name=name, acronym=acronym, kind=kind)
        account = user_create(
            username=login,
            alias=alias,
            password=PASSWORD,
            service=None,
            roles=(RoleCode.FEDERAL_PARTNER,),
            clearance=None,
            civil_first_name=own[0].split()[0],
            civil_last_name=own[0].split()[1],
            is_demo=True,
            by=None,
        )
        contact_save(by=officer, partner=partner, name=own[0], email=own[1], function=own[2], user=account)
        contact_save(by=officer, partner=partner, name=other[0], email=other[1], function=other[2])
        found[acronym] = (partner, account)
    return found


def _publish(clock: DemoClock, content: AdvisoryContent, author: User, approver: User, written: datetime) -> Advisory:
    clock.at(written)
    advisory = advisory_create(by=author, content=content)
    clock.at(written + timedelta(hours=2))
    advisory_submit(advisory=advisory, by=author)
    clock.at(written + timedelta(hours=5))
    advisory_approve(advisory=advisory, by=approver)
    clock.at(written + timedelta(hours=6))
    return advisory_publish(advisory=advisory, by=author)


def load_advisories_demo(*, users: list[User]) -> dict[str, int]:
    by_login = {user.username: user for user in users}
    officer, deputy = by_login["security.officer"], by_login["security.deputy"]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    with demo_clock() as clock:
        clock.at(now - timedelta(days=40))
        partners = _administrations(officer)
        interior, finance, health = (partners[a][0] for a in ("SPF-INT", "SPF-FIN", "AFSN"))
        phishing = _publish(clock, PHISHING, officer, deputy, now - timedelta(days=30))
        advisory_send(advisory=phishing, partners=[interior, finance, health], by=officer)
        vpn = _publish(clock, VPN, officer, deputy, now - timedelta(days=12))
        advisory_send(advisory=vpn, partners=[interior, finance], by=officer)
        clock.at(now - timedelta(days=11))
        distribution_acknowledge(distribution=vpn.distributions.get(partner=finance), by=partners["SPF-FIN"][1])
        mail = _publish(clock, MAIL, officer, deputy, now - timedelta(days=3))
        advisory_send(advisory=mail, partners=[interior, health], by=officer)
        clock.at(now - timedelta(days=2))
        distribution_acknowledge(distribution=mail.distributions.get(partner=interior), by=partners["SPF-INT"][1])
        clock.at(now - timedelta(hours=20))
        printers = advisory_create(by=officer, content=PRINTERS)
        advisory_submit(advisory=printers, by=officer)
    return {"advisories": 4, "federal_partners": len(partners)}
