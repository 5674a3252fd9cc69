"""Releases in the demo office: consents granted, refused and expired, consent requests open and answered, a
tearline with an approved downgrade and one waiting, and releases in every state, each chosen by asking the rule."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

from django.utils import timezone

from liaison.accounts.models import User
from liaison.exchanges.models import InformationItem, ItemDirection, OriginatorKind
from liaison.exchanges.services import ItemInput, item_create
from liaison.partners.models import Partner
from liaison.policy.access import can_read
from liaison.policy.classification import national_level_for_rank
from liaison.policy.markings import Marking
from liaison.releases import services
from liaison.releases.models import Release

JUSTIFICATIONS = {
    "fr": [
        "Le partenaire nous a interrogés sur ce dossier lors de la dernière réunion.",
        "Retour d'information attendu par le partenaire : il alimente son enquête en cours.",
        "Réciprocité : le partenaire nous a transmis des éléments utiles sur le même sujet.",
    ],
    "en": [
        "The partner asked about this case at our last meeting.",
        "Feedback the partner expects: it feeds its ongoing investigation.",
        "Reciprocity: the partner gave us useful material on the same subject.",
    ],
}


def _received(rng: random.Random) -> list[InformationItem]:
    items = list(
        InformationItem.objects.filter(direction=ItemDirection.RECEIVED, originator_kind=OriginatorKind.PARTNER)
        .select_related("originator_partner", "created_by", "classification", "exchange")
        .prefetch_related("compartments", "caveats", "originators")
        .order_by("exchange__occurred_at", "title", "text")
    )
    rng.shuffle(items)
    return items


def _justification(rng: random.Random, n: int) -> str:
    return rng.choice(JUSTIFICATIONS["fr" if n % 2 == 0 else "en"])


def _codes(item: InformationItem, partner: Partner, requester: User) -> set[str]:
    decision = services.check(partner=partner, requester=requester, items=[item])
    return {failure.code for failure in decision.failures}


def _own(items: list[InformationItem]) -> Iterator[InformationItem]:
    """Items their recorder may give back to the partner they came from (the rule passes as it stands)."""
    for item in items:
        partner = item.originator_partner
        if partner is not None and not _codes(item, partner, item.created_by):
            yield item


def _third_party(items: list[InformationItem], used: set[str]) -> Iterator[tuple[InformationItem, Partner]]:
    """(item, another partner) pairs whose only obstacle is the originator's consent."""
    for item in items:
        if str(item.pk) in used:
            continue
        others = Partner.objects.filter(zone=item.originator_partner.zone).exclude(pk=item.originator_partner_id)
        for partner in others.order_by("name"):
            if can_read(item.created_by, partner) and _codes(item, partner, item.created_by) == {"consent.missing"}:
                yield item, partner
                break


def _release(item: InformationItem, partner: Partner, rng: random.Random, n: int) -> Release:
    return services.release_create(
        by=item.created_by,
        partner=partner,
        justification=_justification(rng, n),
        content=services.Content(items=(item,)),
    )


def _consent(item: InformationItem, partner: Partner, *, granted: bool, days: int | None, ref: str, **extra: object):
    valid_until = None if days is None else timezone.localdate() + timedelta(days=days)
    return services.consent_record(
        by=item.created_by,
        originator_kind="partner",
        originator_partner=item.originator_partner,
        items=[item],
        partner=partner,
        granted=granted,
        valid_until=valid_until,
        reference=ref,
        **extra,  # type: ignore[arg-type]
    )


def load_release_demo(*, rng: random.Random, users: list[User]) -> dict[str, int]:
    by_login = {user.username: user for user in users}
    authority = by_login["release.authority"]
    items = _received(rng)
    counts = {"releases": 0, "consents": 0, "tearlines": 0}
    items_before = InformationItem.objects.count()
    own = _own(items)
    used: set[str] = set()

    def take_own() -> InformationItem | None:
        item = next(own, None)
        if item is not None:
            used.add(str(item.pk))
        return item

    # Given back to their originators: released, recalled (with and without receipt), waiting, refused, withdrawn.
    for n, fate in enumerate(
        ["released", "released", "recalled", "recalled_receipt", "submitted", "refused", "withdrawn", "draft"]
    ):
        item = take_own()
        if item is None:
            break
        release = _release(item, item.originator_partner, rng, n)
        counts["releases"] += 1
        requester = item.created_by
        if fate == "draft":
            continue
        if fate == "withdrawn":
            services.release_withdraw(by=requester, release=release)
            continue
        release = services.release_submit(by=requester, release=release)
        if fate == "submitted":
            continue
        if fate == "refused":
            services.release_refuse(
                by=authority, release=release, reason="Trop tôt : attendre la fin de l'enquête judiciaire."
            )
            continue
        release = services.release_approve(by=authority, release=release)
        if fate.startswith("recalled"):
            services.release_recall(
                by=authority,
                release=release,
                reason="Élément corrigé depuis : merci de détruire la version transmise. / Since corrected: please "
                "destroy the version given.",
            )
            if fate == "recalled_receipt":
                services.recall_receipt(
                    by=requester, release=release, received_at=timezone.now(), received_by="Duty officer / permanence"
                )

    # The third-party rule at work: consents granted (and used), refused, expired, asked for and still awaited.
    third = _third_party(items, used)
    for n, fate in enumerate(["granted", "refused", "expired", "awaited", "answered"]):
        pair = next(third, None)
        if pair is None:
            break
        item, partner = pair
        used.add(str(item.pk))
        release = _release(item, partner, rng, n)
        counts["releases"] += 1
        requester = item.created_by
        ref = f"MSG-{timezone.localdate().year}-{100 + n}"
        if fate == "granted":
            _consent(item, partner, granted=True, days=90, ref=ref)
            release = services.release_submit(by=requester, release=release)
            services.release_approve(by=authority, release=release)
        elif fate == "refused":
            _consent(item, partner, granted=False, days=None, ref=ref, note="Source still active. / Source active.")
        elif fate == "expired":
            _consent(item, partner, granted=True, days=-10, ref=ref)
        else:
            request = services.consent_request_open(
                by=requester,
                release=release,
                originator=services.item_originator(item),
                message="Pouvons-nous transmettre cet élément ? / May we pass this on?",
                answer_due=timezone.localdate() + timedelta(days=7),
            )
            if fate == "answered":
                _consent(item, partner, granted=True, days=30, ref=ref, request=request)
                services.release_submit(by=requester, release=release)
        counts["consents"] += fate != "awaited"

    # Tearlines: a sanitised text from a SECRET item, downgraded with a second person's approval and released;
    # another whose downgrade is still waiting.
    secret = [i for i in items if str(i.pk) not in used and i.classification.rank >= 3]
    target = national_level_for_rank(1)
    for n, item in enumerate(secret[:2]):
        author = item.created_by
        fr = n % 2 == 0
        tearline = services.tearline_save(
            by=author,
            title=("Version expurgée : " if fr else "Sanitised: ") + item.title,
            text=(
                "Un réseau utilise des messagers pour ses transferts ; aucun nom, aucun lieu."
                if fr
                else "A network uses couriers for its transfers; no names, no places."
            ),
            sources=[item],
        )
        counts["tearlines"] += 1
        if target is None:
            continue
        services.downgrade_request(
            by=author,
            tearline=tearline,
            level=target,
            reason="Le texte ne contient plus ni source ni lieu."
            if fr
            else "The text no longer holds sources or places.",
        )
        if n == 0:
            tearline = services.downgrade_decide(by=authority, tearline=tearline, approve=True)
            partner = item.originator_partner
            if not services.check(partner=partner, requester=author, tearline=tearline).failures:
                release = services.release_create(
                    by=author,
                    partner=partner,
                    justification=_justification(rng, n),
                    content=services.Content(tearline=tearline),
                )
                counts["releases"] += 1
                services.release_approve(by=authority, release=services.release_submit(by=author, release=release))
    counts["releases"] += _showcase(rng, items, used)
    counts["items"] = InformationItem.objects.count() - items_before  # the showcase records a few items of its own
    return counts


def _restricted_items(items: list[InformationItem]) -> list[InformationItem]:
    """Three items whose own markings keep them home: no foreign release, a releasable-to list without the
    partner's country, TLP:RED; recorded on exchanges the officers already had."""
    made = []
    variants = [
        ("Évaluation interne — ne pas communiquer", {"no_foreign_release": True}),
        ("Shared with named allies only", {"releasable_to": frozenset({"FR", "US"})}),
        ("Indicateurs du partenaire — TLP:RED", {"tlp": "RED"}),
    ]
    sources = [
        i for i in items if i.originator_partner is not None and i.originator_partner.country not in ("FR", "US")
    ]
    for (title, change), source in zip(variants, sources, strict=False):
        marking = source.marking()
        data = ItemInput(
            direction=ItemDirection.RECEIVED,
            originator_kind=OriginatorKind.PARTNER,
            originator_partner=source.originator_partner,
            title=title,
            text=source.text,
            source_reliability=source.source_reliability,
            information_credibility=source.information_credibility,
            marking=Marking(**{**marking.__dict__, **change}),
        )
        made.append(item_create(by=source.created_by, exchange=source.exchange, data=data))
    return made


def _showcase(rng: random.Random, items: list[InformationItem], used: set[str]) -> int:
    """Drafts that show the rule refusing for each of its reasons, each with what would unblock it."""
    made = 0
    for n, item in enumerate(_restricted_items(items)):
        _release(item, item.originator_partner, rng, n)
        made += 1
    wanted = ["agreement.none", "agreement.not_in_force", "agreement.themes", "agreement.classification"]
    for item in items:
        if not wanted:
            break
        if str(item.pk) in used:
            continue
        for partner in Partner.objects.filter(zone=item.originator_partner.zone).order_by("name"):
            if not can_read(item.created_by, partner):
                continue
            codes = _codes(item, partner, item.created_by)
            hit = next((code for code in wanted if code in codes), None)
            if hit is not None:
                wanted.remove(hit)
                used.add(str(item.pk))
                _release(item, partner, rng, made)
                made += 1
                break
    return made
