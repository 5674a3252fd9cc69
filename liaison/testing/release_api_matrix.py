"""Objects the API role matrix acts on for releases, consents, consent requests and tearlines, built through the
services on the shared cast, each route building its own (a workflow action changes what it acts on). Everything
is alice's, in the office (bci), on the cast's item (DIFFUSION RESTREINTE, from open_partner):

  agreed         open_partner's arrangement (terrorism, up to SECRET), recorded once per cast
  draft          alice's draft giving the item back to open_partner (the rule passes once agreed)
  blocked        alice's draft giving the item to secret_partner (no agreement, no consent)
  submitted      alice's release to open_partner waiting for approval
  failing        alice's release to secret_partner, submitted with the originator's consent, refused since
  released       alice's release to open_partner approved by heidi: package signed
  recalled       the same, then recalled by heidi
"""

from __future__ import annotations

from typing import Any

from liaison.releases import services
from liaison.releases.models import Consent, ConsentRequest, Release, Tearline
from liaison.testing.cast import Cast, make_agreement


def agreed(cast: Cast, partner: Any = None) -> None:
    partner = partner or cast.open_partner
    done: set[Any] = getattr(cast, "_agreed", set())
    if partner.pk in done:
        return
    make_agreement(cast.carol, partner)
    cast._agreed = done | {partner.pk}  # type: ignore[attr-defined]


def draft(cast: Cast, partner: Any = None) -> Release:
    agreed(cast)
    return services.release_create(
        by=cast.alice,
        partner=partner or cast.open_partner,
        justification="They asked about courier routes.",
        content=services.Content(items=(cast.item,)),
    )


def blocked(cast: Cast) -> Release:
    return draft(cast, cast.secret_partner)


def submitted(cast: Cast) -> Release:
    return services.release_submit(by=cast.alice, release=draft(cast))


def released(cast: Cast) -> Release:
    return services.release_approve(by=cast.heidi, release=submitted(cast))


def recalled(cast: Cast) -> Release:
    release = released(cast)
    services.release_recall(by=cast.heidi, release=release, reason="Sent to the wrong desk.")
    release.refresh_from_db()
    return release


def consent(cast: Cast, *, granted: bool = True, partner: Any = None) -> Consent:
    return services.consent_record(
        by=cast.alice,
        originator_kind="partner",
        originator_partner=cast.open_partner,
        items=[cast.item],
        partner=partner or cast.secret_partner,
        granted=granted,
        reference="MSG-2026-042",
    )


def failing(cast: Cast) -> Release:
    agreed(cast, cast.secret_partner)
    consent(cast)
    release = services.release_submit(by=cast.alice, release=blocked(cast))
    consent(cast, granted=False)
    return release


def consent_request(cast: Cast) -> ConsentRequest:
    return services.consent_request_open(
        by=cast.alice,
        release=blocked(cast),
        originator=services.item_originator(cast.item),
        message="May we pass this on to the secret partner?",
    )


def tearline(cast: Cast) -> Tearline:
    return services.tearline_save(
        by=cast.alice, title="Couriers, sanitised", text="A network uses couriers.", sources=[cast.item]
    )


def release_body(cast: Cast) -> dict[str, Any]:
    return {"partner": str(cast.open_partner.pk), "justification": "They asked.", "items": [str(cast.item.pk)]}


def consent_body(cast: Cast) -> dict[str, Any]:
    return {
        "originator_kind": "partner",
        "originator_partner": str(cast.open_partner.pk),
        "items": [str(cast.item.pk)],
        "granted": True,
        "reference": "MSG-2026-043",
    }


def consent_request_body(cast: Cast) -> dict[str, Any]:
    return {
        "release": str(blocked(cast).pk),
        "originator_kind": "partner",
        "originator_partner": str(cast.open_partner.pk),
        "message": "May we pass this on?",
    }


def tearline_body(cast: Cast) -> dict[str, Any]:
    return {"title": "Sanitised", "text": "A network uses couriers.", "sources": [str(cast.item.pk)]}
