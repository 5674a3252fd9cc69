"""The release rule: whether a set of items, or a tearline, may go to partner P on date D, and if not, every rule
that refuses, each with a stable code, the item it concerns, why, and what would unblock it.

A pure function over plain values: the caller gathers the facts (the partner's agreements, the items' markings and
originators, the consents on record, who asks and who approves) and passes them in; nothing here reads the database
or the clock, so a decision can be recomputed and tested exactly. Every rule is evaluated, never only the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from liaison.policy.markings import TLP, HandlingCode, Marking


@dataclass(frozen=True)
class Originator:
    """Where an item comes from: a partner (`id` its primary key), an internal service (`id` its code) or open
    sources (`id` names the source, may be empty)."""

    kind: str  # "partner", "service" or "open_source"
    id: str = ""


PARTNER, SERVICE, OPEN_SOURCE = "partner", "service", "open_source"


@dataclass(frozen=True)
class ReleasedItem:
    """One item of a release. `orcon` says the originator controls its dissemination (the third-party rule: always
    true for what a partner gave us; for an internal service's item, when that service set it)."""

    id: str
    marking: Marking
    originator: Originator
    orcon: bool = False


@dataclass(frozen=True)
class Tearline:
    """A sanitised text written from source items. Its own marking (possibly downgraded by an approved downgrade)
    decides the agreement, no-foreign-release, releasable-to and TLP rules; what is owed to originators is owed
    per source item, whatever the downgrade."""

    id: str
    marking: Marking
    sources: tuple[ReleasedItem, ...] = ()


@dataclass(frozen=True)
class AgreementTerms:
    valid_from: date
    valid_until: date | None  # inclusive; None: open-ended
    themes: frozenset[str]
    max_rank: int

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class Recipient:
    """The partner a release is for. Every partner service is foreign: no-foreign-release always applies."""

    id: str
    country: str
    agreements: tuple[AgreementTerms, ...] = ()


@dataclass(frozen=True)
class ConsentRecord:
    """An originator's answer on record: for the items listed (None: all of that originator's items), for one
    partner (None: any), granted or refused, valid until a day (inclusive; None: no end)."""

    originator: Originator
    granted: bool
    recorded_at: datetime
    items: frozenset[str] | None = None
    partner: str | None = None
    valid_until: date | None = None

    def covers(self, originator: Originator, item: str, partner: str) -> bool:
        return (
            self.originator == originator
            and (self.items is None or item in self.items)
            and (self.partner is None or self.partner == partner)
        )


@dataclass(frozen=True)
class Approval:
    approver_id: str
    is_release_authority: bool


@dataclass(frozen=True)
class RuleFailure:
    code: str
    item: str | None  # the item, tearline or tearline's source it concerns; None for the release as a whole
    message: str
    unblock: str


@dataclass(frozen=True)
class ReleaseDecision:
    failures: tuple[RuleFailure, ...] = field(default_factory=tuple)

    @property
    def allowed(self) -> bool:
        return not self.failures

    def codes(self) -> set[tuple[str, str | None]]:
        """(code, item) of every failing rule: what a test or a page compares."""
        return {(failure.code, failure.item) for failure in self.failures}


# ---------------------------------------------------------------- the rules


def _agreement_failures(partner: Recipient, on: date, material: Sequence[tuple[str, Marking]]) -> list[RuleFailure]:
    if not partner.agreements:
        return [
            RuleFailure(
                "agreement.none",
                None,
                _("No cooperation agreement is recorded with this partner."),
                _("Record the cooperation agreement, then run the check again."),
            )
        ]
    in_force = [agreement for agreement in partner.agreements if agreement.in_force_on(on)]
    if not in_force:
        return [
            RuleFailure(
                "agreement.not_in_force",
                None,
                _("No cooperation agreement with this partner is in force on %(day)s.") % {"day": on.isoformat()},
                _("Renew the agreement, or release on a day it is in force."),
            )
        ]
    failures = []
    for item, marking in material:
        covering = [a for a in in_force if marking.compartments <= a.themes]
        allowing = [a for a in in_force if marking.rank <= a.max_rank]
        if any(a in allowing for a in covering):
            continue
        if not covering:
            uncovered = sorted(marking.compartments - set().union(*(a.themes for a in in_force)))
            failures.append(
                RuleFailure(
                    "agreement.themes",
                    item,
                    _("No agreement in force covers every theme of this material (%(themes)s).")
                    % {"themes": ", ".join(uncovered) or ", ".join(sorted(marking.compartments))},
                    _("Leave these themes out (tearline) or extend the agreement."),
                )
            )
        if not allowing or covering:
            failures.append(
                RuleFailure(
                    "agreement.classification",
                    item,
                    _("This material is classified above what the agreement in force allows to be exchanged."),
                    _("Release a sanitised text at a lower level through an approved downgrade."),
                )
            )
    return failures


def _marking_failures(partner: Recipient, item: str, marking: Marking) -> list[RuleFailure]:
    failures = []
    if marking.tlp in (TLP.RED, TLP.AMBER_STRICT):
        failures.append(
            RuleFailure(
                "tlp.never",
                item,
                _("TLP:%(label)s material never leaves the service, whatever consent is recorded.")
                % {"label": marking.tlp},
                _("Release a sanitised text (tearline) that does not carry this material."),
            )
        )
    if marking.no_foreign_release:
        failures.append(
            RuleFailure(
                "no_foreign_release",
                item,
                _("This material is marked for no foreign release."),
                _("Release a sanitised text, or have the marking reviewed through an approved downgrade."),
            )
        )
    if marking.releasable_to is not None and partner.country.upper() not in marking.releasable_to:
        failures.append(
            RuleFailure(
                "releasable_to",
                item,
                _("The partner's country is not in the releasable-to list of this material."),
                _("Ask the originator to extend the releasable-to list (a releasable-to list is not a consent)."),
            )
        )
    return failures


def obligations(item: ReleasedItem, partner: Recipient) -> dict[Originator, list[str]]:
    """What is owed to whom before `item` may go to `partner`: ORCON, H2 and TLP:AMBER each require the
    originator's consent, except towards the originator itself; an internal service is owed nothing for AMBER."""
    owed: dict[Originator, list[str]] = {}

    def owe(originator: Originator, reason: str) -> None:
        if originator.kind == PARTNER and originator.id == partner.id:
            return  # giving a partner back its own material needs no consent
        reasons = owed.setdefault(originator, [])
        if reason not in reasons:
            reasons.append(reason)

    if item.orcon:
        owe(item.originator, "ORCON")
    for partner_id in sorted(item.marking.originators):  # originator control inherited from other partners
        owe(Originator(PARTNER, partner_id), "ORCON")
    if item.marking.handling == HandlingCode.H2:
        owe(item.originator, "H2")
    if item.marking.tlp == TLP.AMBER and item.originator.kind != SERVICE:
        owe(item.originator, "TLP:AMBER")
    return owed


def _latest(records: Iterable[ConsentRecord]) -> ConsentRecord | None:
    return max(records, key=lambda record: record.recorded_at, default=None)


def _consent_failures(
    item: ReleasedItem, partner: Recipient, on: date, consents: Sequence[ConsentRecord]
) -> list[RuleFailure]:
    failures = []
    for originator, reasons in obligations(item, partner).items():
        decisive = _latest(c for c in consents if c.covers(originator, item.id, partner.id))
        what = {"reasons": ", ".join(reasons)}
        if decisive is None:
            failures.append(
                RuleFailure(
                    "consent.missing",
                    item.id,
                    _("%(reasons)s: the originator's consent to this release is not on record.") % what,
                    _("Ask the originator for consent and record its answer, then run the check again."),
                )
            )
        elif not decisive.granted:
            failures.append(
                RuleFailure(
                    "consent.refused",
                    item.id,
                    _("%(reasons)s: the originator refused this release.") % what,
                    _("Ask the originator again; only a new consent on record lifts its refusal."),
                )
            )
        elif decisive.valid_until is not None and decisive.valid_until < on:
            failures.append(
                RuleFailure(
                    "consent.expired",
                    item.id,
                    _("%(reasons)s: the originator's consent ended on %(day)s.")
                    % (what | {"day": decisive.valid_until.isoformat()}),
                    _("Ask the originator to renew its consent, then run the check again."),
                )
            )
    return failures


def _approval_failures(requester_id: str, approval: Approval | None) -> list[RuleFailure]:
    if approval is None:
        return []
    failures = []
    if approval.approver_id == requester_id:
        failures.append(
            RuleFailure(
                "four_eyes",
                None,
                _("The approver of a release must be someone other than its requester."),
                _("Ask another release authority to approve it."),
            )
        )
    if not approval.is_release_authority:
        failures.append(
            RuleFailure(
                "release_authority",
                None,
                _("Only a release authority approves a release."),
                _("Ask a release authority to approve it."),
            )
        )
    return failures


def release_check(
    *,
    partner: Recipient,
    on: date,
    requester_id: str,
    items: Sequence[ReleasedItem] = (),
    tearline: Tearline | None = None,
    consents: Sequence[ConsentRecord] = (),
    approval: Approval | None = None,
) -> ReleaseDecision:
    """Check a release of `items` (or of a `tearline`) to `partner` on day `on`; with `approval`, also the
    four-eyes rule and the approver's role. Returns every failing rule, item by item."""
    if tearline is not None:
        # The tearline's own marking is what is released; what is owed is owed per source item.
        material, owed = [(tearline.id, tearline.marking)], list(tearline.sources)
    else:
        material, owed = [(item.id, item.marking) for item in items], list(items)
    failures = _agreement_failures(partner, on, material)
    for item_id, marking in material:
        failures += _marking_failures(partner, item_id, marking)
    for item in owed:
        failures += _consent_failures(item, partner, on, consents)
    failures += _approval_failures(requester_id, approval)
    return ReleaseDecision(tuple(failures))
