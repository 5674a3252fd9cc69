"""Reads behind the consent and tearline pages: consents and consent requests filtered as their lists offer, the
items an originator's answer may cover, what a tearline owes per source, and what a release owes to whom. Every
read starts from a selector that applies the read rule; partners a reader may not see are flagged, never named."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from liaison.accounts.models import Service, User
from liaison.exchanges.models import InformationItem
from liaison.exchanges.models import OriginatorKind as ItemOriginatorKind
from liaison.exchanges.selectors import item_list
from liaison.partners.models import Partner
from liaison.partners.selectors import partner_release_terms
from liaison.policy import release as rule
from liaison.policy.access import visible_to
from liaison.releases import services
from liaison.releases.models import Consent, ConsentRequest, ConsentRequestStatus, OriginatorKind, Release, Tearline
from liaison.releases.selectors import consent_list, consent_request_list

VALID, EXPIRED = "valid", "expired"
GRANTED, REFUSED = "granted", "refused"


def _partner_visible(user: User, field_name: str) -> Exists:
    return Exists(visible_to(Partner.objects.filter(pk=OuterRef(field_name)), user))


def visible_partner(user: User, pk: Any) -> Partner | None:
    """The partner of id `pk` if the user may see it; None for an unseen, unknown or malformed id."""
    try:
        key = uuid.UUID(str(pk))
    except ValueError:
        return None
    return visible_to(Partner.objects.filter(pk=key), user).first()


@dataclass(frozen=True)
class OriginatorChoice:
    """An originator as the pages name it: `value` is what a form sends back (`partner:<id>`, `service:<id>`,
    `open_source:`)."""

    kind: str
    partner: Partner | None = None
    service: Service | None = None

    @property
    def value(self) -> str:
        key = self.partner.pk if self.partner else self.service.pk if self.service else ""
        return f"{self.kind}:{key}"


def originator_choices(user: User) -> list[tuple[str, str]]:
    """Every originator a consent may come from: the partners the user sees, the internal services, open sources."""
    partners = [(f"partner:{p.pk}", str(p)) for p in visible_to(Partner.objects.order_by("name"), user)]
    services_ = [(f"service:{s.pk}", str(s)) for s in Service.objects.all()]
    return [
        *partners,
        *services_,
        (f"{OriginatorKind.OPEN_SOURCE}:", str(OriginatorKind.OPEN_SOURCE.label)),
    ]


def originator_parse(user: User, value: str) -> OriginatorChoice | None:
    """Read an originator sent by a form or a filter; None when it is malformed, unknown or a partner unseen."""
    kind, _sep, key = (value or "").partition(":")
    if kind == OriginatorKind.PARTNER:
        partner = visible_partner(user, key)
        return OriginatorChoice(kind, partner=partner) if partner else None
    if kind == OriginatorKind.SERVICE:
        service = Service.objects.filter(pk=key).first() if key.isdigit() else None
        return OriginatorChoice(kind, service=service) if service else None
    if kind == OriginatorKind.OPEN_SOURCE:
        return OriginatorChoice(kind)
    return None


def consent_search(
    *, user: User, originator: str = "", partner: str = "", verdict: str = "", validity: str = "", on: date
) -> QuerySet[Consent]:
    """Consents the user may read, filtered; each flagged with whether its originating and recipient partners may be
    named to the user. A filter naming something unknown or unseen finds nothing."""
    consents = consent_list(user=user).select_related("classification__scheme").prefetch_related("compartments")
    consents = consents.annotate(
        originator_visible=_partner_visible(user, "originator_partner_id"),
        partner_visible=_partner_visible(user, "partner_id"),
    )
    if originator:
        chosen = originator_parse(user, originator)
        if chosen is None:
            return consents.none()
        consents = consents.filter(originator_kind=chosen.kind)
        if chosen.partner is not None:
            consents = consents.filter(originator_partner=chosen.partner)
        if chosen.service is not None:
            consents = consents.filter(originator_service=chosen.service)
    if partner == "any":
        consents = consents.filter(partner__isnull=True)
    elif partner:
        recipient = visible_partner(user, partner)
        if recipient is None:
            return consents.none()
        consents = consents.filter(partner=recipient)
    if verdict in (GRANTED, REFUSED):
        consents = consents.filter(granted=verdict == GRANTED)
    if validity == VALID:
        consents = consents.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    elif validity == EXPIRED:
        consents = consents.filter(valid_until__lt=on)
    return consents


def consent_request_search(
    *, user: User, status: str = "", overdue: bool = False, on: date
) -> QuerySet[ConsentRequest]:
    """Consent requests the user may read, by status; `overdue`: still open past the expected answer date."""
    if status not in ConsentRequestStatus.values:
        status = ""
    requests = consent_request_list(user=user, status=status).select_related("classification__scheme")
    requests = requests.prefetch_related("compartments")
    requests = requests.annotate(
        originator_visible=_partner_visible(user, "originator_partner_id"),
        partner_visible=_partner_visible(user, "partner_id"),
        release_visible=Exists(visible_to(Release.objects.filter(pk=OuterRef("release_id")), user)),
    )
    if overdue:
        requests = requests.filter(status=ConsentRequestStatus.OPEN, answer_due__lt=on)
    return requests


def readable_items(user: User, objects: Any) -> list[InformationItem]:
    """The items of a relation (a consent's, a request's, a tearline's) the user may read."""
    return list(
        visible_to(objects.all(), user).select_related("classification", "exchange").order_by("exchange", "title")
    )


def originator_items(*, user: User, chosen: OriginatorChoice) -> QuerySet[InformationItem]:
    """The items a consent of this originator may cover, among those the user may read: its own, and (for a
    partner) those carrying its originator control."""
    items = item_list(user=user)
    if chosen.partner is not None:
        items = items.filter(Q(originator_partner=chosen.partner) | Q(originators=chosen.partner))
    elif chosen.service is not None:
        items = items.filter(originator_kind=ItemOriginatorKind.SERVICE, originator_service=chosen.service)
    else:
        items = items.filter(originator_kind=ItemOriginatorKind.OPEN_SOURCE)
    return items.distinct().order_by("-created_at")


def item_choices(*, user: User, query: str = "", chosen: list[str] | None = None, limit: int = 100) -> list[Any]:
    """Items the user may read, to choose a tearline's sources from: those already chosen, then the most recent
    matching `query` (title) up to `limit`."""
    items = item_list(user=user).order_by("-created_at")
    picked = list(items.filter(pk__in=chosen or []))
    if query:
        items = items.filter(title__icontains=query)
    offered = list(items.exclude(pk__in=[i.pk for i in picked])[:limit])
    return [*picked, *offered]


# ---------------------------------------------------------------- what is owed to whom


@dataclass
class Owed:
    """One originator a consent is owed to, why (ORCON, H2, TLP:AMBER), and the items concerned that the user may
    read."""

    originator: rule.Originator
    label: str
    reasons: list[str] = field(default_factory=list)
    items: list[InformationItem] = field(default_factory=list)

    @property
    def value(self) -> str:
        return f"{self.originator.kind}:{self.originator.id}"


def _label(user: User, originator: rule.Originator, partners: dict[str, Partner]) -> str:
    if originator.kind == rule.PARTNER:
        partner = partners.get(originator.id)
        return str(partner) if partner else _("a partner service you may not see")
    if originator.kind == rule.SERVICE:
        service = Service.objects.filter(code=originator.id).first()
        return str(service) if service else originator.id
    return str(OriginatorKind.OPEN_SOURCE.label)


def _owed(user: User, items: list[InformationItem], recipient: rule.Recipient) -> list[Owed]:
    readable = {str(item.pk) for item in visible_to(InformationItem.objects.filter(pk__in=[i.pk for i in items]), user)}
    table: dict[rule.Originator, Owed] = {}
    for item in items:
        for originator, reasons in rule.obligations(services.released_item(item), recipient).items():
            owed = table.setdefault(originator, Owed(originator, ""))
            owed.reasons += [reason for reason in reasons if reason not in owed.reasons]
            if str(item.pk) in readable:
                owed.items.append(item)
    ids = [o.id for o in table if o.kind == rule.PARTNER]
    partners = {str(p.pk): p for p in visible_to(Partner.objects.filter(pk__in=ids), user)}
    for originator, owed in table.items():
        owed.label = _label(user, originator, partners)
    return list(table.values())


def tearline_obligations(*, user: User, tearline: Tearline) -> list[tuple[InformationItem, list[Owed]]]:
    """Each source of the tearline the user may read, with what it owes to whom before it leaves (to any partner
    other than its originator). A downgrade changes none of it."""
    sources = readable_items(user, tearline.sources)
    nobody = rule.Recipient(id="", country="")
    return [(item, _owed(user, [item], nobody)) for item in sources]


def release_owed(*, user: User, release: Release, item: str = "") -> list[Owed]:
    """The originators a release owes a consent to, each with the release's items concerned; with `item`, only the
    originators that item owes (the refusal the request is opened from)."""
    items = list(release.tearline.sources.all()) if release.tearline else services.release_items(release)
    owed = _owed(user, items, partner_release_terms(release.partner))
    if item:
        owed = [o for o in owed if any(str(i.pk) == item for i in o.items)]
    return owed
