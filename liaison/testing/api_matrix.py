"""The role matrix of the API (/api/v1/) and of the API tokens page, as data like `matrix.ROUTES`.

API routes answer 401 to anonymous callers (token authentication comes first and asks for credentials); the
tokens page is an HTML page and sends them to the login page. Members not listed get 404, as everywhere.

Two things differ from the pages:
- A write's JSON body often names other objects (the partners of an exchange, the exchange of an item), whose ids
  exist only once the cast does: `ApiRoute.body` builds it from the cast. A member who may not see a named object
  gets 422 with the same words as for an id that does not exist; a member who sees everything named but whose
  role may not do the write gets 403 with the rule.
- A workflow action changes the report it acts on, and members call it in the cast's order (alice first), so a
  later member meets the report in its new state: carol, who sees alice's draft only once it is submitted, is
  refused as a non-author rather than answered 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from liaison.accounts.models import Service
from liaison.api.services import api_token_create
from liaison.exchanges.models import Exchange, ExchangeKind, InformationItem, ItemDirection, OriginatorKind
from liaison.exchanges.services import ItemInput, exchange_create, item_create
from liaison.policy.markings import Marking, Rank
from liaison.reports.models import Report
from liaison.reports.services import (
    report_approve,
    report_create,
    report_disseminate,
    report_return,
    report_submit,
    report_update,
)
from liaison.testing import release_api_matrix as rm
from liaison.testing.cast import Cast
from liaison.testing.matrix import OFFICE, RELEASE_READERS, Route, everyone
from liaison.testing.release_cast import release_cast

WRITERS = ("alice", "bob", "carol")  # liaison officers and the desk head of the office


@dataclass(frozen=True)
class ApiRoute(Route):
    """A route of the JSON API: anonymous callers get 401, and the JSON body is built from the cast."""

    anonymous: int = 401
    body: Callable[[Cast], dict[str, Any]] = lambda cast: {}


# Members outside the office: what an office create names is unknown to them.
OUTSIDERS = ("dave", "erin", "grace", "frank", "ivy")


def create_answers(status: int = 201) -> dict[str, int]:
    """A create whose body names an office object: writers of the office create, heidi (office, no writing role)
    is refused on her role, the others do not see what the body names."""
    return dict.fromkeys(OUTSIDERS, 422) | {"heidi": 403} | dict.fromkeys(WRITERS, status)


# ---------------------------------------------------------------- objects built through the services


def office_exchange(cast: Cast) -> Exchange:
    """DIFFUSION RESTREINTE, no compartment, with the open partner, shared with the office."""
    return exchange_create(
        by=cast.alice,
        kind=ExchangeKind.MEETING,
        title="Office meeting",
        occurred_at=datetime(2025, 3, 1, 10, 0),
        time_zone="Europe/Paris",
        partners=[cast.open_partner],
        marking=Marking(rank=Rank.RESTRICTED),
    )


def secret_exchange(cast: Cast) -> Exchange:
    """SECRET + terrorism, with the secret partner, shared with the office: bob's clearance is too low."""
    return exchange_create(
        by=cast.alice,
        kind=ExchangeKind.CALL,
        title="Secret call",
        occurred_at=timezone.now(),
        time_zone="Europe/Paris",
        partners=[cast.secret_partner],
        marking=Marking(rank=Rank.SECRET, compartments=frozenset({"terrorism"})),
    )


def private_exchange(cast: Cast) -> Exchange:
    """Not shared with the office: only alice (author) and heidi (participant) are in its audience."""
    return exchange_create(
        by=cast.alice,
        kind=ExchangeKind.VISIT,
        title="Private visit",
        occurred_at=timezone.now(),
        time_zone="Europe/Paris",
        partners=[cast.open_partner],
        participants=[cast.heidi],
        marking=Marking(rank=Rank.RESTRICTED),
        share_with_my_service=False,
    )


def item_in(exchange: Exchange, cast: Cast) -> InformationItem:
    return item_create(
        by=cast.alice,
        exchange=exchange,
        data=ItemInput(
            direction=ItemDirection.RECEIVED,
            originator_kind=OriginatorKind.OPEN_SOURCE,
            title="Press cutting",
            text="What the press said.",
            source_reliability="B",
            information_credibility="2",
            marking=exchange.marking(),
        ),
    )


def report(cast: Cast, stage: str = "draft") -> Report:
    """Alice's report on an office exchange, taken through the workflow up to `stage`."""
    draft = report_create(by=cast.alice, exchange=office_exchange(cast))
    draft = report_update(by=cast.alice, report=draft, title="Meeting report", sections={"context": "Ctx."}, quotes=[])
    if stage == "draft":
        return draft
    submitted = report_submit(by=cast.alice, report=draft)
    if stage == "submitted":
        return submitted
    if stage == "returned":
        return report_return(by=cast.carol, report=submitted, comment="Add the date.")
    approved = report_approve(by=cast.carol, report=submitted)
    if stage == "approved":
        return approved
    return report_disseminate(by=cast.carol, report=approved, services=[Service.objects.get(code="dct")])


def _pk(obj: Any) -> list[Any]:
    return [obj.pk]


# ---------------------------------------------------------------- the matrix

EXCHANGE_BODY = {
    "kind": "meeting",
    "title": "Matrix meeting",
    "occurred_at": "2025-03-01T10:00",
    "classification": "dr",
}
ITEM_BODY = {
    "direction": "received",
    "originator_kind": "open_source",
    "title": "Matrix item",
    "text": "Something said.",
    "source_reliability": "C",
    "information_credibility": "3",
    "classification": "dr",
}

API_ROUTES: list[Route] = [
    ApiRoute("api:schema", everyone()),
    ApiRoute("api:partner-list", everyone()),
    ApiRoute("api:partner-detail", dict.fromkeys(OFFICE, 200), args=lambda c: _pk(c.open_partner), label="DR, office"),
    ApiRoute(
        "api:partner-detail",
        {"alice": 200, "carol": 200, "heidi": 200},
        args=lambda c: _pk(c.secret_partner),
        label="SECRET terrorism",
    ),
    ApiRoute("api:partner-detail", {"carol": 200, "heidi": 200}, args=lambda c: _pk(c.prolif_partner), label="prolif"),
    ApiRoute("api:partner-detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    ApiRoute("api:exchange-list", everyone()),
    ApiRoute(
        "api:exchange-list",
        create_answers(),
        method="post",
        body=lambda c: EXCHANGE_BODY | {"partners": [str(c.open_partner.pk)]},
        label="create",
    ),
    ApiRoute("api:exchange-detail", dict.fromkeys(OFFICE, 200), args=lambda c: _pk(office_exchange(c)), label="office"),
    ApiRoute(
        "api:exchange-detail",
        {"alice": 200, "carol": 200, "heidi": 200},
        args=lambda c: _pk(secret_exchange(c)),
        label="SECRET terrorism",
    ),
    ApiRoute(
        "api:exchange-detail", {"alice": 200, "heidi": 200}, args=lambda c: _pk(private_exchange(c)), label="private"
    ),
    ApiRoute("api:exchange-detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    ApiRoute("api:item-list", everyone()),
    ApiRoute(
        "api:item-list",
        create_answers(),
        method="post",
        body=lambda c: ITEM_BODY | {"exchange": str(office_exchange(c).pk)},
        label="create",
    ),
    ApiRoute(
        "api:item-detail",
        dict.fromkeys(OFFICE, 200),
        args=lambda c: _pk(item_in(office_exchange(c), c)),
        label="office",
    ),
    ApiRoute("api:item-detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    ApiRoute(
        "api:item-detail",
        {"alice": 200, "heidi": 403},
        args=lambda c: _pk(item_in(private_exchange(c), c)),
        method="patch",
        body=lambda c: {"text": "Corrected: what the press said."},
        label="new version",
    ),
    ApiRoute("api:item-versions", dict.fromkeys(OFFICE, 200), args=lambda c: _pk(item_in(office_exchange(c), c))),
    ApiRoute("api:report-list", everyone()),
    ApiRoute(
        "api:report-list",
        create_answers(),
        method="post",
        body=lambda c: {"exchange": str(office_exchange(c).pk)},
        label="create",
    ),
    ApiRoute("api:report-detail", {"alice": 200}, args=lambda c: _pk(report(c)), label="draft"),
    ApiRoute(
        "api:report-detail", {"alice": 200, "carol": 200}, args=lambda c: _pk(report(c, "submitted")), label="sub"
    ),
    ApiRoute(
        "api:report-detail",
        {"alice": 200, "carol": 200, "dave": 200},
        args=lambda c: _pk(report(c, "disseminated")),
        label="disseminated to dct",
    ),
    ApiRoute(
        "api:report-detail",
        {"alice": 200, "carol": 403},
        args=lambda c: _pk(report(c, "returned")),
        method="patch",
        body=lambda c: {"assessment": "Reliable."},
        label="edit returned",
    ),
    ApiRoute("api:report-submit", {"alice": 200, "carol": 403}, args=lambda c: _pk(report(c)), method="post"),
    ApiRoute(
        "api:report-return",
        {"alice": 403, "carol": 200},
        args=lambda c: _pk(report(c, "submitted")),
        method="post",
        body=lambda c: {"comment": "Add the date."},
    ),
    ApiRoute(
        "api:report-approve", {"alice": 403, "carol": 200}, args=lambda c: _pk(report(c, "submitted")), method="post"
    ),
    ApiRoute(
        "api:report-disseminate",
        {"alice": 403, "carol": 200, "dave": 403},
        args=lambda c: _pk(report(c, "approved")),
        method="post",
        body=lambda c: {"services": ["dct"]},
    ),
    ApiRoute(
        "api:report-acknowledge",
        {"alice": 422, "carol": 422, "dave": 200},
        args=lambda c: _pk(report(c, "disseminated")),
        method="post",
        label="the office is not a recipient",
    ),
    Route("api:tokens", everyone()),
    Route("api:token_create", everyone(), method="post", data={"name": "My script"}),
    Route(
        "api:token_revoke",
        {"alice": 302},
        args=lambda c: _pk(api_token_create(user=c.alice, name="Alice's script")[0]),
        method="post",
        label="alice's token",
    ),
    # Release packages and recall messages: downloads for readers of the release (its requester's service).
    ApiRoute("api:release-package-pdf", RELEASE_READERS, args=lambda c: _pk(release_cast(c).released)),
    ApiRoute("api:release-package-pdf", {}, args=lambda c: _pk(release_cast(c).submitted), label="no package yet"),
    ApiRoute("api:release-package-pdf", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    ApiRoute("api:release-package-manifest", RELEASE_READERS, args=lambda c: _pk(release_cast(c).released)),
    ApiRoute("api:release-package-signature", RELEASE_READERS, args=lambda c: _pk(release_cast(c).released)),
    ApiRoute("api:release-recall-message", RELEASE_READERS, args=lambda c: _pk(release_cast(c).recalled)),
    ApiRoute("api:release-recall-message", {}, args=lambda c: _pk(release_cast(c).released), label="not recalled"),
    ApiRoute("api:release-recall-message-signature", RELEASE_READERS, args=lambda c: _pk(release_cast(c).recalled)),
    # The reciprocity ledger: the office's roles; a partner's ledger only where its file is seen.
    ApiRoute("api:ledger", dict.fromkeys(OFFICE, 200)),
    ApiRoute("api:ledger-partner", dict.fromkeys(OFFICE, 200), args=lambda c: [c.open_partner.pk], label="DR"),
    ApiRoute(
        "api:ledger-partner",
        {"carol": 200, "heidi": 200},
        args=lambda c: [c.prolif_partner.pk],
        label="DR proliferation",
    ),
    ApiRoute("api:ledger-partner", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    # Releases to partners through the API (rel-api): release requests, consents, consent requests, tearlines.
    ApiRoute("api:release-list", everyone()),
    ApiRoute("api:release-list", create_answers(), method="post", body=rm.release_body, label="create"),
    ApiRoute("api:release-detail", dict.fromkeys(OFFICE, 200), args=lambda c: _pk(rm.blocked(c)), label="draft"),
    ApiRoute("api:release-detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    ApiRoute(
        "api:release-detail",
        {"alice": 200, "bob": 403, "carol": 403, "heidi": 403},
        args=lambda c: _pk(rm.draft(c)),
        method="patch",
        body=lambda c: {"justification": "They asked twice."},
        label="edit draft",
    ),
    ApiRoute(
        "api:release-submit",
        {"alice": 200, "bob": 403, "carol": 403, "heidi": 403},
        args=lambda c: _pk(rm.draft(c)),
        method="post",
    ),
    ApiRoute(
        "api:release-submit",
        {"alice": 403, "bob": 403, "carol": 403, "heidi": 403},
        args=lambda c: _pk(rm.blocked(c)),
        method="post",
        label="the rule refuses",
    ),
    ApiRoute(
        "api:release-approve",
        dict.fromkeys(OFFICE, 403),
        args=lambda c: _pk(rm.failing(c)),
        method="post",
        label="consent refused since submission",
    ),
    ApiRoute(
        "api:release-approve",
        {"alice": 403, "bob": 403, "carol": 403, "heidi": 200},
        args=lambda c: _pk(rm.submitted(c)),
        method="post",
        label="heidi approves, once",
    ),
    ApiRoute("api:release-detail", dict.fromkeys(OFFICE, 200), args=lambda c: _pk(rm.recalled(c)), label="recalled"),
    ApiRoute(
        "api:release-refuse",
        {"alice": 403, "bob": 403, "carol": 403, "heidi": 200},
        args=lambda c: _pk(rm.submitted(c)),
        method="post",
        body=lambda c: {"reason": "Not now."},
    ),
    ApiRoute(
        "api:release-withdraw",
        {"alice": 200, "bob": 403, "carol": 403, "heidi": 403},
        args=lambda c: _pk(rm.submitted(c)),
        method="post",
    ),
    ApiRoute(
        "api:release-recall",
        {},
        args=lambda c: [uuid.uuid4()],
        method="post",
        body=lambda c: {"reason": "Sent to the wrong desk."},
        label="unknown id",
    ),
    ApiRoute(
        "api:release-recall",
        {"alice": 403, "bob": 403, "carol": 403, "heidi": 200},
        args=lambda c: _pk(rm.released(c)),
        method="post",
        body=lambda c: {"reason": "Sent to the wrong desk."},
    ),
    ApiRoute(
        "api:release-recall-receipt",
        dict.fromkeys(OFFICE, 409) | {"alice": 200},
        args=lambda c: _pk(rm.recalled(c)),
        method="post",
        body=lambda c: {"received_at": timezone.now().isoformat(), "received_by": "Their duty officer"},
        label="recorded once",
    ),
    ApiRoute(
        "api:release-recall-receipt",
        dict.fromkeys(OFFICE, 409),
        args=lambda c: _pk(rm.submitted(c)),
        method="post",
        body=lambda c: {"received_at": "2026-01-05T10:00", "received_by": "Their duty officer"},
        label="not recalled",
    ),
    ApiRoute("api:consent-list", everyone()),
    ApiRoute(
        "api:consent-list",
        dict.fromkeys(OUTSIDERS, 422) | dict.fromkeys(OFFICE, 201),
        method="post",
        body=rm.consent_body,
        label="record",
    ),
    ApiRoute("api:consent-detail", dict.fromkeys(OFFICE, 200), args=lambda c: _pk(rm.consent(c))),
    ApiRoute("api:consent-request-list", everyone()),
    ApiRoute(
        "api:consent-request-list",
        dict.fromkeys(OUTSIDERS, 422) | {"alice": 201, "bob": 403, "carol": 403, "heidi": 201},
        method="post",
        body=rm.consent_request_body,
        label="open",
    ),
    ApiRoute("api:consent-request-detail", dict.fromkeys(OFFICE, 200), args=lambda c: _pk(rm.consent_request(c))),
    ApiRoute(
        "api:consent-request-withdraw",
        {"alice": 200, "bob": 403, "carol": 403, "heidi": 409},
        args=lambda c: _pk(rm.consent_request(c)),
        method="post",
    ),
    ApiRoute("api:tearline-list", everyone()),
    ApiRoute("api:tearline-list", create_answers(), method="post", body=rm.tearline_body, label="create"),
    ApiRoute("api:tearline-detail", dict.fromkeys(OFFICE, 200), args=lambda c: _pk(rm.tearline(c))),
    ApiRoute(
        "api:tearline-detail",
        {"alice": 200, "bob": 403, "carol": 403, "heidi": 403},
        args=lambda c: _pk(rm.tearline(c)),
        method="patch",
        body=lambda c: {"text": "Couriers are used."},
        label="rewrite",
    ),
]


def request_body(route: Route, cast: Cast) -> tuple[dict[str, Any], dict[str, str]]:
    """The data a route sends and how: API writes send JSON, pages and reads send form fields or a query."""
    if isinstance(route, ApiRoute):
        options = {"content_type": "application/json"} if route.method != "get" else {}
        return route.body(cast), options
    return route.data, {}
