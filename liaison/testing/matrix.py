"""The role matrix: for every URL of the product, what each member of the cast gets (NetBox's ViewTestCases,
as data). A URL missing here fails `test_every_url_is_in_the_matrix`, so a new page is covered the day it lands.

Members not listed in `allowed` must get 404: a page or object a user may not use does not exist for them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from liaison.accounts.models import User
from liaison.testing.cast import Cast
from liaison.testing.release_cast import release_cast

OFFICE = ("alice", "bob", "carol", "heidi")  # the office (bci), with which the partner files are shared
EVERYONE = ("alice", "bob", "carol", "heidi", "dave", "erin", "grace", "frank", "ivy")
WRITERS = ("alice", "bob", "carol")  # liaison officers and desk heads
CONSENT_WRITERS = ("alice", "bob", "carol", "heidi")  # officers, desk heads and release authorities
SENT = {"alice": 200, "carol": 200, "dave": 200}  # author, approver's service desk head, recipient analyst


# Readers of alice's releases to open_partner: her service, the office (bob too: the item is DR).
RELEASE_READERS = dict.fromkeys(OFFICE, 200)


def everyone(status: int = 200) -> dict[str, int]:
    return dict.fromkeys(EVERYONE, status)


@dataclass(frozen=True)
class Route:
    name: str
    allowed: dict[str, int]
    args: Callable[[Cast], list[Any]] = lambda cast: []
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)
    anonymous: int = 302
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}[{self.label}]" if self.label else self.name


ROUTES: list[Route] = [
    Route("home:markings", everyone()),
    Route("accounts:profile", everyone()),
    Route("accounts:profile", everyone(302), method="post", data={"theme": "dark"}, label="save theme"),
    Route("partners:list", everyone()),
    Route("partners:detail", dict.fromkeys(OFFICE, 200), args=lambda c: [c.open_partner.pk], label="DR, office"),
    Route(
        "partners:detail",
        {"alice": 200, "carol": 200, "heidi": 200},
        args=lambda c: [c.secret_partner.pk],
        label="SECRET terrorism",
    ),
    Route(
        "partners:detail",
        {"carol": 200, "heidi": 200},
        args=lambda c: [c.prolif_partner.pk],
        label="DR proliferation",
    ),
    Route("partners:detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    Route("core:public_key", everyone()),
    Route("core:ca_certificate", everyone()),
    Route("partners:create", dict.fromkeys(WRITERS, 200)),
    Route("partners:edit", dict.fromkeys(WRITERS, 200), args=lambda c: [c.open_partner.pk]),
    Route("partners:edit", {"carol": 200}, args=lambda c: [c.prolif_partner.pk], label="unseen by officers"),
    Route("partners:agreement_create", dict.fromkeys(WRITERS, 200), args=lambda c: [c.open_partner.pk]),
    Route("partners:contact_create", dict.fromkeys(WRITERS, 200), args=lambda c: [c.open_partner.pk]),
    Route("exchanges:list", everyone()),
    Route("exchanges:create", dict.fromkeys(WRITERS, 200)),
    Route("exchanges:detail", dict.fromkeys(OFFICE, 200), args=lambda c: [c.exchange.pk]),
    Route("exchanges:item_create", dict.fromkeys(WRITERS, 200), args=lambda c: [c.exchange.pk]),
    Route("exchanges:item_detail", dict.fromkeys(OFFICE, 200), args=lambda c: [c.item.pk]),
    Route("exchanges:item_edit", dict.fromkeys(WRITERS, 200), args=lambda c: [c.item.pk]),
    Route("exchanges:attachment_add", dict.fromkeys(WRITERS, 302), args=lambda c: [c.item.pk], method="post"),
    Route("exchanges:attachment_download", dict.fromkeys(OFFICE, 200), args=lambda c: [c.attachment.pk]),
    Route("reports:list", everyone()),
    Route("reports:create", dict.fromkeys(WRITERS, 302), args=lambda c: [c.exchange.pk], method="post"),
    Route("reports:detail", {"alice": 200}, args=lambda c: [c.draft_report.pk], label="draft"),
    Route("reports:detail", {"alice": 200, "carol": 200}, args=lambda c: [c.submitted_report.pk], label="submitted"),
    Route("reports:detail", SENT, args=lambda c: [c.sent_report.pk], label="disseminated"),
    Route("reports:edit", {"alice": 200}, args=lambda c: [c.draft_report.pk]),
    # alice submits first; the submitted report is then visible to carol, whose attempt is refused with a message.
    Route("reports:submit", {"alice": 302, "carol": 302}, args=lambda c: [c.draft_report.pk], method="post"),
    Route("reports:return", {"carol": 302}, args=lambda c: [c.submitted_report.pk], method="post"),
    Route("reports:approve", {"carol": 302}, args=lambda c: [c.submitted_report.pk], method="post"),
    Route("reports:disseminate", {"carol": 200}, args=lambda c: [c.sent_report.pk]),
    Route("reports:acknowledge", dict.fromkeys(SENT, 302), args=lambda c: [c.sent_report.pk], method="post"),
    Route("reports:export_pdf", dict.fromkeys(SENT, 200), args=lambda c: [c.sent_report.pk]),
    Route("reports:export_json", dict.fromkeys(SENT, 200), args=lambda c: [c.sent_report.pk]),
    Route("reports:export_json", {"alice": 302}, args=lambda c: [c.draft_report.pk], label="draft: not signed"),
    Route("audit:log", {"erin": 200, "grace": 200}),
    Route("audit:verify", {"erin": 200, "grace": 200}, method="post"),
    Route("audit:auth_failures", {"erin": 200, "grace": 200}),
    Route("accounts:user_list", {"frank": 200}),
    Route("accounts:user_reveal", {"frank": 200}, args=lambda c: [c.alice.pk]),
    Route("accounts:user_unlock", {"frank": 302}, args=lambda c: [c.lou.pk], method="post"),
    Route("accounts:user_reset_second_factor", {"frank": 302}, args=lambda c: [c.lou.pk], method="post"),
    Route("admin:index", {"frank": 200}),
    Route("admin:policy_compartment_changelist", {"frank": 200}),
    Route("admin:policy_classificationscheme_changelist", {"frank": 200}),
    Route("admin:accounts_user_changelist", {"frank": 200}),
    Route("admin:accounts_user_change", {"frank": 200}, args=lambda c: [c.alice.pk]),
    Route("admin:accounts_service_add", {"frank": 200}),
    # Release packages and recall messages: downloads for readers of the release (its requester's service).
    Route("releases:package_pdf", RELEASE_READERS, args=lambda c: [release_cast(c).released.pk]),
    Route("releases:package_pdf", {}, args=lambda c: [release_cast(c).submitted.pk], label="no package yet"),
    Route("releases:package_pdf", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    Route("releases:package_manifest", RELEASE_READERS, args=lambda c: [release_cast(c).released.pk]),
    Route("releases:package_signature", RELEASE_READERS, args=lambda c: [release_cast(c).recalled.pk]),
    Route("releases:recall_message", RELEASE_READERS, args=lambda c: [release_cast(c).recalled.pk]),
    Route("releases:recall_message", {}, args=lambda c: [release_cast(c).released.pk], label="not recalled"),
    Route("releases:recall_signature", RELEASE_READERS, args=lambda c: [release_cast(c).recalled.pk]),
    # The reciprocity ledger: the office's roles; a partner's ledger only where its file is seen.
    Route("releases:ledger", dict.fromkeys(OFFICE, 200)),
    Route("releases:ledger_partner", dict.fromkeys(OFFICE, 200), args=lambda c: [c.open_partner.pk], label="DR"),
    Route(
        "releases:ledger_partner",
        {"carol": 200, "heidi": 200},
        args=lambda c: [c.prolif_partner.pk],
        label="DR proliferation",
    ),
    Route("releases:ledger_partner", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    # Consents, consent requests and tearlines (releases): lists for everyone, forms for the roles that write them.
    Route("releases:consent_list", everyone()),
    Route("releases:consent_create", dict.fromkeys(CONSENT_WRITERS, 200)),
    Route("releases:consent_detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    Route("releases:consent_request_list", everyone()),
    Route("releases:consent_request_detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    Route("releases:consent_request_withdraw", {}, args=lambda c: [uuid.uuid4()], method="post", label="unknown id"),
    Route("releases:consent_request_open", {}, args=lambda c: [uuid.uuid4()], label="unknown release"),
    Route("releases:tearline_list", everyone()),
    Route("releases:tearline_create", dict.fromkeys(WRITERS, 200)),
    Route("releases:tearline_detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    Route("releases:tearline_edit", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    Route("releases:tearline_downgrade_request", {}, args=lambda c: [uuid.uuid4()], method="post", label="unknown id"),
    Route("releases:tearline_downgrade_decide", {}, args=lambda c: [uuid.uuid4()], method="post", label="unknown id"),
    Route("releases:consent_detail", dict.fromkeys(OFFICE, 200), args=lambda c: [release_cast(c).consent.pk]),
    Route(
        "releases:consent_request_detail",
        dict.fromkeys(OFFICE, 200),
        args=lambda c: [release_cast(c).consent_request.pk],
    ),
    # alice withdraws first; the others, the request now closed (bob not its author either), are told why.
    Route(
        "releases:consent_request_withdraw",
        dict.fromkeys(OFFICE, 302),
        args=lambda c: [release_cast(c).consent_request.pk],
        method="post",
    ),
    Route("releases:consent_request_open", dict.fromkeys(OFFICE, 200), args=lambda c: [release_cast(c).blocked.pk]),
    Route("releases:tearline_detail", dict.fromkeys(OFFICE, 200), args=lambda c: [release_cast(c).tearline.pk]),
    Route("releases:tearline_edit", dict.fromkeys(WRITERS, 200), args=lambda c: [release_cast(c).tearline.pk]),
    # An empty form: the page comes back with what to fill in (the service then checks who asks and decides).
    Route(
        "releases:tearline_downgrade_request",
        dict.fromkeys(OFFICE, 200),
        args=lambda c: [release_cast(c).tearline.pk],
        method="post",
    ),
    Route(
        "releases:tearline_downgrade_decide",
        {"heidi": 200},
        args=lambda c: [release_cast(c).tearline.pk],
        method="post",
    ),
    # Release requests (rel-pages): alice's release of the item to open_partner, seen by the office (bci).
    Route("releases:list", dict.fromkeys(OFFICE, 200)),
    Route("releases:create", dict.fromkeys(WRITERS, 200)),
    Route("releases:detail", dict.fromkeys(OFFICE, 200), args=lambda c: [_release(c).pk], label="draft"),
    Route("releases:detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    # Others than the requester are sent back to the page with a message.
    Route("releases:edit", dict.fromkeys(WRITERS, 302) | {"alice": 200}, args=lambda c: [_release(c).pk]),
    Route("releases:submit", dict.fromkeys(WRITERS, 302), args=lambda c: [_release(c).pk], method="post"),
    Route(
        "releases:withdraw", dict.fromkeys(WRITERS, 302), args=lambda c: [_release(c, submit=True).pk], method="post"
    ),
    # A draft is not waiting for approval: each attempt is refused with a message.
    Route("releases:approve", dict.fromkeys(OFFICE, 302), args=lambda c: [_release(c).pk], method="post"),
    Route(
        "releases:refuse",
        dict.fromkeys(OFFICE, 302),
        args=lambda c: [_release(c, submit=True).pk],
        method="post",
        data={"reason": "Not before the originator answers."},
    ),
    Route(
        "releases:recall",
        {},
        args=lambda c: [uuid.uuid4()],
        method="post",
        data={"reason": "Sent to the wrong desk."},
        label="unknown id",
    ),
    Route(
        "releases:recall_receipt",
        dict.fromkeys(OFFICE, 302),
        args=lambda c: [_release(c, submit=True).pk],
        method="post",
        data={"received_at": "2026-11-02T10:00", "time_zone": "UTC", "received_by": "Duty officer"},
        label="not recalled",
    ),
    Route(
        "releases:detail", dict.fromkeys(OFFICE, 200), args=lambda c: [release_cast(c).submitted.pk], label="submitted"
    ),
    Route(
        "releases:detail", dict.fromkeys(OFFICE, 200), args=lambda c: [release_cast(c).released.pk], label="released"
    ),
    Route(
        "releases:detail", dict.fromkeys(OFFICE, 200), args=lambda c: [release_cast(c).recalled.pk], label="recalled"
    ),
    # The requester, an officer and a desk head are shown the rules that refuse them; heidi approves.
    Route(
        "releases:approve",
        dict.fromkeys(OFFICE, 200) | {"heidi": 302},
        args=lambda c: [release_cast(c).submitted.pk],
        method="post",
        label="submitted",
    ),
    Route(
        "releases:recall",
        dict.fromkeys(OFFICE, 302),
        args=lambda c: [release_cast(c).released.pk],
        method="post",
        data={"reason": "Sent to the wrong desk."},
        label="released",
    ),
    Route(
        "releases:recall_receipt",
        dict.fromkeys(OFFICE, 302),
        args=lambda c: [release_cast(c).recalled.pk],
        method="post",
        data={"received_at": "2026-11-02T10:00", "time_zone": "UTC", "received_by": "Duty officer"},
        label="recalled",
    ),
]


def _release(cast: Cast, submit: bool = False) -> Any:
    """Alice's release of the item to open_partner, under an agreement in force (the rule passes)."""
    from liaison.releases import services
    from liaison.testing.cast import make_agreement

    if not cast.open_partner.agreements.exists():
        make_agreement(cast.carol, cast.open_partner)
    release = services.release_create(
        by=cast.alice,
        partner=cast.open_partner,
        justification="They asked about courier routes.",
        content=services.Content(items=(cast.item,)),
    )
    return services.release_submit(by=cast.alice, release=release) if submit else release


# Pages of the login flow and language switch: reachable without a session, tested in accounts and core.
PUBLIC = {
    "accounts:login",
    "accounts:second_factor",
    "accounts:enrol",
    "accounts:logout",
    "set_language",
}


def login_as(client: Client, user: User) -> None:
    """Log a cast member in as the two-step login would leave them."""
    from django.utils import timezone

    client.force_login(user)
    session = client.session
    session["authenticated_at"] = timezone.now().isoformat()
    session.save()
