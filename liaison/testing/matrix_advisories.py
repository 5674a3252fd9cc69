"""The role matrix of the advisories' pages and of the CSAF provider location (rows like `matrix.ROUTES`).

Security officers (grace) run advisories and federal partners; the auditor (erin) reads them; everyone else gets 404.
The cast has no federal partner account: that account's pages are tested in liaison/advisories/tests. At
/.well-known/csaf/ the provider metadata, listings and TLP:CLEAR documents answer anyone, signed in or not; a
TLP:GREEN document answers only the security office here (and its administrations' accounts), 404 to the rest.
Advisories written by gwen, a second security officer, are built when a row asks for them.
"""

from __future__ import annotations

import uuid
from typing import Any

from liaison.accounts.models import RoleCode, User
from liaison.advisories.models import Advisory, AdvisoryCategory, AdvisoryDistribution, FederalPartner
from liaison.advisories.openpgp import instance_key
from liaison.advisories.services import (
    AdvisoryContent,
    advisory_approve,
    advisory_create,
    advisory_publish,
    advisory_send,
    advisory_submit,
    contact_save,
    partner_save,
)
from liaison.policy.markings import TLP
from liaison.testing.cast import Cast, make_user
from liaison.testing.matrix import EVERYONE, Route

READERS = {"erin": 200, "grace": 200}
EDITOR = {"grace": 200}
PUBLIC = dict.fromkeys(EVERYONE, 200)


def _cached(cast: Cast, name: str, build: Any) -> Any:
    found = getattr(cast, name, None)
    if found is None:
        found = build()
        setattr(cast, name, found)
    return found


def gwen(cast: Cast) -> User:
    return _cached(cast, "_gwen", lambda: make_user("gwen", (RoleCode.SECURITY_OFFICER,), "ssi", "s"))


def federal_partner(cast: Cast) -> FederalPartner:
    return _cached(
        cast,
        "_federal_partner",
        lambda: partner_save(by=cast.grace, name="Federal Public Service Interior", acronym="INT", kind="ministry"),
    )


def _content(tlp: str) -> AdvisoryContent:
    return AdvisoryContent(
        title=f"Phishing wave ({tlp})",
        category=AdvisoryCategory.INFORMATIONAL,
        tlp=tlp,
        summary="Look-alike portal asking for credentials.",
        references=[{"url": "https://cert.example.org/notes/1", "summary": "CERT note"}],
    )


def _advance(cast: Cast, tlp: str, until: str) -> Advisory:
    advisory = advisory_create(by=gwen(cast), content=_content(tlp))
    if until == "draft":
        return advisory
    advisory_submit(advisory=advisory, by=gwen(cast))
    if until == "submitted":
        return advisory
    advisory_approve(advisory=advisory, by=cast.grace)
    if until == "approved":
        return advisory
    return advisory_publish(advisory=advisory, by=gwen(cast))


def draft(cast: Cast) -> Advisory:
    return _cached(cast, "_adv_draft", lambda: _advance(cast, TLP.GREEN, "draft"))


def submitted(cast: Cast) -> Advisory:
    return _cached(cast, "_adv_submitted", lambda: _advance(cast, TLP.GREEN, "submitted"))


def approved(cast: Cast) -> Advisory:
    return _cached(cast, "_adv_approved", lambda: _advance(cast, TLP.GREEN, "approved"))


def public(cast: Cast) -> Advisory:
    return _cached(cast, "_adv_clear", lambda: _advance(cast, TLP.CLEAR, "published"))


def green(cast: Cast) -> Advisory:
    return _cached(cast, "_adv_green", lambda: _advance(cast, TLP.GREEN, "published"))


def distribution(cast: Cast) -> AdvisoryDistribution:
    def build() -> AdvisoryDistribution:
        contact_save(by=cast.grace, partner=federal_partner(cast), name="Contact")
        return advisory_send(advisory=green(cast), partners=[federal_partner(cast)], by=cast.grace)[0]

    return _cached(cast, "_adv_sent", build)


ADVISORY = {
    "title": "Ransomware on remote desktop gateways",
    "category": "informational",
    "tlp": "GREEN",
    "lang": "en",
    "summary": "Attacks on exposed remote desktop gateways.",
    "references": "https://cert.example.org/notes/2 | CERT note",
}

ADVISORIES_ROUTES: list[Route] = [
    Route("advisories:list", READERS),
    Route("advisories:create", EDITOR),
    Route("advisories:create", {"grace": 302}, method="post", data=ADVISORY, label="draft"),
    Route("advisories:mine", {}),
    Route("advisories:detail", READERS, args=lambda c: [draft(c).pk]),
    Route("advisories:detail", READERS, args=lambda c: [green(c).pk], label="published"),
    Route("advisories:detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    Route("advisories:edit", EDITOR, args=lambda c: [draft(c).pk]),
    Route("advisories:edit", {"grace": 302}, args=lambda c: [draft(c).pk], method="post", data=ADVISORY, label="save"),
    Route("advisories:submit", {"grace": 302}, args=lambda c: [draft(c).pk], method="post"),
    Route("advisories:approve", {"grace": 302}, args=lambda c: [submitted(c).pk], method="post"),
    Route("advisories:publish", {"grace": 302}, args=lambda c: [approved(c).pk], method="post"),
    Route("advisories:send", EDITOR, args=lambda c: [green(c).pk]),
    Route("advisories:send", {"grace": 400}, args=lambda c: [green(c).pk], method="post", label="no partner"),
    Route("advisories:acknowledge", {"grace": 302}, args=lambda c: [distribution(c).pk], method="post"),
    Route("advisories:acknowledge", {}, args=lambda c: [uuid.uuid4()], method="post", label="unknown id"),
    Route("advisories:partners", READERS),
    Route("advisories:partner_create", EDITOR),
    Route(
        "advisories:partner_create",
        {"grace": 302},
        method="post",
        data={"name": "Federal Public Service Finance", "acronym": "FIN", "kind": "ministry"},
        label="save",
    ),
    Route("advisories:partner_detail", READERS, args=lambda c: [federal_partner(c).pk]),
    Route("advisories:partner_detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    Route("advisories:partner_edit", EDITOR, args=lambda c: [federal_partner(c).pk]),
    Route(
        "advisories:partner_edit",
        {"grace": 302},
        args=lambda c: [federal_partner(c).pk],
        method="post",
        data={"name": "Federal Public Service Interior", "acronym": "IBZ", "kind": "ministry"},
        label="save",
    ),
    Route("advisories:contact_create", EDITOR, args=lambda c: [federal_partner(c).pk]),
    Route(
        "advisories:contact_create",
        {"grace": 302},
        args=lambda c: [federal_partner(c).pk],
        method="post",
        data={"name": "Duty officer", "email": "duty@interior.example"},
        label="save",
    ),
    Route("advisories:contact_edit", EDITOR, args=lambda c: [distribution(c).partner.contacts.get().pk]),
    # The CSAF provider location.
    Route("csaf:provider_metadata", PUBLIC, anonymous=200),
    Route("csaf:openpgp_key", PUBLIC, args=lambda c: [instance_key().fingerprint_hex], anonymous=200),
    Route("csaf:directory", PUBLIC, args=lambda c: ["white"], anonymous=200),
    Route("csaf:directory", {}, args=lambda c: ["purple"], anonymous=404, label="unknown TLP"),
    Route("csaf:index", PUBLIC, args=lambda c: ["white"], anonymous=200),
    Route("csaf:index", PUBLIC, args=lambda c: ["green"], anonymous=200, label="green, filtered"),
    Route("csaf:changes", PUBLIC, args=lambda c: ["white"], anonymous=200),
    Route("csaf:document", PUBLIC, args=lambda c: ["white", public(c).year, public(c).file_name], anonymous=200),
    Route(
        "csaf:document",
        PUBLIC,
        args=lambda c: ["white", public(c).year, public(c).file_name + ".sha256"],
        anonymous=200,
        label="CLEAR hash",
    ),
    Route(
        "csaf:document",
        EDITOR,
        args=lambda c: ["green", green(c).year, green(c).file_name],
        anonymous=404,
        label="GREEN",
    ),
    Route(
        "csaf:document",
        EDITOR,
        args=lambda c: ["green", green(c).year, green(c).file_name + ".asc"],
        anonymous=404,
        label="GREEN signature",
    ),
    Route(
        "csaf:document",
        {},
        args=lambda c: ["white", green(c).year, green(c).file_name],
        anonymous=404,
        label="GREEN asked in the CLEAR directory",
    ),
]
