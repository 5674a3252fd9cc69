"""Marking combination and dominance, as properties: combine is the least upper bound of the dominance order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.policy.markings import (
    PAP_ORDER,
    TLP,
    TLP_ORDER,
    Marking,
    combine_all,
    europol_code,
    tlp_parse,
)

codes = st.frozensets(st.sampled_from(["terrorism", "cyber", "proliferation", "interference"]), max_size=4)
countries = st.frozensets(st.sampled_from(["BE", "DE", "US", "GB", "MA"]), max_size=5)
markings = st.builds(
    Marking,
    rank=st.integers(0, 4),
    compartments=codes,
    originators=st.frozensets(st.sampled_from(["p1", "p2", "p3"]), max_size=3),
    caveats=st.frozensets(st.sampled_from(["no-copy", "named-recipients"]), max_size=2),
    releasable_to=st.none() | countries,
    no_foreign_release=st.booleans(),
    handling=st.integers(0, 3),
    tlp=st.none() | st.sampled_from(TLP_ORDER),
    pap=st.none() | st.sampled_from(PAP_ORDER),
)


@given(markings, markings)
def test_combination_dominates_both_inputs(a: Marking, b: Marking) -> None:
    combined = a.combine(b)
    assert combined.dominates(a) and combined.dominates(b)


@given(markings, markings, markings)
def test_combination_is_the_least_marking_dominating_both(a: Marking, b: Marking, c: Marking) -> None:
    if c.dominates(a) and c.dominates(b):
        assert c.dominates(a.combine(b))


@given(markings, markings)
def test_combination_is_commutative(a: Marking, b: Marking) -> None:
    assert a.combine(b) == b.combine(a)


@given(markings, markings, markings)
def test_combination_is_associative(a: Marking, b: Marking, c: Marking) -> None:
    assert a.combine(b).combine(c) == a.combine(b.combine(c))


@given(markings)
def test_combination_is_idempotent_and_unmarked_is_neutral(a: Marking) -> None:
    assert a.combine(a) == a
    assert a.combine(Marking()) == a


@given(markings, markings)
def test_dominance_is_antisymmetric(a: Marking, b: Marking) -> None:
    if a.dominates(b) and b.dominates(a):
        assert a == b


@given(markings, markings, markings)
def test_dominance_is_transitive(a: Marking, b: Marking, c: Marking) -> None:
    if a.dominates(b) and b.dominates(c):
        assert a.dominates(c)


def test_a_quote_never_lowers_classification_or_drops_a_restriction() -> None:
    item = Marking(rank=3, compartments=frozenset({"terrorism"}), originators=frozenset({"p1"}), tlp=TLP.AMBER)
    other = Marking(rank=1, compartments=frozenset({"cyber"}), releasable_to=frozenset({"BE", "DE"}))
    report = combine_all([item, other, Marking(releasable_to=frozenset({"DE", "US"}))])
    assert report.rank == 3
    assert report.compartments == {"terrorism", "cyber"}
    assert report.originators == {"p1"}
    assert report.releasable_to == {"DE"}
    assert report.tlp == TLP.AMBER


def test_releasable_lists_with_nothing_in_common_leave_no_country() -> None:
    combined = Marking(releasable_to=frozenset({"BE"})).combine(Marking(releasable_to=frozenset({"US"})))
    assert combined.releasable_to == frozenset()


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("TLP:AMBER+STRICT", TLP.AMBER_STRICT),
        ("amber", TLP.AMBER),
        ("TLP:WHITE", TLP.CLEAR),
        ("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", TLP.CLEAR),
        ("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", TLP.AMBER_STRICT),
        ("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", TLP.RED),
    ],
)
def test_tlp_labels_of_2_0_and_1_0_and_stix_ids_are_accepted(label: str, expected: TLP) -> None:
    assert tlp_parse(label) == expected


def test_an_unknown_tlp_label_says_which_are_valid() -> None:
    with pytest.raises(ValueError, match="CLEAR, GREEN, AMBER"):
        tlp_parse("TLP:PURPLE")


@pytest.mark.parametrize(
    ("admiralty", "europol"), [("A1", "A1"), ("B2", "B3"), ("C3", "C4"), ("E5", "C4"), ("F6", "X4")]
)
def test_admiralty_maps_to_a_europol_code_that_claims_no_more(admiralty: str, europol: str) -> None:
    assert europol_code(admiralty[0], admiralty[1]) == europol
