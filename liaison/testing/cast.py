"""The cast every test shares (healthchecks' BaseTestCase style): a small office whose members each stand for one
position of the access policy, and three partner files marked so that each member sees a different subset.

  alice  liaison officer, office (bci), SECRET, terrorism + cyber, zone europe
  bob    liaison officer, office (bci), DIFFUSION RESTREINTE, no compartment, zone africa
  carol  desk head, office, TRÈS SECRET, every compartment
  heidi  release authority, office, TRÈS SECRET, every compartment
  dave   recipient analyst, counter-terrorism (dct), SECRET, terrorism
  erin   auditor, audit (aud), SECRET
  grace  security officer, cybersecurity office (ssi), SECRET
  frank  administrator, IT (dsi), DIFFUSION RESTREINTE
  ivy    a staff member at a post abroad with no role here (she may raise a security concern), DR
  lou    a locked liaison officer with a second factor (for the unlock and reset pages)

  open_partner     DR, no compartment, shared with the office
  secret_partner   SECRET + terrorism, shared with the office
  prolif_partner   DR + proliferation, shared with the office

  exchange         alice's DR exchange with open_partner, shared with the office
  item             received from open_partner in that exchange, with one PDF attachment
  draft_report     alice's draft on the exchange (alice only)
  submitted_report alice's report waiting for review (alice, and carol as desk head of the office)
  sent_report      approved by carol, disseminated to counter-terrorism (alice, carol, dave)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from liaison.accounts.models import RoleCode, Service, User
from liaison.accounts.services import user_create
from liaison.exchanges.models import Attachment, Exchange, InformationItem
from liaison.exchanges.services import ItemInput, attachment_add, exchange_create, item_create
from liaison.partners.models import Agreement, Partner, PartnerKind, PartnerStatus
from liaison.partners.services import agreement_create, partner_create
from liaison.policy.markings import Marking
from liaison.policy.models import ClassificationLevel, Compartment, Zone
from liaison.reports.models import Report
from liaison.reports.services import (
    Quote,
    report_approve,
    report_create,
    report_disseminate,
    report_submit,
    report_update,
)

if TYPE_CHECKING:
    from liaison.followup.models import FollowUp

PASSWORD = "correct horse battery staple"
MEMBERS = ["alice", "bob", "carol", "heidi", "dave", "erin", "grace", "frank", "ivy"]


def level(code: str) -> ClassificationLevel:
    return ClassificationLevel.objects.get(scheme__is_national=True, code=code)


def compartment(code: str) -> Compartment:
    return Compartment.objects.get(code=code)


def service(code: str) -> Service:
    obj, _ = Service.objects.get_or_create(code=code, defaults={"name_fr": code.upper(), "name_en": code.upper()})
    return obj


@dataclass
class Cast:
    alice: User
    bob: User
    carol: User
    heidi: User
    dave: User
    erin: User
    grace: User
    frank: User
    ivy: User
    lou: User
    open_partner: Partner
    secret_partner: Partner
    prolif_partner: Partner
    exchange: Exchange
    item: InformationItem
    attachment: Attachment
    draft_report: Report
    submitted_report: Report
    sent_report: Report

    def member(self, name: str) -> User:
        user: User = getattr(self, name)
        return user


def make_user(
    username: str, roles: tuple[str, ...], service_code: str, clearance: str, compartments: tuple[str, ...] = ()
) -> User:
    return user_create(
        username=username,
        alias=username.upper(),
        password=PASSWORD,
        service=service(service_code),
        roles=roles,
        clearance=level(clearance),
        compartments=[compartment(c) for c in compartments],
        zones=[],
        civil_first_name=f"First-{username}",
        civil_last_name=f"Last-{username}",
        by=None,
    )


def make_partner(
    name: str, by: User, classification: str, compartments: tuple[str, ...] = (), shared: tuple[str, ...] = ("bci",)
) -> Partner:
    return partner_create(
        name=name,
        acronym=name[:3].upper(),
        country="BE",
        kind=PartnerKind.SECURITY,
        zone=Zone.objects.get(code="europe"),
        trust_level=3,
        status=PartnerStatus.ACTIVE,
        classification=level(classification),
        compartments=[compartment(c) for c in compartments],
        shared_with=[service(s) for s in shared],
        by=by,
    )


def make_cast() -> Cast:
    every = ("terrorism", "proliferation", "interference", "cyber", "counter-intelligence", "organised-crime")
    alice = make_user("alice", (RoleCode.LIAISON_OFFICER,), "bci", "s", ("terrorism", "cyber"))
    carol = make_user("carol", (RoleCode.DESK_HEAD,), "bci", "ts", every)
    lou = make_user("lou", (RoleCode.LIAISON_OFFICER,), "bci", "dr")
    lou.locked_until = timezone.now() + timedelta(minutes=10)
    lou.totp_confirmed_at = timezone.now()  # enrolled: the reset page has something to reset
    lou.save(update_fields=["locked_until", "totp_confirmed_at"])
    dave = make_user("dave", (RoleCode.RECIPIENT,), "dct", "s", ("terrorism",))
    open_partner = make_partner("Open partner", carol, "dr")
    exchange = make_exchange(alice, open_partner)
    item = make_item(alice, exchange)
    return Cast(
        alice=alice,
        bob=make_user("bob", (RoleCode.LIAISON_OFFICER,), "bci", "dr"),
        carol=carol,
        heidi=make_user("heidi", (RoleCode.RELEASE_AUTHORITY,), "bci", "ts", every),
        dave=dave,
        erin=make_user("erin", (RoleCode.AUDITOR,), "aud", "s"),
        grace=make_user("grace", (RoleCode.SECURITY_OFFICER,), "ssi", "s"),
        frank=make_user("frank", (RoleCode.ADMINISTRATOR,), "dsi", "dr"),
        ivy=make_user("ivy", (), "post", "dr"),
        lou=lou,
        open_partner=open_partner,
        secret_partner=make_partner("Secret partner", carol, "s", ("terrorism",)),
        prolif_partner=make_partner("Prolif partner", carol, "dr", ("proliferation",)),
        exchange=exchange,
        item=item,
        attachment=attachment_add(by=alice, item=item, filename="note.pdf", data=PDF_BYTES),
        draft_report=make_report(alice, exchange, item),
        submitted_report=report_submit(by=alice, report=make_report(alice, exchange, item)),
        sent_report=make_sent_report(alice, carol, exchange, item),
    )


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_agreement(
    by: User,
    partner: Partner,
    *,
    until: date | None = None,
    themes: tuple[str, ...] = ("terrorism",),
    top: str = "s",
) -> Agreement:
    """An agreement in force since 2020 (until `until`, inclusive): terrorism up to SECRET unless told otherwise."""
    return agreement_create(
        by=by,
        partner=partner,
        title=f"Arrangement {partner.name}",
        themes=[compartment(theme) for theme in themes],
        max_classification=level(top),
        onward_dissemination=False,
        valid_from=date(2020, 1, 1),
        valid_until=until,
    )


def make_exchange(by: User, partner: Partner, compartments: tuple[str, ...] = ()) -> Exchange:
    return exchange_create(
        by=by,
        kind="meeting",
        title="Quarterly meeting",
        occurred_at=datetime(2026, 11, 2, 10, 0),
        time_zone="Europe/Brussels",
        place="Brussels",
        partners=[partner],
        marking=Marking(rank=1, compartments=frozenset(compartments)),
    )


def make_item(by: User, exchange: Exchange, text: str = "Call +33 6 00 00 00 42 on courier routes.") -> InformationItem:
    partner = exchange.partners.first()
    return item_create(
        by=by,
        exchange=exchange,
        data=ItemInput(
            direction="received",
            originator_kind="partner",
            originator_partner=partner,
            title="Courier routes",
            text=text,
            source_reliability="B",
            information_credibility="2",
            marking=Marking(rank=1),
        ),
    )


def make_proliferation_item(cast: Cast) -> InformationItem:
    """Carol's item on a proliferation exchange: only those holding that compartment (carol, heidi) may read it."""
    return item_create(
        by=cast.carol,
        exchange=make_exchange(cast.carol, cast.prolif_partner, ("proliferation",)),
        data=ItemInput(
            direction="received",
            originator_kind="partner",
            originator_partner=cast.prolif_partner,
            title="Centrifuge parts",
            text="x",
            source_reliability="A",
            information_credibility="1",
            marking=Marking(rank=1, compartments=frozenset({"proliferation"})),
        ),
    )


def make_report(by: User, exchange: Exchange, item: InformationItem) -> Report:
    report = report_create(by=by, exchange=exchange)
    return report_update(
        by=by,
        report=report,
        title="CR — quarterly meeting",
        sections={"context": "Regular meeting.", "assessment": "Credible and consistent."},
        quotes=[Quote(item, "courier routes")],
    )


def make_sent_report(by: User, approver: User, exchange: Exchange, item: InformationItem) -> Report:
    report = report_submit(by=by, report=make_report(by, exchange, item))
    report = report_approve(by=approver, report=report)
    return report_disseminate(by=approver, report=report, services=[service("dct")])


def make_followup(
    owner: User,
    due_at: datetime,
    *,
    by: User | None = None,
    kind: str = "task",
    title: str = "Send the list",
    partner: Partner | None = None,
    exchange: Exchange | None = None,
    compartments: Iterable[str] = (),
    shared: tuple[str, ...] = (),
    requested_by: str = "",
    status: str = "open",
    created_at: datetime | None = None,
    assigned_at: datetime | None = None,
    acknowledged_at: datetime | None = None,
    estimate_at: datetime | None = None,
    closed_at: datetime | None = None,
) -> FollowUp:
    """A follow-up, marked DR with `compartments`, written directly at any stage of its life: the follow-up services
    stamp the present and rightly refuse a deadline already past, and tests need requests acknowledged and closed
    days ago, late, or slipping past their estimate."""
    from liaison.followup.models import FollowUp
    from liaison.policy.apply import apply_marking

    row = FollowUp.objects.create(
        kind=kind,
        title=title,
        owner=owner,
        due_at=due_at,
        partner=partner,
        exchange=exchange,
        created_by=by or owner,
        classification=level("dr"),
        status=status,
        requested_by_service=service(requested_by) if requested_by else None,
        acknowledged_at=acknowledged_at,
        estimate_at=estimate_at,
        closed_at=closed_at,
        **({"assigned_at": assigned_at} if assigned_at is not None else {}),
    )
    apply_marking(row, Marking(rank=1, compartments=frozenset(compartments)), level=level("dr"))
    row.shared_with_services.set([service(code) for code in shared])
    if created_at is not None:
        FollowUp.objects.filter(pk=row.pk).update(created_at=created_at)
        row.refresh_from_db()
    return row
