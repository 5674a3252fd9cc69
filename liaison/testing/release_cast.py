"""Releases for the role matrices, built on the shared cast only when a test asks for them (a signed package
takes a moment to render, and most tests never need one). Everything is alice's, in the office (bci):

  agreement        open_partner's arrangement: terrorism, up to SECRET, in force since 2020
  draft            alice's draft giving the item back to open_partner (the rule passes)
  blocked          alice's draft giving the item to secret_partner (no agreement, no consent: refused)
  submitted        alice's release waiting for approval
  released         approved by heidi: package signed
  recalled         approved by heidi, then recalled by her
  tearline         alice's sanitised text from the item
  consent          open_partner's consent, recorded by alice, for the item to secret_partner
  consent_request  alice's request to open_partner, opened from the blocked draft
"""

from __future__ import annotations

from dataclasses import dataclass

from liaison.exchanges.models import InformationItem
from liaison.partners.models import Agreement
from liaison.releases import services
from liaison.releases.models import Consent, ConsentRequest, Release, Tearline
from liaison.testing.cast import Cast, make_agreement


@dataclass
class ReleaseCast:
    agreement: Agreement
    draft: Release
    blocked: Release
    submitted: Release
    released: Release
    recalled: Release
    tearline: Tearline
    consent: Consent
    consent_request: ConsentRequest


def _draft(cast: Cast, partner: object) -> Release:
    return services.release_create(
        by=cast.alice,
        partner=partner,  # type: ignore[arg-type]
        justification="They asked about courier routes.",
        content=services.Content(items=(cast.item,)),
    )


def _approved(cast: Cast) -> Release:
    release = services.release_submit(by=cast.alice, release=_draft(cast, cast.open_partner))
    return services.release_approve(by=cast.heidi, release=release)


def release_cast(cast: Cast) -> ReleaseCast:
    cached: ReleaseCast | None = getattr(cast, "_releases", None)
    if cached is not None:
        return cached
    agreement = make_agreement(cast.carol, cast.open_partner)
    blocked = _draft(cast, cast.secret_partner)
    recalled = _approved(cast)
    services.release_recall(by=cast.heidi, release=recalled, reason="Sent to the wrong desk.")
    recalled.refresh_from_db()
    releases = ReleaseCast(
        agreement=agreement,
        draft=_draft(cast, cast.open_partner),
        blocked=blocked,
        submitted=services.release_submit(by=cast.alice, release=_draft(cast, cast.open_partner)),
        released=_approved(cast),
        recalled=recalled,
        tearline=services.tearline_save(
            by=cast.alice, title="Couriers, sanitised", text="A network uses couriers.", sources=[cast.item]
        ),
        consent=services.consent_record(
            by=cast.alice,
            originator_kind="partner",
            originator_partner=cast.open_partner,
            items=[cast.item],
            partner=cast.secret_partner,
            granted=True,
            reference="MSG-2026-042",
        ),
        consent_request=services.consent_request_open(
            by=cast.alice,
            release=blocked,
            originator=services.item_originator(cast.item),
            message="May we pass this on to the secret partner?",
        ),
    )
    cast._releases = releases  # type: ignore[attr-defined]
    return releases


def received_item(cast: Cast, n: int) -> InformationItem:
    """An unclassified item received from the cast's open partner, on the cast's exchange (one more row to show)."""
    from liaison.exchanges.services import ItemInput, item_create
    from liaison.policy.markings import Marking

    return item_create(
        by=cast.alice,
        exchange=cast.exchange,
        data=ItemInput(
            direction="received",
            originator_kind="partner",
            originator_partner=cast.open_partner,
            title=f"Grown item {n}",
            text="x",
            source_reliability="B",
            information_credibility="2",
            marking=Marking(rank=1),
        ),
    )
