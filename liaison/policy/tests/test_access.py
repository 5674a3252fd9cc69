"""The read rule: clearance, every compartment, audience; administrators are not above it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from liaison.accounts.models import User
from liaison.partners.models import Partner
from liaison.policy.access import can_read, read_decision, users_who_can_see, visible_to
from liaison.policy.classification import equivalent_level, national_level_for_rank
from liaison.policy.models import AccessGrant, ClassificationScheme
from liaison.testing.cast import MEMBERS, Cast, make_partner, service


def visible_names(user: User) -> set[str]:
    return set(visible_to(Partner.objects.all(), user).values_list("name", flat=True))


def test_each_member_sees_exactly_the_partners_their_standing_allows(cast: Cast) -> None:
    assert visible_names(cast.alice) == {"Open partner", "Secret partner"}
    assert visible_names(cast.bob) == {"Open partner"}  # DR clearance, no compartment
    assert visible_names(cast.carol) == {"Open partner", "Secret partner", "Prolif partner"}
    assert visible_names(cast.dave) == set()  # cleared, but another service: not in the audience
    assert visible_names(cast.frank) == set()  # administrators are not above the read rule


def test_every_compartment_is_required_not_just_one(cast: Cast) -> None:
    make_partner("Two themes", cast.carol, "dr", ("terrorism", "proliferation"))
    assert "Two themes" not in visible_names(cast.alice)  # holds terrorism, not proliferation
    assert "Two themes" in visible_names(cast.carol)


def test_a_shared_service_opens_the_audience_but_not_clearance(cast: Cast) -> None:
    make_partner("Shared with CT", cast.carol, "s", ("terrorism",), shared=("dct",))
    assert "Shared with CT" in visible_names(cast.dave)
    assert "Shared with CT" not in visible_names(cast.alice)  # office not in the audience this time


def test_a_grant_adds_to_the_audience_until_it_expires_or_is_revoked(cast: Cast) -> None:
    partner = cast.open_partner
    content_type = ContentType.objects.get_for_model(Partner)
    grant = AccessGrant.objects.create(
        content_type=content_type, object_id=partner.pk, user=cast.erin, granted_by=cast.carol, reason="audit"
    )
    assert can_read(cast.erin, partner)
    grant.expires_at = timezone.now() - timedelta(minutes=1)
    grant.save()
    assert not can_read(cast.erin, partner)
    grant.expires_at = None
    grant.revoked_at = timezone.now()
    grant.save()
    assert not can_read(cast.erin, partner)


def test_a_grant_to_a_service_reaches_its_members_only_within_their_clearance(cast: Cast) -> None:
    content_type = ContentType.objects.get_for_model(Partner)
    for partner in (cast.open_partner, cast.secret_partner):
        AccessGrant.objects.create(
            content_type=content_type, object_id=partner.pk, service=service("ssi"), granted_by=cast.carol, reason="x"
        )
    assert visible_names(cast.grace) == {"Open partner"}  # SECRET partner needs the terrorism compartment


def test_officers_in_charge_are_in_the_audience(cast: Cast) -> None:
    partner = make_partner("Dave's partner", cast.carol, "dr", shared=())
    assert not can_read(cast.dave, partner)
    partner.officers_in_charge.add(cast.dave)
    assert can_read(cast.dave, partner)


def test_an_inactive_or_uncleared_user_sees_nothing(cast: Cast) -> None:
    cast.carol.is_active = False
    cast.carol.save()
    assert visible_names(cast.carol) == set()
    cast.alice.clearance = None
    cast.alice.save()
    assert visible_names(cast.alice) == set()


def test_a_clearance_change_takes_effect_on_the_next_query(cast: Cast) -> None:
    assert "Secret partner" in visible_names(cast.alice)
    User.objects.filter(pk=cast.alice.pk).update(clearance=cast.bob.clearance)
    assert "Secret partner" not in visible_names(User.objects.get(pk=cast.alice.pk))


def test_the_filter_applies_before_slicing(cast: Cast) -> None:
    first_two = list(visible_to(Partner.objects.order_by("name"), cast.bob)[:2])
    assert [p.name for p in first_two] == ["Open partner"]


@pytest.mark.parametrize("partner_attr", ["open_partner", "secret_partner", "prolif_partner"])
def test_users_who_can_see_agrees_with_visible_to(cast: Cast, partner_attr: str) -> None:
    partner = getattr(cast, partner_attr)
    readers = set(users_who_can_see(partner).values_list("username", flat=True))
    by_filter = {name for name in [*MEMBERS, "lou"] if can_read(getattr(cast, name), partner)}
    assert readers == by_filter


def test_read_decision_names_the_rule_that_refuses(cast: Cast) -> None:
    assert read_decision(cast.bob, cast.secret_partner).rule == "clearance"
    assert read_decision(cast.alice, cast.prolif_partner).rule == "compartments"
    assert read_decision(cast.dave, cast.secret_partner).rule == "audience"
    assert read_decision(cast.alice, cast.secret_partner).allowed


def test_foreign_levels_are_shown_as_the_national_level_that_protects_them(db) -> None:
    belgian = ClassificationScheme.objects.get(code="be")
    confidentiel = belgian.levels.get(code="c")
    national = national_level_for_rank(confidentiel.rank)
    assert national is not None and national.label == "SECRET"  # France 2021 has no CONFIDENTIEL level
    assert equivalent_level(0, belgian) is None  # unclassified needs no Belgian marking, not RESTREINT
    assert equivalent_level(1, belgian) == belgian.levels.get(code="r")


def test_a_user_without_a_service_does_not_inherit_grants_made_to_other_users(cast: Cast) -> None:
    content_type = ContentType.objects.get_for_model(Partner)
    AccessGrant.objects.create(
        content_type=content_type, object_id=cast.open_partner.pk, user=cast.erin, granted_by=cast.carol, reason="x"
    )
    cast.grace.service = None
    cast.grace.save()
    assert not can_read(cast.grace, cast.open_partner)
    assert cast.grace not in users_who_can_see(cast.open_partner)
    assert can_read(cast.erin, cast.open_partner)


def test_compartments_cannot_be_deleted_from_the_admin_site(cast: Cast, client) -> None:
    from django.urls import reverse

    from liaison.policy.models import Compartment
    from liaison.testing.matrix import login_as

    login_as(client, cast.frank)
    terrorism = Compartment.objects.get(code="terrorism")
    response = client.post(reverse("admin:policy_compartment_delete", args=[terrorism.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Compartment.objects.filter(code="terrorism").exists()
    assert not can_read(cast.bob, cast.secret_partner)
