"""The release rule as a pure function: for each scenario, exactly the expected decision and exactly the set of
failing rules, item by item (never only the first)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from liaison.policy.markings import TLP, HandlingCode, Marking
from liaison.policy.release import (
    OPEN_SOURCE,
    PARTNER,
    SERVICE,
    AgreementTerms,
    Approval,
    ConsentRecord,
    Originator,
    Recipient,
    ReleasedItem,
    Tearline,
    obligations,
    release_check,
)

DAY = date(2026, 6, 1)
AGREEMENT = AgreementTerms(date(2026, 1, 1), date(2026, 12, 31), frozenset({"terrorism", "cyber"}), max_rank=2)
P = Recipient("P", "BE", (AGREEMENT,))
A, Q = Originator(PARTNER, "A"), Originator(PARTNER, "Q")
OWN = Originator(PARTNER, "P")
DCT = Originator(SERVICE, "dct")
OSINT = Originator(OPEN_SOURCE, "press")


def item(item_id: str, originator: Originator, orcon: bool | None = None, **marking: Any) -> ReleasedItem:
    """A DR item on terrorism; what a partner gave carries its originator control (the third-party rule)."""
    values: dict[str, Any] = {"rank": 1, "compartments": frozenset({"terrorism"})} | marking
    if orcon is None:
        orcon = originator.kind == PARTNER
    return ReleasedItem(item_id, Marking(**values), originator, orcon)


def consent(originator: Originator, granted: bool = True, at: int = 1, **scope: Any) -> ConsentRecord:
    return ConsentRecord(originator, granted, datetime(2026, 5, at, tzinfo=UTC), **scope)


def check(*items: ReleasedItem, **kwargs: Any) -> set[tuple[str, str | None]]:
    kwargs.setdefault("partner", P)
    kwargs.setdefault("on", DAY)
    decision = release_check(requester_id="alice", items=items, **kwargs)
    assert decision.allowed == (not decision.failures)
    assert all(f.message and f.unblock for f in decision.failures)
    return decision.codes()


# ---------------------------------------------------------------- originators and consents


def test_open_source_material_without_restriction_goes() -> None:
    assert check(item("i1", OSINT)) == set()


def test_a_partners_item_needs_its_consent_and_any_granted_consent_covering_it_answers() -> None:
    received = item("i1", A)
    assert check(received) == {("consent.missing", "i1")}
    assert check(received, consents=[consent(A)]) == set()
    assert check(received, consents=[consent(A, items=frozenset({"i1"}), partner="P")]) == set()


def test_a_consent_for_another_partner_another_item_or_another_originator_does_not_answer() -> None:
    received = item("i1", A)
    for other in (
        consent(A, partner="X"),
        consent(A, items=frozenset({"i2"})),
        consent(Q),
        consent(Originator(SERVICE, "A")),
    ):
        assert check(received, consents=[other]) == {("consent.missing", "i1")}, other


def test_a_consent_is_valid_until_its_last_day_inclusive() -> None:
    received = item("i1", A)
    assert check(received, consents=[consent(A, valid_until=DAY)]) == set()
    assert check(received, consents=[consent(A, valid_until=date(2026, 5, 31))]) == {("consent.expired", "i1")}


def test_the_latest_record_covering_the_question_decides() -> None:
    received = item("i1", A)
    granted_then_refused = [consent(A, at=1), consent(A, granted=False, at=2)]
    refused_then_granted = [consent(A, granted=False, at=1), consent(A, at=2)]
    assert check(received, consents=granted_then_refused) == {("consent.refused", "i1")}
    assert check(received, consents=refused_then_granted) == set()
    # A later refusal about another item or another partner does not touch this question.
    unrelated = [
        consent(A, at=1),
        consent(A, granted=False, at=3, items=frozenset({"i2"})),
        consent(A, False, 4, partner="X"),
    ]
    assert check(received, consents=unrelated) == set()


def test_giving_a_partner_back_its_own_item_needs_no_consent() -> None:
    own = item("i1", OWN, handling=HandlingCode.H2, tlp=TLP.AMBER)
    assert obligations(own, P) == {}
    assert check(own) == set()


def test_other_partners_originator_control_is_still_owed_on_an_own_item() -> None:
    own = item("i1", OWN, originators=frozenset({"P", "Q"}))
    assert check(own) == {("consent.missing", "i1")}
    assert check(own, consents=[consent(Q)]) == set()


def test_an_internal_service_is_owed_consent_for_orcon_not_for_amber() -> None:
    assert check(item("i1", DCT, tlp=TLP.AMBER)) == set()
    assert check(item("i1", DCT, orcon=True)) == {("consent.missing", "i1")}
    assert check(item("i1", DCT, orcon=True), consents=[consent(DCT)]) == set()


def test_open_source_material_has_no_exemption_from_amber_and_h2() -> None:
    assert check(item("i1", OSINT, tlp=TLP.AMBER)) == {("consent.missing", "i1")}
    assert check(item("i1", OSINT, handling=HandlingCode.H2)) == {("consent.missing", "i1")}
    assert check(item("i1", OSINT, tlp=TLP.AMBER), consents=[consent(OSINT)]) == set()
    assert check(item("i1", OSINT, handling=HandlingCode.H3)) == set()  # only H2 asks for permission


def test_one_consent_answers_every_obligation_owed_to_its_originator() -> None:
    everything = item("i1", A, handling=HandlingCode.H2, tlp=TLP.AMBER)
    assert obligations(everything, P) == {A: ["ORCON", "H2", "TLP:AMBER"]}
    assert check(everything) == {("consent.missing", "i1")}
    assert check(everything, consents=[consent(A)]) == set()


# ---------------------------------------------------------------- markings


def test_red_and_amber_strict_never_leave_whatever_the_consent() -> None:
    for tlp in (TLP.RED, TLP.AMBER_STRICT):
        assert check(item("i1", A, tlp=tlp), consents=[consent(A)]) == {("tlp.never", "i1")}
        assert check(item("i1", A, tlp=tlp)) == {("tlp.never", "i1"), ("consent.missing", "i1")}
        assert check(item("i1", OWN, tlp=tlp)) == {("tlp.never", "i1")}


def test_no_foreign_release_and_releasable_to() -> None:
    assert check(item("i1", OSINT, no_foreign_release=True)) == {("no_foreign_release", "i1")}
    assert check(item("i1", OSINT, releasable_to=frozenset({"DE"}))) == {("releasable_to", "i1")}
    assert check(item("i1", OSINT, releasable_to=frozenset({"BE", "DE"}))) == set()


def test_a_releasable_to_list_is_not_a_consent() -> None:
    assert check(item("i1", A, releasable_to=frozenset({"BE"}))) == {("consent.missing", "i1")}


# ---------------------------------------------------------------- agreements


def test_without_any_agreement_only_that_is_said() -> None:
    secret_elsewhere = item("i1", OSINT, rank=3, compartments=frozenset({"proliferation"}))
    assert check(secret_elsewhere, partner=Recipient("P", "BE")) == {("agreement.none", None)}


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2025, 12, 31), {("agreement.not_in_force", None)}),  # not yet in force
        (date(2026, 1, 1), set()),  # first day, inclusive
        (date(2026, 12, 31), set()),  # last day, inclusive
        (date(2027, 1, 1), {("agreement.not_in_force", None)}),  # expired
    ],
)
def test_the_agreement_must_be_in_force_on_the_day(on: date, expected: set[tuple[str, None]]) -> None:
    assert check(item("i1", OSINT), on=on) == expected


def test_themes_and_classification_are_checked_per_item() -> None:
    ok = item("ok", OSINT)
    off_theme = item("theme", OSINT, compartments=frozenset({"terrorism", "proliferation"}))
    too_high = item("rank", OSINT, rank=3)
    both = item("both", OSINT, rank=3, compartments=frozenset({"proliferation"}))
    assert check(ok, off_theme, too_high, both) == {
        ("agreement.themes", "theme"),
        ("agreement.classification", "rank"),
        ("agreement.themes", "both"),
        ("agreement.classification", "both"),
    }


def test_one_agreement_must_cover_both_the_themes_and_the_level() -> None:
    split = Recipient(
        "P",
        "BE",
        (
            AgreementTerms(date(2026, 1, 1), None, frozenset({"terrorism"}), max_rank=1),
            AgreementTerms(date(2026, 1, 1), None, frozenset({"cyber"}), max_rank=3),
        ),
    )
    assert check(item("i1", OSINT, rank=3), partner=split) == {("agreement.classification", "i1")}
    assert check(item("i1", OSINT, rank=3, compartments=frozenset({"cyber"})), partner=split) == set()


def test_a_consent_lifts_neither_red_nor_the_agreement() -> None:
    red = item("i1", A, tlp=TLP.RED)
    assert check(red, consents=[consent(A)], partner=Recipient("P", "BE")) == {
        ("agreement.none", None),
        ("tlp.never", "i1"),
    }


def test_every_failing_rule_of_every_item_is_reported() -> None:
    items = (
        item("a", A),
        item("b", OSINT, tlp=TLP.RED),
        item("c", OSINT, releasable_to=frozenset({"FR"}), no_foreign_release=True),
        item("d", OSINT, rank=3),
        item("e", OWN),
    )
    assert check(*items) == {
        ("consent.missing", "a"),
        ("tlp.never", "b"),
        ("releasable_to", "c"),
        ("no_foreign_release", "c"),
        ("agreement.classification", "d"),
    }


# ---------------------------------------------------------------- tearlines


def test_a_tearline_is_checked_on_its_own_marking_and_owes_what_its_sources_owe() -> None:
    secret_source = item("s1", A, rank=3)
    open_source = item("s2", OSINT)
    downgraded = Tearline("t1", Marking(rank=1, compartments=frozenset({"terrorism"})), (secret_source, open_source))
    assert check(tearline=downgraded) == {("consent.missing", "s1")}  # the downgrade never removes the obligation
    assert check(tearline=downgraded, consents=[consent(A)]) == set()
    not_downgraded = Tearline("t2", Marking(rank=3, compartments=frozenset({"terrorism"})), (secret_source,))
    assert check(tearline=not_downgraded, consents=[consent(A)]) == {("agreement.classification", "t2")}
    inherited = Tearline("t3", Marking(rank=1, no_foreign_release=True), (open_source,))
    assert check(tearline=inherited) == {("no_foreign_release", "t3")}


# ---------------------------------------------------------------- approval


@pytest.mark.parametrize(
    ("approval", "expected"),
    [
        (None, set()),
        (Approval("heidi", is_release_authority=True), set()),
        (Approval("alice", is_release_authority=True), {("four_eyes", None)}),
        (Approval("carol", is_release_authority=False), {("release_authority", None)}),
        (Approval("alice", is_release_authority=False), {("four_eyes", None), ("release_authority", None)}),
    ],
)
def test_the_approver_is_another_person_holding_the_release_authority_role(
    approval: Approval | None, expected: set[tuple[str, None]]
) -> None:
    assert check(item("i1", OSINT), approval=approval) == expected
