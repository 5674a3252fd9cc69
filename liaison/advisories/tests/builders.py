"""Builders shared by the advisory tests: a second security officer for four-eyes, federal partners with an account,
and advisories carried through the workflow by the services."""

from __future__ import annotations

from datetime import UTC, datetime

from liaison.accounts.models import RoleCode, User
from liaison.advisories.models import Advisory, AdvisoryCategory, FederalPartner, PartnerContact
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

RELEASED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def second_officer(cast: Cast) -> User:
    cached: User | None = getattr(cast, "_second_officer", None)
    if cached is None:
        cached = make_user("gwen", (RoleCode.SECURITY_OFFICER,), "ssi", "s")
        cast._second_officer = cached  # type: ignore[attr-defined]
    return cached


def federal_partner(cast: Cast, acronym: str = "INT", name: str = "Federal Public Service Interior") -> FederalPartner:
    return partner_save(by=cast.grace, name=name, acronym=acronym, kind="ministry")


def partner_account(cast: Cast, partner: FederalPartner, username: str) -> tuple[User, PartnerContact]:
    user = make_user(username, (RoleCode.FEDERAL_PARTNER,), "fed", "dr")
    contact = contact_save(
        by=cast.grace, partner=partner, name=f"Contact {username}", email=f"{username}@example.org", user=user
    )
    return user, contact


def informational(**overrides: object) -> AdvisoryContent:
    fields: dict[str, object] = {
        "title": "Phishing campaign impersonating the tax office",
        "category": AdvisoryCategory.INFORMATIONAL,
        "tlp": TLP.CLEAR,
        "summary": "A phishing campaign imitates the tax office's portal.",
        "details": "Messages link to a look-alike domain asking for credentials.",
        "references": [{"url": "https://cert.example.org/notes/2026-01", "summary": "CERT note"}],
    }
    fields.update(overrides)
    return AdvisoryContent(**fields)  # type: ignore[arg-type]


def security(**overrides: object) -> AdvisoryContent:
    fields: dict[str, object] = {
        "title": "Remote code execution in a VPN gateway",
        "category": AdvisoryCategory.SECURITY,
        "tlp": TLP.GREEN,
        "summary": "A flaw in the gateway's web portal lets an unauthenticated attacker run code.",
        "references": [{"url": "https://vendor.example.com/psirt/42", "summary": "Vendor bulletin"}],
        "products": [
            {"vendor": "Example Networks", "product": "SecureGate", "version": "9.1.2"},
            {"vendor": "Example Networks", "product": "SecureGate", "version": "9.2.0"},
        ],
        "vulnerabilities": [
            {"cve": "CVE-2026-12345", "title": "Portal command injection", "remediation": "Update to 9.2.1."}
        ],
    }
    fields.update(overrides)
    return AdvisoryContent(**fields)  # type: ignore[arg-type]


def approved(cast: Cast, content: AdvisoryContent) -> Advisory:
    advisory = advisory_create(by=cast.grace, content=content, now=RELEASED)
    advisory_submit(advisory=advisory, by=cast.grace)
    return advisory_approve(advisory=advisory, by=second_officer(cast))


def published(cast: Cast, content: AdvisoryContent, to: list[FederalPartner] | None = None) -> Advisory:
    advisory = advisory_publish(advisory=approved(cast, content), by=cast.grace, now=RELEASED)
    if to:
        advisory_send(advisory=advisory, partners=to, by=cast.grace)
    return advisory
