"""Markings as values: the common classification ladder, TLP 2.0, PAP, handling codes, evaluation codes, and the
combination rule (a thing that quotes others carries the most restrictive of each of their markings).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rank(models.IntegerChoices):
    """The common ladder every national or international scheme maps onto (the equivalence table)."""

    UNCLASSIFIED = 0, _("Unclassified")
    RESTRICTED = 1, _("Restricted")
    CONFIDENTIAL = 2, _("Confidential")
    SECRET = 3, _("Secret")
    TOP_SECRET = 4, _("Top secret")


class TLP(models.TextChoices):
    """Traffic Light Protocol 2.0 (FIRST), least to most restrictive."""

    CLEAR = "CLEAR", "TLP:CLEAR"
    GREEN = "GREEN", "TLP:GREEN"
    AMBER = "AMBER", "TLP:AMBER"
    AMBER_STRICT = "AMBER+STRICT", "TLP:AMBER+STRICT"
    RED = "RED", "TLP:RED"


class PAP(models.TextChoices):
    """Permissible Actions Protocol, least to most restrictive."""

    CLEAR = "CLEAR", "PAP:CLEAR"
    GREEN = "GREEN", "PAP:GREEN"
    AMBER = "AMBER", "PAP:AMBER"
    RED = "RED", "PAP:RED"


class HandlingCode(models.IntegerChoices):
    """Europol-style handling codes: H0 no restriction … H3 other restrictions set by the originator."""

    H0 = 0, _("H0 — no specific handling restriction")
    H1 = 1, _("H1 — not to be used as evidence in judicial proceedings")
    H2 = 2, _("H2 — not to be disseminated without the originator's permission")
    H3 = 3, _("H3 — other restrictions stated by the originator")


TLP_ORDER = [t.value for t in TLP]
PAP_ORDER = [p.value for p in PAP]

# STIX 2.1 marking-definition identifiers accepted on import: OASIS TLP 2.0 and the older TLP 1.0 set
# (TLP:WHITE of 1.0 is TLP:CLEAR of 2.0).
TLP_STIX_IDS: dict[str, TLP] = {
    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487": TLP.CLEAR,
    "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb": TLP.GREEN,
    "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421": TLP.AMBER,
    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003": TLP.AMBER_STRICT,
    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1": TLP.RED,
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": TLP.CLEAR,
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": TLP.GREEN,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": TLP.AMBER,
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": TLP.RED,
}


def tlp_parse(value: str) -> TLP:
    """Read a TLP label in any accepted spelling: `TLP:AMBER+STRICT`, `amber`, `WHITE` (1.0), or a STIX id."""
    raw = value.strip()
    if raw.lower() in TLP_STIX_IDS:
        return TLP_STIX_IDS[raw.lower()]
    label = raw.upper().removeprefix("TLP:").replace(" ", "")
    if label == "WHITE":
        return TLP.CLEAR
    try:
        return TLP(label)
    except ValueError:
        raise ValueError(
            f"Unknown TLP label {value!r}: use CLEAR, GREEN, AMBER, AMBER+STRICT or RED (or WHITE from TLP 1.0)."
        ) from None


class SourceReliability(models.TextChoices):
    """Admiralty code, first half: how reliable the source is."""

    A = "A", _("A — completely reliable")
    B = "B", _("B — usually reliable")
    C = "C", _("C — fairly reliable")
    D = "D", _("D — not usually reliable")
    E = "E", _("E — unreliable")
    F = "F", _("F — reliability cannot be judged")


class InformationCredibility(models.TextChoices):
    """Admiralty code, second half: how credible the information is."""

    ONE = "1", _("1 — confirmed by other sources")
    TWO = "2", _("2 — probably true")
    THREE = "3", _("3 — possibly true")
    FOUR = "4", _("4 — doubtful")
    FIVE = "5", _("5 — improbable")
    SIX = "6", _("6 — truth cannot be judged")


class EuropolSource(models.TextChoices):
    A = "A", _("A — no doubt about the source's authenticity, trustworthiness and competence")
    B = "B", _("B — source has in most instances proved reliable")
    C = "C", _("C — source has in most instances proved unreliable")
    X = "X", _("X — reliability of the source cannot be assessed")


class EuropolInformation(models.TextChoices):
    ONE = "1", _("1 — known to be true without reservation")
    TWO = "2", _("2 — known personally to the source but not to the official passing it on")
    THREE = "3", _("3 — not known personally to the source but corroborated by information already recorded")
    FOUR = "4", _("4 — not known personally to the source and cannot be corroborated")


# The 4x4 scale has fewer steps: each Admiralty grade maps to the Europol grade that claims no more than it.
ADMIRALTY_TO_EUROPOL_SOURCE = {"A": "A", "B": "B", "C": "C", "D": "C", "E": "C", "F": "X"}
ADMIRALTY_TO_EUROPOL_INFORMATION = {"1": "1", "2": "3", "3": "4", "4": "4", "5": "4", "6": "4"}


def europol_code(reliability: str, credibility: str) -> str:
    """The Europol 4x4 code (e.g. `B3`) for an Admiralty evaluation (e.g. `C2`)."""
    return ADMIRALTY_TO_EUROPOL_SOURCE[reliability] + ADMIRALTY_TO_EUROPOL_INFORMATION[credibility]


def _most(order: list[str], a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if order.index(a) >= order.index(b) else b


def _at_least(order: list[str], a: str | None, b: str | None) -> bool:
    if b is None:
        return True
    if a is None:
        return False
    return order.index(a) >= order.index(b)


@dataclass(frozen=True)
class Marking:
    """The markings of one object, as plain values the policy can combine and compare.

    `releasable_to` is None when no releasable-to list restricts the object; otherwise it is the set of ISO 3166
    country codes it may go to. `originators` are the partners whose consent the third-party rule requires.
    """

    rank: int = Rank.UNCLASSIFIED
    compartments: frozenset[str] = field(default_factory=frozenset)
    originators: frozenset[str] = field(default_factory=frozenset)
    caveats: frozenset[str] = field(default_factory=frozenset)
    releasable_to: frozenset[str] | None = None
    no_foreign_release: bool = False
    handling: int = HandlingCode.H0
    tlp: str | None = None
    pap: str | None = None

    def combine(self, other: Marking) -> Marking:
        """The least marking that dominates both (sticky markings: nothing is ever lowered)."""
        if self.releasable_to is None:
            releasable = other.releasable_to
        elif other.releasable_to is None:
            releasable = self.releasable_to
        else:
            releasable = self.releasable_to & other.releasable_to
        return Marking(
            rank=max(self.rank, other.rank),
            compartments=self.compartments | other.compartments,
            originators=self.originators | other.originators,
            caveats=self.caveats | other.caveats,
            releasable_to=releasable,
            no_foreign_release=self.no_foreign_release or other.no_foreign_release,
            handling=max(self.handling, other.handling),
            tlp=_most(TLP_ORDER, self.tlp, other.tlp),
            pap=_most(PAP_ORDER, self.pap, other.pap),
        )

    def dominates(self, other: Marking) -> bool:
        """True when this marking is at least as restrictive as `other` on every axis."""
        releasable_ok = other.releasable_to is None or (
            self.releasable_to is not None and self.releasable_to <= other.releasable_to
        )
        return (
            self.rank >= other.rank
            and self.compartments >= other.compartments
            and self.originators >= other.originators
            and self.caveats >= other.caveats
            and releasable_ok
            and (self.no_foreign_release or not other.no_foreign_release)
            and self.handling >= other.handling
            and _at_least(TLP_ORDER, self.tlp, other.tlp)
            and _at_least(PAP_ORDER, self.pap, other.pap)
        )


def combine_all(markings: list[Marking]) -> Marking:
    result = Marking()
    for marking in markings:
        result = result.combine(marking)
    return result
