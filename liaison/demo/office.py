"""A believable, entirely fictitious office for demonstrations and benchmarks, built through the same services
as real data. Deterministic for a given seed."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import RoleCode, Service, User
from liaison.accounts.services import user_create
from liaison.advisories.demo import load_advisories_demo
from liaison.agenda.demo import load_agenda_demo
from liaison.alerts.demo import load_alerts_demo
from liaison.audit.demo import load_ckpt_demo
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.breakglass.demo import load_breakglass_demo
from liaison.committee.demo import load_committee_demo
from liaison.concerns.demo import load_concerns_demo
from liaison.exchanges.models import Exchange, ExchangeKind, InformationItem, ItemDirection, OriginatorKind
from liaison.exchanges.services import ItemInput, attachment_add, exchange_create, item_create, item_update
from liaison.followup.demo import load_followup_demo
from liaison.home.demo import load_home_demo
from liaison.notifications.demo import load_notifications_demo
from liaison.partners.models import Partner, PartnerKind, PartnerStatus
from liaison.partners.services import agreement_create, contact_create, partner_create
from liaison.passkeys.demo import load_passkeys_demo
from liaison.policy.access import can_read
from liaison.policy.markings import TLP, Marking
from liaison.policy.models import ClassificationLevel, Compartment, Zone
from liaison.releases.demo import load_release_demo
from liaison.reports.models import Report, ReportStatus, RoutingRule
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
from liaison.reviews.demo import load_reviews_demo
from liaison.security.demo import load_plan_demo
from liaison.security.indicators.demo import load_indicators_demo

DEMO_PASSWORD = "liaison-demo"  # noqa: S105 - printed on purpose: demo accounts only, demo mode only

SERVICES = [
    ("bci", "Bureau de la coopération internationale", "International Cooperation Office", False),
    ("dct", "Direction du contre-terrorisme", "Counter-Terrorism Directorate", True),
    ("dcp", "Direction de la contre-prolifération", "Counter-Proliferation Directorate", True),
    ("dci", "Direction de la contre-ingérence", "Counter-Interference Directorate", True),
    ("dcy", "Direction cyber", "Cyber Directorate", True),
    ("dce", "Direction du contre-espionnage", "Counter-Espionage Directorate", True),
    ("ssi", "Bureau de la cybersécurité", "Cybersecurity Office", False),
    ("aud", "Inspection et audit interne", "Inspection and Internal Audit", False),
    ("dsi", "Direction des systèmes d'information", "IT Directorate", False),
]


# login, alias, service, roles, clearance code, compartments, zones
@dataclass(frozen=True)
class DemoAccount:
    login: str
    alias: str
    service: str
    roles: tuple[str, ...]
    clearance: str
    compartments: tuple[str, ...]
    zones: tuple[str, ...] = ()


ALL = ("terrorism", "proliferation", "interference", "cyber", "counter-intelligence", "organised-crime")
LO, DH, RC, RA, SO, AU, AD = (
    RoleCode.LIAISON_OFFICER,
    RoleCode.DESK_HEAD,
    RoleCode.RECIPIENT,
    RoleCode.RELEASE_AUTHORITY,
    RoleCode.SECURITY_OFFICER,
    RoleCode.AUDITOR,
    RoleCode.ADMINISTRATOR,
)

ACCOUNTS = [
    DemoAccount(
        "officer.europe",
        "AMARANTE",
        "bci",
        (LO,),
        "s",
        ("terrorism", "interference", "cyber", "counter-intelligence"),
        ("europe",),
    ),
    DemoAccount("officer.mena", "BASALTE", "bci", (LO,), "s", ("terrorism", "proliferation"), ("maghreb-middle-east",)),
    DemoAccount("officer.africa", "CORAIL", "bci", (LO,), "s", ("terrorism", "organised-crime"), ("africa",)),
    DemoAccount(
        "officer.eurasia", "DIORITE", "bci", (LO,), "s", ("interference", "counter-intelligence", "cyber"), ("eurasia",)
    ),
    DemoAccount("officer.asia", "EPICEA", "bci", (LO,), "s", ("proliferation", "cyber"), ("asia-pacific",)),
    DemoAccount("officer.americas", "FOUGERE", "bci", (LO,), "dr", ("organised-crime",), ("americas",)),
    DemoAccount("officer.junior", "GENET", "bci", (LO,), "dr", (), ("europe",)),
    DemoAccount("head.office", "HELIANTHE", "bci", (DH,), "ts", ALL, ()),
    DemoAccount(
        "head.europe",
        "IRIS",
        "bci",
        (DH,),
        "s",
        ("terrorism", "interference", "cyber", "counter-intelligence"),
        ("europe", "eurasia"),
    ),
    DemoAccount(
        "head.south",
        "JASPE",
        "bci",
        (DH,),
        "s",
        ("terrorism", "proliferation", "organised-crime"),
        ("maghreb-middle-east", "africa"),
    ),
    DemoAccount("release.authority", "KAOLIN", "bci", (RA,), "ts", ALL, ()),
    DemoAccount("analyst.ct", "LAZULITE", "dct", (RC,), "s", ("terrorism",)),
    DemoAccount("analyst.ct2", "MAGNOLIA", "dct", (RC,), "dr", ("terrorism",)),
    DemoAccount("analyst.cp", "NACRE", "dcp", (RC,), "s", ("proliferation",)),
    DemoAccount("analyst.ci", "OBSIDIENNE", "dci", (RC,), "s", ("interference",)),
    DemoAccount("analyst.cyber", "PERVENCHE", "dcy", (RC,), "s", ("cyber",)),
    DemoAccount("analyst.cyber2", "QUARTZ", "dcy", (RC,), "dr", ("cyber",)),
    DemoAccount("analyst.ce", "RHODONITE", "dce", (RC,), "ts", ("counter-intelligence", "interference")),
    DemoAccount("head.ct", "SAULE", "dct", (RC, DH), "ts", ("terrorism", "organised-crime")),
    DemoAccount("security.officer", "TOPAZE", "ssi", (SO,), "s", ()),
    DemoAccount("security.deputy", "ULEX", "ssi", (SO,), "dr", ()),
    DemoAccount("auditor", "VERVEINE", "aud", (AU,), "s", ()),
    DemoAccount("auditor.deputy", "WOLFRAM", "aud", (AU,), "dr", ()),
    DemoAccount("admin", "XENON", "dsi", (AD,), "dr", ()),
    DemoAccount("admin.deputy", "YUCCA", "dsi", (AD,), "dr", ()),
]

# zone -> countries the office works with there
ZONE_COUNTRIES = {
    "europe": ["BE", "DE", "IT", "ES", "NL", "GB", "PL", "SE", "CH", "FR"],
    "maghreb-middle-east": ["MA", "TN", "JO", "AE", "EG"],
    "africa": ["SN", "CI", "NE", "KE"],
    "eurasia": ["GE", "KZ", "UA"],
    "asia-pacific": ["JP", "AU", "SG", "IN"],
    "americas": ["US", "CA", "BR", "CO"],
}
KIND_NAMES = {
    PartnerKind.INTELLIGENCE: ("Foreign Intelligence Service", "FIS"),
    PartnerKind.SECURITY: ("Internal Security Service", "ISS"),
    PartnerKind.POLICE: ("National Police — Counter-Terrorism Unit", "NPCT"),
    PartnerKind.CERT: ("National CERT", "CERT"),
    PartnerKind.MINISTRY: ("Ministry of the Interior — International Affairs", "MOI"),
}
NOTES = [
    "Long-standing relationship; quarterly meetings alternate between capitals.",
    "Prefers secure messaging over calls; answers RFIs within the week.",
    "Relationship resumed last year after a pause; handle with care.",
    "Strong on technical indicators; little human-source reporting.",
    "Liaison post on site; most exchanges happen at the embassy.",
]


def _level(code: str) -> ClassificationLevel:
    return ClassificationLevel.objects.get(scheme__is_national=True, code=code)


def _services() -> dict[str, Service]:
    services = {}
    for code, fr, en, recipient in SERVICES:
        services[code], _ = Service.objects.get_or_create(
            code=code, defaults={"name_fr": fr, "name_en": en, "is_recipient": recipient}
        )
    return services


def _users(services: dict[str, Service], rng: random.Random, extra: int) -> list[User]:
    compartments = {c.code: c for c in Compartment.objects.all()}
    zones = {z.code: z for z in Zone.objects.all()}
    users = []
    accounts = list(ACCOUNTS)
    for n in range(extra):
        zone = rng.choice(list(zones))
        accounts.append(
            DemoAccount(
                f"officer.{n:04d}",
                f"AGENT-{n:04d}",
                "bci",
                (LO,),
                rng.choice(["dr", "s"]),
                tuple(rng.sample(ALL, 2)),
                (zone,),
            )
        )
    first = ["Claire", "Marc", "Nadia", "Julien", "Sophie", "Karim", "Élodie", "Thomas", "Inès", "Paul"]
    last = ["Martin", "Bernard", "Durand", "Lefèvre", "Moreau", "Girard", "Fournier", "Lambert", "Roux", "Blanc"]
    for account in accounts:
        users.append(
            user_create(
                username=account.login,
                alias=account.alias,
                password=DEMO_PASSWORD,
                service=services[account.service],
                roles=account.roles,
                clearance=_level(account.clearance),
                compartments=[compartments[c] for c in account.compartments],
                zones=[zones[z] for z in account.zones],
                civil_first_name=rng.choice(first),
                civil_last_name=rng.choice(last),
                is_demo=True,
                by=None,
            )
        )
    return users


def _partners(
    services: dict[str, Service], users: list[User], rng: random.Random, per_country: int
) -> list[tuple[Partner, list[User]]]:
    """The partner files, in creation order, each with its officers in charge."""
    compartments = {c.code: c for c in Compartment.objects.all()}
    levels = {code: _level(code) for code in ("dr", "s")}
    partners = []
    for zone in Zone.objects.order_by("code"):
        officers = [u for u in users if u.has_role(RoleCode.LIAISON_OFFICER) and zone in u.zones.all()]
        for country in ZONE_COUNTRIES.get(zone.code, []):
            kinds = rng.sample(list(PartnerKind), k=min(per_country, len(PartnerKind)))
            for index in range(per_country):
                kind = kinds[index % len(kinds)]
                name, acronym = KIND_NAMES[kind]
                secret = kind == PartnerKind.INTELLIGENCE or rng.random() < 0.2
                themes = rng.sample(["terrorism", "proliferation", "interference", "cyber"], k=1) if secret else []
                partner = partner_create(
                    name=f"{name} ({country})" if per_country <= len(PartnerKind) else f"{name} ({country}) #{index}",
                    acronym=f"{acronym}-{country}",
                    country=country,
                    kind=kind,
                    zone=zone,
                    trust_level=rng.choice([2, 3, 3, 4]),
                    status=rng.choices([PartnerStatus.ACTIVE, PartnerStatus.SUSPENDED], weights=[9, 1])[0],
                    notes=rng.choice(NOTES),
                    classification=levels["s" if secret else "dr"],
                    compartments=[compartments[t] for t in themes],
                    shared_with=[services["bci"]],
                    officers_in_charge=officers[:2],
                    by=officers[0] if officers else users[0],
                )
                partners.append((partner, officers[:2]))
    return partners


# ---------------------------------------------------------------------------------------------------------------
# The living office: routing rules, agreements and contacts, exchanges, items and reports in every state.

ROUTING = [
    ("terrorism", "dct"),
    ("proliferation", "dcp"),
    ("interference", "dci"),
    ("cyber", "dcy"),
    ("counter-intelligence", "dce"),
    ("organised-crime", "dct"),
]

# country -> (city in French, city in English, time zone)
COUNTRY_PLACES = {
    "BE": ("Bruxelles", "Brussels", "Europe/Brussels"),
    "DE": ("Berlin", "Berlin", "Europe/Berlin"),
    "IT": ("Rome", "Rome", "Europe/Rome"),
    "ES": ("Madrid", "Madrid", "Europe/Madrid"),
    "NL": ("La Haye", "The Hague", "Europe/Amsterdam"),
    "GB": ("Londres", "London", "Europe/London"),
    "PL": ("Varsovie", "Warsaw", "Europe/Warsaw"),
    "SE": ("Stockholm", "Stockholm", "Europe/Stockholm"),
    "CH": ("Berne", "Bern", "Europe/Zurich"),
    "FR": ("Paris", "Paris", "Europe/Paris"),
    "MA": ("Rabat", "Rabat", "Africa/Casablanca"),
    "TN": ("Tunis", "Tunis", "Africa/Tunis"),
    "JO": ("Amman", "Amman", "Asia/Amman"),
    "AE": ("Abou Dabi", "Abu Dhabi", "Asia/Dubai"),
    "EG": ("Le Caire", "Cairo", "Africa/Cairo"),
    "SN": ("Dakar", "Dakar", "Africa/Dakar"),
    "CI": ("Abidjan", "Abidjan", "Africa/Abidjan"),
    "NE": ("Niamey", "Niamey", "Africa/Niamey"),
    "KE": ("Nairobi", "Nairobi", "Africa/Nairobi"),
    "GE": ("Tbilissi", "Tbilisi", "Asia/Tbilisi"),
    "KZ": ("Astana", "Astana", "Asia/Almaty"),
    "UA": ("Kyiv", "Kyiv", "Europe/Kyiv"),
    "JP": ("Tokyo", "Tokyo", "Asia/Tokyo"),
    "AU": ("Canberra", "Canberra", "Australia/Sydney"),
    "SG": ("Singapour", "Singapore", "Asia/Singapore"),
    "IN": ("New Delhi", "New Delhi", "Asia/Kolkata"),
    "US": ("Washington", "Washington", "America/New_York"),
    "CA": ("Ottawa", "Ottawa", "America/Toronto"),
    "BR": ("Brasília", "Brasília", "America/Sao_Paulo"),
    "CO": ("Bogota", "Bogotá", "America/Bogota"),
}
HOME_TZ = "Europe/Paris"

# Fictitious people at partner services, by zone.
CONTACT_NAMES = {
    "europe": ["Anna Keller", "Jonas Weber", "Marta Rossi", "Lucas Janssen", "Sofia Nowak", "Erik Lindqvist"],
    "maghreb-middle-east": ["Youssef Amrani", "Leïla Haddad", "Omar Khalil", "Salma Bennani", "Karim Mansour"],
    "africa": ["Amadou Diallo", "Grace Wanjiru", "Aïssatou Ndiaye", "Koffi Kouassi", "Moussa Issoufou"],
    "eurasia": ["Nino Beridze", "Aigerim Sadykova", "Olena Koval", "Giorgi Lomidze", "Daniyar Seitkali"],
    "asia-pacific": ["Kenji Sato", "Priya Raman", "Mei Lin Tan", "Oliver Grant", "Yuki Nakamura"],
    "americas": ["Daniel Brooks", "Camila Restrepo", "Rafael Almeida", "Emily Tremblay", "Mateo Rincón"],
}
CONTACT_POSITIONS = [
    "Head of international relations",
    "Liaison officer",
    "Deputy director",
    "Head of the analysis division",
    "Desk officer, European partners",
    "Chef du bureau des relations internationales",
]

# theme -> (label in French, label in English, [(topic in French, topic in English)])
THEMES = {
    "terrorism": (
        "contre-terrorisme",
        "counter-terrorism",
        [
            ("retour de combattants de la zone irako-syrienne", "returning foreign fighters"),
            ("financement d'une cellule par cagnottes en ligne", "online crowdfunding for a cell"),
            ("propagande jihadiste en ligne", "jihadist online propaganda"),
            ("menace contre un grand événement sportif", "threat against a major sporting event"),
        ],
    ),
    "proliferation": (
        "contre-prolifération",
        "counter-proliferation",
        [
            ("achats de biens à double usage", "dual-use procurement network"),
            ("société écran de transbordement", "transshipment front company"),
            ("contournement des sanctions par voie maritime", "maritime sanctions evasion"),
        ],
    ),
    "interference": (
        "ingérences étrangères",
        "foreign interference",
        [
            ("campagne de désinformation avant les élections", "pre-election disinformation campaign"),
            ("approche d'élus par un think tank", "think-tank outreach to elected officials"),
            ("financement opaque d'associations", "opaque funding of associations"),
        ],
    ),
    "cyber": (
        "cyber",
        "cyber",
        [
            ("campagne de rançongiciel visant des hôpitaux", "ransomware campaign targeting hospitals"),
            ("hameçonnage ciblant des ministères", "spear-phishing against ministries"),
            ("compromission d'un prestataire informatique", "supply-chain compromise of an IT provider"),
        ],
    ),
    "counter-intelligence": (
        "contre-espionnage",
        "counter-intelligence",
        [
            ("officiers de renseignement sous couverture diplomatique", "intelligence officers under diplomatic cover"),
            (
                "approches de chercheurs via un réseau professionnel",
                "approaches to researchers online",
            ),
            ("tentative de recrutement chez un industriel de défense", "recruitment attempt at a defence contractor"),
        ],
    ),
    "organised-crime": (
        "criminalité organisée",
        "organised crime",
        [
            ("filière de cocaïne par conteneurs", "container cocaine trafficking route"),
            ("blanchiment par des sociétés de façade", "money laundering through shell companies"),
            ("réseau de passeurs", "people-smuggling network"),
        ],
    ),
}

# kind -> language -> [(title, place, abroad)]; abroad: the exchange happens in the partner's time zone
TITLES: dict[str, dict[str, list[tuple[str, str, bool]]]] = {
    ExchangeKind.MEETING: {
        "fr": [
            ("Réunion bilatérale trimestrielle — {theme}", "{city}, siège du partenaire", True),
            ("Réunion d'experts avec {acronym} — {topic}", "Paris, siège du service", False),
        ],
        "en": [
            ("Quarterly bilateral meeting — {theme}", "{city}, partner headquarters", True),
            ("Expert meeting with {acronym} on {topic}", "Paris, headquarters", False),
        ],
    },
    ExchangeKind.CALL: {
        "fr": [
            ("Appel sécurisé — {topic}", "Ligne sécurisée", False),
            ("Point mensuel avec {acronym} — {theme}", "Ligne sécurisée", True),
        ],
        "en": [
            ("Secure call on {topic}", "Secure line", False),
            ("Monthly secure call with {acronym} — {theme}", "Secure line", True),
        ],
    },
    ExchangeKind.SECURE_MESSAGE: {
        "fr": [
            ("Message sécurisé de {acronym} — {topic}", "Messagerie chiffrée", True),
            ("Demande d'information de {acronym} — {topic}", "Messagerie chiffrée", False),
        ],
        "en": [
            ("Secure message from {acronym} on {topic}", "Encrypted messaging", True),
            ("Request for information from {acronym} — {topic}", "Encrypted messaging", False),
        ],
    },
    ExchangeKind.VISIT: {
        "fr": [
            ("Visite de la délégation {acronym} à Paris — {theme}", "Paris, salle de conférence B", False),
            ("Déplacement ({city}) — consultations {theme}", "{city}", True),
        ],
        "en": [
            ("{acronym} delegation visit to Paris — {theme}", "Paris, conference room B", False),
            ("Trip to {city} — {theme} consultations", "{city}", True),
        ],
    },
    ExchangeKind.RECEPTION: {
        "fr": [
            ("Réception à l'ambassade de France ({city})", "Ambassade de France, {city}", True),
            ("Déjeuner de travail avec le chef de poste {acronym}", "Paris, restaurant du service", False),
        ],
        "en": [
            ("Embassy reception in {city}", "French Embassy, {city}", True),
            ("Working lunch with the {acronym} head of station", "Paris, staff restaurant", False),
        ],
    },
}
KIND_LABELS = {
    ExchangeKind.MEETING: ("Réunion", "Meeting"),
    ExchangeKind.CALL: ("Appel sécurisé", "Secure call"),
    ExchangeKind.SECURE_MESSAGE: ("Message sécurisé", "Secure message"),
    ExchangeKind.VISIT: ("Visite", "Visit"),
    ExchangeKind.RECEPTION: ("Réception", "Reception"),
}
AGENDA = {
    "fr": "Ordre du jour : point de situation {theme}, suites de la dernière rencontre, questions diverses.",
    "en": "Agenda: {theme} situation update, follow-up of the last meeting, any other business.",
}

# theme -> direction -> language -> [(title, text)]; placeholders are filled with fictitious values
ITEMS: dict[str, dict[str, dict[str, list[tuple[str, str]]]]] = {
    "terrorism": {
        "received": {
            "fr": [
                (
                    "Individu de retour de zone signalé à {city}",
                    "Le partenaire signale qu'un ressortissant ayant séjourné en zone irako-syrienne serait revenu à "
                    "{city} début du mois. Il utiliserait la ligne {phone} et l'adresse {email}. Aucun élément ne le "
                    "relie à ce stade à un projet d'action.",
                ),
                (
                    "Cagnotte en ligne au profit d'une cellule",
                    "Une cagnotte hébergée sur {domain} aurait collecté environ {n} 000 euros en trois semaines. Les "
                    "fonds seraient reversés sur le compte {iban}. Le partenaire demande si ce compte est connu.",
                ),
            ],
            "en": [
                (
                    "Returnee reported in {city}",
                    "The partner reports that a national who spent time in the Iraqi-Syrian zone is believed to have "
                    "returned to {city} early this month. He reportedly uses {phone} and {email}. Nothing so far "
                    "links him to an attack plan.",
                ),
                (
                    "Propaganda channel administrators identified",
                    "The partner has identified two administrators of a propaganda channel relayed through {domain}. "
                    "One of them connects from {ip}. Subscriber data will follow after legal review.",
                ),
            ],
        },
        "provided": {
            "fr": [
                (
                    "Éléments sur un contact commun",
                    "Nous avons indiqué que l'adresse {email} apparaît dans une enquête en cours et que le numéro "
                    "{phone} n'est pas connu de nos services.",
                )
            ],
            "en": [
                (
                    "Travel pattern of a person of interest",
                    "We shared that the person travelled twice to {city} last quarter and that {phone} is not known "
                    "to us.",
                )
            ],
        },
    },
    "proliferation": {
        "received": {
            "fr": [
                (
                    "Commande de machines-outils à double usage",
                    "Une société de négoce basée à {city} aurait commandé {n} tours à commande numérique pour un "
                    "utilisateur final non déclaré. Contact commercial : {email}. Paiement prévu sur le compte {iban}.",
                ),
                (
                    "Navire suspecté de transbordement",
                    "Le partenaire signale un transbordement nocturne au large de ses côtes ; l'armateur utilise le "
                    "domaine {domain} et le numéro {phone}.",
                ),
            ],
            "en": [
                (
                    "Dual-use procurement attempt",
                    "A trading company in {city} reportedly tried to buy {n} high-precision pressure transducers for "
                    "an undeclared end user. Sales contact: {email}; payment was to go to {iban}.",
                ),
                (
                    "Front company website",
                    "The partner assesses that {domain}, hosted at {ip}, is the website of a front company used to "
                    "re-export controlled goods.",
                ),
            ],
        },
        "provided": {
            "fr": [
                (
                    "Refus de licences d'exportation",
                    "Nous avons confirmé que la société liée à {email} s'est vu refuser deux licences d'exportation "
                    "l'an dernier.",
                )
            ],
            "en": [
                (
                    "Export licence refusals",
                    "We confirmed that the company behind {domain} was refused two export licences last year.",
                )
            ],
        },
    },
    "interference": {
        "received": {
            "fr": [
                (
                    "Faux comptes avant le scrutin",
                    "Le partenaire a relevé un réseau d'environ {n}0 faux comptes relayant des contenus visant des "
                    "candidats ; les contenus renvoient vers {domain}, hébergé à {ip}.",
                ),
                (
                    "Approche d'élus locaux",
                    "Un think tank établi à {city} aurait invité plusieurs élus à un voyage tous frais payés ; "
                    "l'invitation provient de {email}.",
                ),
            ],
            "en": [
                (
                    "Inauthentic accounts ahead of the election",
                    "The partner found a network of about {n}0 inauthentic accounts amplifying content about "
                    "candidates; the content links to {domain}, hosted at {ip}.",
                ),
                (
                    "Funding of a cultural association",
                    "An association in {city} reportedly received transfers from abroad on the account {iban}; its "
                    "treasurer can be reached at {email}.",
                ),
            ],
        },
        "provided": {
            "fr": [
                (
                    "Domaines de désinformation identifiés",
                    "Nous avons communiqué les domaines que nous attribuons au même réseau, dont {domain}, ainsi que "
                    "l'adresse d'hébergement {ip}.",
                )
            ],
            "en": [
                (
                    "Indicators of a disinformation network",
                    "We shared domains we attribute to the same network, including {domain} (resolving to {ip}).",
                )
            ],
        },
    },
    "cyber": {
        "received": {
            "fr": [
                (
                    "Rançongiciel visant des établissements de santé",
                    "Le partenaire observe une campagne de rançongiciel contre des hôpitaux ; l'accès initial passe "
                    "par un VPN non corrigé. Serveur de commande : {ip} ; domaine de dépôt : {domain}.",
                ),
                (
                    "Hameçonnage ciblant un ministère",
                    "Des courriels piégés envoyés depuis {email} imitent une convocation officielle ; la charge utile "
                    "est téléchargée depuis {domain}.",
                ),
            ],
            "en": [
                (
                    "Ransomware campaign against hospitals",
                    "The partner sees a ransomware campaign against hospitals; initial access is through an unpatched "
                    "VPN appliance. C2 server: {ip}; staging domain: {domain}.",
                ),
                (
                    "Supply-chain compromise",
                    "An IT service provider in {city} was compromised; the attackers used {ip} and registered "
                    "{domain} to impersonate its update server.",
                ),
            ],
        },
        "provided": {
            "fr": [
                (
                    "Indicateurs techniques partagés",
                    "Nous avons transmis des indicateurs observés sur les réseaux nationaux : {ip}, {domain}, ainsi "
                    "que l'adresse d'expédition {email}.",
                )
            ],
            "en": [
                (
                    "Indicators shared with the partner",
                    "We shared indicators seen on national networks: {ip}, {domain} and the sender address {email}.",
                )
            ],
        },
    },
    "counter-intelligence": {
        "received": {
            "fr": [
                (
                    "Officier traitant sous couverture diplomatique",
                    "Le partenaire identifie un diplomate en poste à {city} comme officier de renseignement ; il "
                    "contacte des chercheurs depuis {email} et le numéro {phone}.",
                ),
                (
                    "Approche via un réseau professionnel",
                    "Plusieurs ingénieurs ont été approchés par un faux recruteur ; le profil renvoie vers {domain}, "
                    "enregistré le mois dernier.",
                ),
            ],
            "en": [
                (
                    "Intelligence officer under diplomatic cover",
                    "The partner identifies a diplomat posted in {city} as an intelligence officer; he contacts "
                    "researchers from {email} and {phone}.",
                ),
                (
                    "Fake recruiter approaches",
                    "Several engineers were approached by a fake recruiter on a professional network; the profile "
                    "links to {domain}, registered last month.",
                ),
            ],
        },
        "provided": {
            "fr": [
                (
                    "Réponse à une demande de vérification",
                    "Nous avons indiqué que la personne utilisant le {phone} n'est pas connue de nos services.",
                )
            ],
            "en": [
                (
                    "Answer to a trace request",
                    "We answered that the person using {email} is not known to our service.",
                )
            ],
        },
    },
    "organised-crime": {
        "received": {
            "fr": [
                (
                    "Conteneurs suspects à destination de l'Europe",
                    "Le partenaire signale {n} conteneurs de fruits susceptibles de dissimuler de la cocaïne, à "
                    "destination d'un port européen ; l'importateur utilise l'adresse {email}.",
                ),
                (
                    "Blanchiment par sociétés de façade",
                    "Des sociétés de façade établies à {city} feraient transiter les fonds par le compte {iban} ; "
                    "numéro de contact : {phone}.",
                ),
            ],
            "en": [
                (
                    "Suspicious containers bound for Europe",
                    "The partner reports {n} containers of fruit that may conceal cocaine, bound for a European port; "
                    "the importer uses {email}.",
                ),
                (
                    "Shell company laundering",
                    "Shell companies registered in {city} reportedly move funds through the account {iban}; the "
                    "contact number is {phone}.",
                ),
            ],
        },
        "provided": {
            "fr": [
                (
                    "Éléments sur un importateur",
                    "Nous avons indiqué que l'importateur joignable au {phone} est connu pour des faits similaires.",
                )
            ],
            "en": [
                (
                    "Information on an importer",
                    "We shared that the importer reachable on {phone} is known for similar facts.",
                )
            ],
        },
    },
}
ITEM_UPDATES = {
    "fr": " Mise à jour : le partenaire a confirmé ces éléments par un second canal.",
    "en": " Update: the partner confirmed this through a second channel.",
}

ASSESSMENTS = {
    "fr": [
        "Informations cohérentes avec nos propres éléments ; le partenaire se montre coopératif.",
        "Éléments partiels, à recouper avant toute exploitation.",
        "Le partenaire semble disposer d'une source bien placée ; prudence sur l'interprétation.",
    ],
    "en": [
        "Consistent with our own reporting; the partner was forthcoming.",
        "Partial information, to be corroborated before any use.",
        "The partner appears to have a well-placed source; caution is needed on the interpretation.",
    ],
}
FOLLOWUPS = {
    "fr": [
        "Diffuser à la direction compétente et solliciter un retour sous quinze jours.",
        "Demander au partenaire les données techniques complètes.",
        "Prévoir un point de suivi lors de la prochaine réunion bilatérale.",
    ],
    "en": [
        "Disseminate to the relevant directorate and ask for feedback within a fortnight.",
        "Ask the partner for the full technical data.",
        "Schedule a follow-up at the next bilateral meeting.",
    ],
}
RETURN_COMMENTS = [
    "Merci de distinguer plus nettement les faits rapportés de notre analyse.",
    "Préciser l'évaluation de la source et les restrictions d'emploi posées par le partenaire.",
    "Please tighten the assessment and state the partner's handling restrictions.",
    "Please add the proposed follow-ups and who owns them.",
]
REVISIONS = {
    "fr": " Faits et analyse distingués à la demande du chef de bureau.",
    "en": " Facts and analysis separated as requested by the desk head.",
}
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _date_text(moment: datetime, time_zone: str, lang: str) -> str:
    local = moment.astimezone(ZoneInfo(time_zone))
    if lang == "fr":
        return f"{local.day:02d}/{local.month:02d}/{local.year} à {local.hour:02d} h {local.minute:02d}"
    return f"{local.day} {MONTHS_EN[local.month - 1]} {local.year} at {local.hour:02d}:{local.minute:02d}"


def _fake_values(rng: random.Random) -> dict[str, str]:
    """Fictitious identifiers: RFC 2606 domains, RFC 5737 addresses, reserved phone numbers, invalid IBANs."""
    tld = rng.choice(["org", "net", "com"])
    return {
        "phone": f"+33 6 00 00 00 {rng.randint(10, 99)}",
        "email": f"{rng.choice(['contact', 'j.doe', 'admin', 'm.leroy', 'finance', 'support'])}@example.{tld}",
        "domain": f"{rng.choice(['update-check', 'cdn-static', 'secure-login', 'docs-share', 'vpn-portal'])}"
        f".example.{rng.choice(['org', 'net', 'com'])}",
        "ip": f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{rng.randint(2, 254)}",
        # check digits 00 are never valid: an IBAN-like string that no bank account can have
        "iban": f"FR00 0000 0000 0000 0000 0000 {rng.randint(100, 999)}",
        "n": str(rng.randint(2, 40)),
    }


@dataclass
class _Office:
    rng: random.Random
    services: dict[str, Service]
    users: list[User]
    compartments: dict[str, set[str]] = field(default_factory=dict)  # username -> compartment codes held
    agreement_themes: dict[str, set[str]] = field(default_factory=dict)  # partner pk -> themes in force
    contacts: dict[str, list[str]] = field(default_factory=dict)  # partner pk -> contact names

    def __post_init__(self) -> None:
        for user in self.users:
            self.compartments[user.username] = {c.code for c in user.compartments.all()}

    def members(self, code: str) -> list[User]:
        return sorted((u for u in self.users if u.service_id == self.services[code].pk), key=lambda u: u.username)

    @property
    def desk_heads(self) -> list[User]:
        return [u for u in self.members("bci") if u.has_role(RoleCode.DESK_HEAD)]


@dataclass
class _Context:
    """What one exchange is about, reused by its items and report."""

    lang: str
    theme: str
    topic: str
    partner: Partner
    officer: User
    city: str


def _routing_rules(services: dict[str, Service]) -> None:
    compartments = {c.code: c for c in Compartment.objects.all()}
    for theme, code in ROUTING:
        RoutingRule.objects.get_or_create(compartment=compartments[theme], zone=None, service=services[code])


def _agreements(office: _Office, partners: list[tuple[Partner, list[User]]]) -> None:
    """Cooperation agreements for most partners (a few only expired ones) and one or two contacts each."""
    rng = office.rng
    compartments = {c.code: c for c in Compartment.objects.all()}
    levels = {code: _level(code) for code in ("dr", "s")}
    today = timezone.localdate()
    for partner, officers in partners:
        author = officers[0] if officers else office.desk_heads[0]
        partner_themes = sorted(c.code for c in partner.compartments.all())
        roll = rng.random()
        periods: list[tuple[date, date | None]] = []
        if roll < 0.8:  # in force
            start = today - timedelta(days=rng.randint(60, 1500))
            end = rng.choice([None, today + timedelta(days=rng.randint(30, 1200))])
            periods.append((start, end))
        if 0.65 <= roll < 0.9:  # expired (renewed since, or not: then the partner has none in force)
            ended = today - timedelta(days=rng.randint(5, 400))
            periods.append((ended - timedelta(days=rng.randint(365, 1500)), ended))
        for start, end in periods:
            others = [t for t in ALL if t not in partner_themes]
            themes = {*partner_themes, *rng.sample(others, k=max(0, rng.randint(1, 3) - len(partner_themes)))}
            secret = bool(partner_themes) or rng.random() < 0.5
            french = rng.random() < 0.5
            agreement = agreement_create(
                by=author,
                partner=partner,
                themes=[compartments[t] for t in sorted(themes)],
                title=(
                    f"Accord de coopération avec {partner.acronym} ({start.year})"
                    if french
                    else f"Memorandum of understanding with {partner.acronym} ({start.year})"
                ),
                max_classification=levels["s" if secret else "dr"],
                onward_dissemination=rng.random() < 0.3,
                valid_from=start,
                valid_until=end,
                notes="Renouvellement à préparer six mois avant l'échéance." if french else "",
            )
            if agreement.is_valid_on(today):
                office.agreement_themes.setdefault(str(partner.pk), set()).update(themes)
        names = rng.sample(CONTACT_NAMES[partner.zone.code], k=rng.randint(1, 2))
        for name in names:
            contact_create(
                by=author,
                partner=partner,
                name=name,
                position=rng.choice(CONTACT_POSITIONS),
                channel=rng.choice(
                    [
                        f"+33 6 00 00 00 {rng.randint(10, 99)}",
                        f"{name.split()[0].lower()}.liaison@example.org",
                        "Messagerie sécurisée / secure messaging",
                    ]
                ),
            )
            office.contacts.setdefault(str(partner.pk), []).append(name)


def _covered(office: _Office, partners: list[tuple[Partner, list[User]]]) -> list[tuple[Partner, list[User]]]:
    """Partners with the officers in charge who can record exchanges with them (they hold some compartment and
    may read the partner file)."""
    covered = []
    for partner, officers in partners:
        able = [
            officer
            for officer in officers
            if officer.has_role(RoleCode.LIAISON_OFFICER)
            and office.compartments[officer.username]
            and can_read(officer, partner)
        ]
        if able:
            covered.append((partner, able))
    return covered


def _exchange(office: _Office, index: int, partner: Partner, officer: User, days: int) -> tuple[Exchange, _Context]:
    """One exchange `days` from today (negative: in the past), in French and English alternately."""
    rng = office.rng
    lang = "fr" if index % 2 == 0 else "en"
    held = office.compartments[officer.username]
    partner_themes = {c.code for c in partner.compartments.all()}
    agreed = office.agreement_themes.get(str(partner.pk), set()) & held
    theme = rng.choice(sorted(partner_themes & held or agreed or held))
    label_fr, label_en, topics = THEMES[theme]
    topic_fr, topic_en = rng.choice(topics)
    kind = rng.choices(list(ExchangeKind), weights=[4, 3, 3, 2, 1])[0]
    title, place, abroad = rng.choice(TITLES[kind][lang])
    city_fr, city_en, partner_tz = COUNTRY_PLACES[partner.country]
    city = city_fr if lang == "fr" else city_en
    values = {
        "theme": label_fr if lang == "fr" else label_en,
        "topic": topic_fr if lang == "fr" else topic_en,
        "acronym": partner.acronym,
        "city": city,
    }
    assert officer.clearance is not None
    rank = 3 if partner_themes or rng.random() < 0.5 else 1
    rank = min(rank, officer.clearance.rank)
    time_zone = partner_tz if abroad and rng.random() < 0.8 else HOME_TZ
    hour, minute = rng.randint(8, 17), rng.choice([0, 15, 30, 45])
    zone_info = ZoneInfo(time_zone)
    day = timezone.localtime(timezone.now(), zone_info).date() + timedelta(days=days)
    occurred_at = datetime.combine(day, time(hour, minute), tzinfo=zone_info)
    participants = [
        head
        for head in office.desk_heads
        if partner.zone in head.zones.all() and theme in office.compartments[head.username]
    ]
    exchange = exchange_create(
        by=officer,
        kind=kind,
        title=title.format(**values)[:200],
        occurred_at=occurred_at,
        time_zone=time_zone,
        place=place.format(**values),
        partners=[partner],
        participants=participants if rng.random() < 0.3 else [],
        zones=[partner.zone],
        notes=AGENDA[lang].format(**values) if days > 0 else "",
        marking=Marking(rank=rank, compartments=frozenset({theme})),
    )
    return exchange, _Context(lang, theme, values["topic"], partner, officer, city)


def _items(office: _Office, exchange: Exchange, ctx: _Context) -> list[InformationItem]:
    """One to three items received from the partner or provided by the office; a few edited once."""
    rng = office.rng
    items = []
    marking = exchange.marking()
    for position in range(rng.choice([1, 2, 2, 3])):
        received = position == 0 or rng.random() < 0.6
        direction = ItemDirection.RECEIVED if received else ItemDirection.PROVIDED
        title, text = rng.choice(ITEMS[ctx.theme][direction][ctx.lang])
        values = {**_fake_values(rng), "city": ctx.city}
        tlp = None
        if ctx.theme == "cyber":
            tlp = rng.choice([TLP.AMBER, TLP.AMBER, TLP.GREEN, None])
        item_marking = Marking(rank=marking.rank, compartments=marking.compartments, tlp=tlp)
        data = ItemInput(
            direction=direction,
            originator_kind=OriginatorKind.PARTNER if received else OriginatorKind.SERVICE,
            originator_partner=ctx.partner if received else None,
            originator_service=None if received else office.services["bci"],
            title=title.format(**values),
            text=text.format(**values),
            source_reliability=rng.choice("ABBCCF") if received else rng.choice("AB"),
            information_credibility=rng.choice("122336") if received else rng.choice("12"),
            marking=item_marking,
            zones=[ctx.partner.zone],
        )
        item = item_create(by=ctx.officer, exchange=exchange, data=data)
        if tlp and received and rng.random() < 0.5:
            rows = f"type,value\nipv4,{values['ip']}\ndomain,{values['domain']}\nemail,{values['email']}\n"
            name = "indicateurs.csv" if ctx.lang == "fr" else "indicators.csv"
            attachment_add(by=ctx.officer, item=item, filename=name, data=rows.encode())
        if rng.random() < 0.15:
            data.text += ITEM_UPDATES[ctx.lang]
            data.information_credibility = "2" if data.information_credibility != "2" else "1"
            item = item_update(by=ctx.officer, item=item, data=data)
        items.append(item)
    return items


def _sections(office: _Office, exchange: Exchange, ctx: _Context, items: list[InformationItem]) -> dict[str, str]:
    rng = office.rng
    fr = ctx.lang == "fr"
    kind_fr, kind_en = KIND_LABELS[ExchangeKind(exchange.kind)]
    when = _date_text(exchange.occurred_at, exchange.time_zone, ctx.lang)
    contacts = ", ".join(office.contacts.get(str(ctx.partner.pk), [])) or "—"
    ours = ", ".join(sorted(p.alias for p in exchange.participants.all()))

    def listing(direction: str) -> str:
        lines = [f"- {i.title} ({i.evaluation})" for i in items if i.direction == direction]
        return "\n".join(lines) or ("Néant." if fr else "Nothing.")

    if fr:
        context = f"{kind_fr} du {when} ({exchange.place}) avec {ctx.partner.name}. Suivi du dossier : {ctx.topic}."
        participants = f"Service : {ours}. Partenaire : {contacts}."
    else:
        context = f"{kind_en} on {when} ({exchange.place}) with {ctx.partner.name}. Follow-up on: {ctx.topic}."
        participants = f"Office: {ours}. Partner: {contacts}."
    return {
        "context": context,
        "participants_notes": participants,
        "information_received": listing(ItemDirection.RECEIVED),
        "information_provided": listing(ItemDirection.PROVIDED),
        "assessment": rng.choice(ASSESSMENTS[ctx.lang]),
        "proposed_followups": rng.choice(FOLLOWUPS[ctx.lang]),
    }


def _reviewer(office: _Office, report: Report) -> User | None:
    heads = [h for h in office.desk_heads if h.pk != report.created_by_id and can_read(h, report)]
    return office.rng.choice(heads) if heads else None


def _report(office: _Office, exchange: Exchange, ctx: _Context, items: list[InformationItem], status: str) -> Report:
    """A report on a past exchange, taken through the workflow up to `status` (or as far as the rules allow)."""
    rng = office.rng
    author = ctx.officer
    title = ("Compte rendu — " if ctx.lang == "fr" else "Report — ") + exchange.title
    report = report_create(by=author, exchange=exchange, title=title[:200])
    sections = _sections(office, exchange, ctx, items)
    quoted = rng.sample(items, k=min(len(items), rng.choice([1, 2])))
    quotes = [Quote(item, item.text.split(". ")[0].rstrip(".") + ".") for item in quoted]
    if status == ReportStatus.DRAFT and rng.random() < 0.5:
        sections = {"context": sections["context"]}  # a draft still being written
    report = report_update(by=author, report=report, title=report.title, sections=sections, quotes=quotes)
    if status == ReportStatus.DRAFT:
        return report
    report_submit(by=author, report=report)
    if status == ReportStatus.SUBMITTED:
        return report
    reviewer = _reviewer(office, report)
    if reviewer is None:
        return report
    if status == ReportStatus.RETURNED or rng.random() < 0.3:
        report_return(by=reviewer, report=report, comment=rng.choice(RETURN_COMMENTS))
        if status == ReportStatus.RETURNED:
            return report
        sections["assessment"] += REVISIONS[ctx.lang]
        report = report_update(by=author, report=report, title=report.title, sections=sections, quotes=quotes)
        report_submit(by=author, report=report)
    report = report_approve(by=reviewer, report=report)
    if status == ReportStatus.APPROVED:
        return report
    services = [s for s in route_suggestions(report) if recipient_decision(report, s).allowed]
    if not services:
        return report
    report = report_disseminate(by=reviewer, report=report, services=services)
    for recipient in report.recipients.select_related("service").order_by("service__code"):
        if rng.random() < 0.6:
            readers = [u for u in office.members(recipient.service.code) if can_read(u, report)]
            if readers:
                report_acknowledge(by=rng.choice(readers), report=report)
    return report


def _activity(office: _Office, partners: list[tuple[Partner, list[User]]], large: bool) -> dict[str, int]:
    """Past exchanges with their items and reports, and the agenda of the coming three weeks."""
    rng = office.rng
    covered = _covered(office, partners)
    if not covered:
        return {"exchanges": 0, "items": 0, "reports": 0}
    past_count = 3 * len(covered) if large else 40
    upcoming_count = max(8, len(covered) // 4) if large else 8
    order = list(covered)
    rng.shuffle(order)
    past = []
    for index in range(past_count):
        partner, officers = order[index % len(order)]
        past.append((partner, rng.choice(officers), -rng.randint(1, 120)))
    past.sort(key=lambda row: row[2])  # oldest first: they are the furthest along the workflow
    active = [row for row in covered if row[0].status == PartnerStatus.ACTIVE] or covered
    upcoming = []
    for _n in range(upcoming_count):
        partner, officers = rng.choice(active)
        upcoming.append((partner, rng.choice(officers), rng.randint(1, 21)))
    counts = {"exchanges": 0, "items": 0, "reports": 0}
    done = []
    for index, (partner, officer, days) in enumerate(past):
        exchange, ctx = _exchange(office, index, partner, officer, days)
        items = _items(office, exchange, ctx)
        counts["exchanges"] += 1
        counts["items"] += len(items)
        if rng.random() < 0.85:
            done.append((exchange, ctx, items))
    for index, (partner, officer, days) in enumerate(upcoming):
        _exchange(office, past_count + index, partner, officer, days)
        counts["exchanges"] += 1
    # Every state occurs; older exchanges are further along (a noisy order, not a strict one).
    stages = [ReportStatus.DISSEMINATED, ReportStatus.APPROVED, ReportStatus.RETURNED, ReportStatus.SUBMITTED]
    plan = [*stages, ReportStatus.DRAFT]
    plan += rng.choices([*stages, ReportStatus.DRAFT], weights=[6, 2, 2, 3, 3], k=max(0, len(done) - len(plan)))
    order_of = {status: n for n, status in enumerate([*stages, ReportStatus.DRAFT])}
    plan = [s for _key, s in sorted((order_of[s] + rng.uniform(0, 2.5), s) for s in plan)][: len(done)]
    for (exchange, ctx, items), status in zip(done, plan, strict=True):
        _report(office, exchange, ctx, items, status)
        counts["reports"] += 1
    return counts


def load_demo(*, seed: int = 2026, size: str = "small") -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311 - reproducible fictitious data, not secrets
    extra_users, per_country = (0, 1) if size == "small" else (500, 40)
    with transaction.atomic():
        services = _services()
        users = _users(services, rng, extra_users)
        partners = _partners(services, users, rng, per_country)
        _routing_rules(services)
        office = _Office(rng, services, users)
        _agreements(office, partners)
        activity = _activity(office, partners, large=size != "small")
        releases = load_release_demo(rng=rng, users=users)
        load_home_demo(rng=rng, users=users, counts=activity)
        activity["items"] += releases.pop("items")
        activity |= releases
        activity["exchanges"] += load_agenda_demo(rng=rng, users=users)["exchanges"]
        activity |= load_followup_demo(rng=rng, users=users)
        activity |= load_notifications_demo()
        activity |= load_reviews_demo(users=users)
        activity |= load_breakglass_demo(users=users)
        activity |= load_passkeys_demo(rng=rng, users=users)
        activity |= load_alerts_demo(rng=rng, users=users)
        activity |= load_plan_demo(rng=rng, users=users)
        activity |= load_concerns_demo(users=users)
        activity |= load_advisories_demo(users=users)
        record(actor=None, event=AuditEvent.DEMO_DATA_LOADED, extra={"seed": seed, "size": size})
        activity |= load_ckpt_demo()
        # After the checkpoint, so that the audit chain's indicators read a recent verification; then the
        # committee's reports, which read what every other loader wrote (the indicators included).
        activity |= load_indicators_demo(rng=rng, users=users)
        activity |= load_committee_demo(users=users)
    return {"services": len(services), "users": len(users), "partners": len(partners), **activity}


def demo_loaded() -> bool:
    return User.objects.exists() or Partner.objects.exists()
