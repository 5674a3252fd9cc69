"""The release rule: each rule refuses on its own, in order, and says what would unblock it."""

from __future__ import annotations

from liaison.policy.markings import TLP, Marking
from liaison.policy.release import release_check
from liaison.testing.cast import Cast, make_partner


def check(cast: Cast, marking: Marking, **kwargs):
    partner = kwargs.pop("partner", cast.open_partner)
    return release_check(marking=marking, partner=partner, requester=cast.alice, **kwargs)


def test_requester_and_approver_must_differ(cast: Cast) -> None:
    decision = check(cast, Marking(), approver=cast.alice)
    assert (decision.allowed, decision.rule) == (False, "four_eyes")
    assert decision.unblock


def test_red_and_amber_strict_never_leave(cast: Cast) -> None:
    for tlp in (TLP.RED, TLP.AMBER_STRICT):
        assert check(cast, Marking(tlp=tlp), consents={"anything"}).rule == "tlp"


def test_amber_needs_the_originators_permission(cast: Cast) -> None:
    other = make_partner("Originator", cast.carol, "dr")
    marking = Marking(tlp=TLP.AMBER, originators=frozenset({str(other.pk)}))
    assert check(cast, marking).rule == "tlp"
    assert check(cast, marking, consents={str(other.pk)}).rule == "agreement"  # passes TLP, next rule


def test_no_foreign_release_blocks_foreign_partners(cast: Cast) -> None:
    assert check(cast, Marking(no_foreign_release=True)).rule == "no_foreign_release"


def test_releasable_to_must_include_the_partners_country(cast: Cast) -> None:
    assert check(cast, Marking(releasable_to=frozenset({"DE"}))).rule == "releasable_to"
    assert check(cast, Marking(releasable_to=frozenset({"BE"}))).rule == "agreement"


def test_third_party_material_needs_recorded_consent(cast: Cast) -> None:
    third = make_partner("Third party", cast.carol, "dr")
    marking = Marking(originators=frozenset({str(third.pk)}))
    assert check(cast, marking).rule == "third_party"
    own = Marking(originators=frozenset({str(cast.open_partner.pk)}))
    assert check(cast, own).rule == "agreement"  # giving a partner back its own material is not third-party


def test_without_a_recorded_agreement_nothing_is_released(cast: Cast) -> None:
    decision = check(cast, Marking(), approver=cast.heidi)
    assert (decision.allowed, decision.rule) == (False, "agreement")
    assert "agreement" in decision.unblock
