"""A believable, entirely fictitious office for demonstrations and benchmarks, built through the same services
as real data. Deterministic for a given seed."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from liaison.accounts.models import RoleCode, Service, User
from liaison.accounts.services import user_create
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.partners.models import Partner, PartnerKind, PartnerStatus
from liaison.partners.services import partner_create
from liaison.policy.models import ClassificationLevel, Compartment, Zone

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


def _partners(services: dict[str, Service], users: list[User], rng: random.Random, per_country: int) -> int:
    compartments = {c.code: c for c in Compartment.objects.all()}
    levels = {code: _level(code) for code in ("dr", "s")}
    count = 0
    for zone in Zone.objects.order_by("code"):
        officers = [u for u in users if u.has_role(RoleCode.LIAISON_OFFICER) and zone in u.zones.all()]
        for country in ZONE_COUNTRIES.get(zone.code, []):
            kinds = rng.sample(list(PartnerKind), k=min(per_country, len(PartnerKind)))
            for index in range(per_country):
                kind = kinds[index % len(kinds)]
                name, acronym = KIND_NAMES[kind]
                secret = kind == PartnerKind.INTELLIGENCE or rng.random() < 0.2
                themes = rng.sample(["terrorism", "proliferation", "interference", "cyber"], k=1) if secret else []
                partner_create(
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
                count += 1
    return count


def load_demo(*, seed: int = 2026, size: str = "small") -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311 - reproducible fictitious data, not secrets
    extra_users, per_country = (0, 1) if size == "small" else (500, 40)
    with transaction.atomic():
        services = _services()
        users = _users(services, rng, extra_users)
        partners = _partners(services, users, rng, per_country)
        record(actor=None, event=AuditEvent.DEMO_DATA_LOADED, extra={"seed": seed, "size": size})
    return {"services": len(services), "users": len(users), "partners": partners}


def demo_loaded() -> bool:
    return User.objects.exists() or Partner.objects.exists()
