"""Access reviews through their services: who gets which items, who decides them (never oneself), what a
revocation does at once, what closing does to unanswered items, and the signed result."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.accounts.models import RoleCode, Service, User
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.core.exceptions import Conflict, DomainError, PolicyRefusal
from liaison.policy.access import visible_to
from liaison.reviews.managers import reviewing_services
from liaison.reviews.models import EntitlementKind, ItemDecision, ReviewCampaign, ReviewItem
from liaison.reviews.result import result_verify
from liaison.reviews.selectors import my_items
from liaison.reviews.services import (
    campaign_close,
    campaign_open,
    item_confirm,
    item_revoke,
    items_confirm_rest,
)
from liaison.reviews.tests.conftest import item_of
from liaison.testing.cast import Cast, level, make_user, service

DUE = timezone.localdate() + timedelta(days=14)


def test_a_campaign_has_one_item_per_person_and_entitlement(cast: Cast, campaign: ReviewCampaign) -> None:
    alices = ReviewItem.objects.filter(campaign=campaign, person=cast.alice)
    assert sorted((i.kind, i.entitlement_code) for i in alices) == [
        ("clearance", "s"),
        ("compartment", "cyber"),
        ("compartment", "terrorism"),
        ("role", "liaison_officer"),
    ]
    assert {i.reviewer_service for i in alices} == {service("bci")}
    # carol is the only desk head of the office: her own items go to the security officers, never to herself.
    assert {i.reviewer_service for i in ReviewItem.objects.filter(campaign=campaign, person=cast.carol)} == {None}
    assert campaign.classification.code == "dr"
    entry = AuditEntry.objects.get(event=AuditEvent.REVIEW_CAMPAIGN_OPENED)
    assert entry.details["items"] == ReviewItem.objects.filter(campaign=campaign).count()


def test_a_campaign_may_cover_some_services_only(cast: Cast) -> None:
    campaign = campaign_open(name="Office only", due_on=DUE, services=[service("bci")], by=cast.frank)
    people = set(ReviewItem.objects.filter(campaign=campaign).values_list("person__username", flat=True))
    assert people == {"alice", "bob", "carol", "heidi", "lou"}


def test_only_the_security_office_and_administrators_open_campaigns(cast: Cast) -> None:
    for member in (cast.alice, cast.carol, cast.erin):
        with pytest.raises(PolicyRefusal) as refused:
            campaign_open(name="Mine", due_on=DUE, by=member)
        assert refused.value.rule == "reviews.owner"
    with pytest.raises(DomainError, match="due date has passed"):
        campaign_open(name="Late", due_on=timezone.localdate() - timedelta(days=1), by=cast.grace)
    with pytest.raises(DomainError, match="name"):
        campaign_open(name="   ", due_on=DUE, by=cast.grace)
    assert not ReviewCampaign.objects.exists()


def test_the_managers_are_the_desk_heads_above_when_a_service_has_none(cast: Cast) -> None:
    office, dct, direction = service("bci"), service("dct"), service("dg")
    Service.objects.filter(pk=dct.pk).update(parent=office)
    Service.objects.filter(pk=office.pk).update(parent=direction)
    # counter-terrorism has no desk head: the office's review dave; nobody heads the direction yet.
    assert reviewing_services(User.objects.get(pk=cast.dave.pk)) == (office, None)
    assert reviewing_services(User.objects.get(pk=cast.carol.pk)) == (None, None)  # the security officers
    make_user("zoe", (RoleCode.DESK_HEAD,), "dg", "ts")
    assert reviewing_services(User.objects.get(pk=cast.alice.pk)) == (office, direction)
    assert reviewing_services(User.objects.get(pk=cast.carol.pk)) == (direction, None)


def test_a_manager_never_reviews_themselves(cast: Cast, campaign: ReviewCampaign) -> None:
    carols_role = item_of(campaign, cast.carol, EntitlementKind.ROLE, RoleCode.DESK_HEAD)
    assert not my_items(user=cast.carol).filter(person=cast.carol).exists()
    with pytest.raises(PolicyRefusal) as refused:
        item_confirm(item=carols_role, by=cast.carol)
    assert refused.value.rule == "reviews.manager"
    # grace, security officer, decides carol's items but never her own.
    item_confirm(item=carols_role, by=cast.grace)
    graces_role = item_of(campaign, cast.grace, EntitlementKind.ROLE, RoleCode.SECURITY_OFFICER)
    with pytest.raises(PolicyRefusal):
        item_revoke(item=graces_role, by=cast.grace, reason="Leaving")
    assert not my_items(user=cast.grace).filter(person=cast.grace).exists()


def test_only_the_persons_managers_decide(cast: Cast, campaign: ReviewCampaign) -> None:
    alices = item_of(campaign, cast.alice, EntitlementKind.COMPARTMENT, "terrorism")
    for outsider in (cast.bob, cast.heidi, cast.dave, cast.grace, cast.frank, cast.erin):
        with pytest.raises(PolicyRefusal):
            item_confirm(item=alices, by=outsider)
    item_confirm(item=alices, by=cast.carol)
    with pytest.raises(Conflict, match="already been decided"):
        item_revoke(item=alices, by=cast.carol, reason="Changed my mind")


def test_a_revocation_needs_a_reason_and_applies_at_once(cast: Cast, campaign: ReviewCampaign) -> None:
    compartment = item_of(campaign, cast.alice, EntitlementKind.COMPARTMENT, "cyber")
    with pytest.raises(DomainError, match="reason"):
        item_revoke(item=compartment, by=cast.carol, reason="  ")
    assert ReviewItem.objects.get(pk=compartment.pk).is_pending
    item_revoke(item=compartment, by=cast.carol, reason="Left the cyber desk")
    alice = User.objects.get(pk=cast.alice.pk)
    assert sorted(alice.compartments.values_list("code", flat=True)) == ["terrorism"]
    role = item_of(campaign, cast.alice, EntitlementKind.ROLE, RoleCode.LIAISON_OFFICER)
    item_revoke(item=role, by=cast.carol, reason="Moved to analysis")
    assert not User.objects.get(pk=cast.alice.pk).roles.exists()
    entries = AuditEntry.objects.filter(event=AuditEvent.REVIEW_REVOKED, target_id=str(cast.alice.pk))
    assert sorted(e.details["code"] for e in entries) == ["cyber", "liaison_officer"]
    assert {e.actor_alias for e in entries} == {"CAROL"}


def test_a_clearance_is_lowered_to_the_level_chosen_or_removed(cast: Cast, campaign: ReviewCampaign) -> None:
    alices = item_of(campaign, cast.alice, EntitlementKind.CLEARANCE)
    with pytest.raises(DomainError, match="lower than the current clearance"):
        item_revoke(item=alices, by=cast.carol, reason="Too high", lowered_to=level("ts"))
    item_revoke(item=alices, by=cast.carol, reason="No SECRET work now", lowered_to=level("dr"))
    assert User.objects.get(pk=cast.alice.pk).clearance == level("dr")
    assert ReviewItem.objects.get(pk=alices.pk).new_clearance == level("dr")
    bobs = item_of(campaign, cast.bob, EntitlementKind.CLEARANCE)
    item_revoke(item=bobs, by=cast.carol, reason="Leaving the office")
    bob = User.objects.get(pk=cast.bob.pk)
    assert bob.clearance is None
    assert list(visible_to(type(cast.open_partner).objects.all(), bob)) == []


def test_confirm_the_rest_confirms_only_what_was_listed_and_is_still_pending(
    cast: Cast, campaign: ReviewCampaign
) -> None:
    revoked = item_of(campaign, cast.bob, EntitlementKind.ROLE, RoleCode.LIAISON_OFFICER)
    item_revoke(item=revoked, by=cast.carol, reason="Moved")
    listed = [i.pk for i in ReviewItem.objects.filter(campaign=campaign, person__in=[cast.alice, cast.bob])]
    carols_own = item_of(campaign, cast.carol, EntitlementKind.CLEARANCE).pk  # not hers to decide
    count = items_confirm_rest(campaign=campaign, item_ids=[*listed, carols_own], by=cast.carol)
    assert count == len(listed) - 1
    assert ReviewItem.objects.get(pk=revoked.pk).decision == ItemDecision.REVOKED
    assert ReviewItem.objects.get(pk=carols_own).is_pending
    assert ReviewItem.objects.filter(campaign=campaign, person=cast.heidi, decision=ItemDecision.PENDING).exists()
    with pytest.raises(DomainError, match="No item was listed"):
        items_confirm_rest(campaign=campaign, item_ids=[], by=cast.carol)


def test_closing_revokes_what_is_unanswered_by_default(cast: Cast, campaign: ReviewCampaign) -> None:
    item_confirm(item=item_of(campaign, cast.alice, EntitlementKind.CLEARANCE), by=cast.carol)
    with pytest.raises(PolicyRefusal):
        campaign_close(campaign=campaign, by=cast.carol)
    campaign_close(campaign=campaign, by=cast.grace)
    alice = User.objects.get(pk=cast.alice.pk)
    assert alice.clearance == level("s")  # confirmed
    assert not alice.compartments.exists() and not alice.roles.exists()  # unanswered: revoked
    assert ReviewItem.objects.filter(campaign=campaign, decision=ItemDecision.PENDING).count() == 0
    automatic = ReviewItem.objects.filter(campaign=campaign, is_automatic=True)
    assert automatic.count() == ReviewItem.objects.filter(campaign=campaign).count() - 1
    with pytest.raises(Conflict, match="already closed"):
        campaign_close(campaign=campaign, by=cast.grace)
    with pytest.raises(Conflict, match="closed"):
        item_confirm(item=item_of(campaign, cast.bob, EntitlementKind.CLEARANCE), by=cast.carol)


def test_closing_may_only_flag_what_is_unanswered(cast: Cast, campaign: ReviewCampaign, settings) -> None:
    settings.LIAISON_REVIEW_UNANSWERED = "flag"
    campaign_close(campaign=campaign, by=cast.frank)
    alice = User.objects.get(pk=cast.alice.pk)
    assert alice.clearance == level("s") and alice.compartments.count() == 2
    assert set(ReviewItem.objects.filter(campaign=campaign).values_list("decision", flat=True)) == {"flagged"}
    assert ReviewCampaign.objects.get(pk=campaign.pk).unanswered_outcome == "flag"


def test_the_result_is_signed_into_the_audit_log(cast: Cast, campaign: ReviewCampaign) -> None:
    item_revoke(
        item=item_of(campaign, cast.alice, EntitlementKind.COMPARTMENT, "cyber"), by=cast.carol, reason="Left cyber"
    )
    campaign = campaign_close(campaign=campaign, by=cast.grace)
    entry = AuditEntry.objects.get(event=AuditEvent.REVIEW_CAMPAIGN_CLOSED)
    assert entry.seq == campaign.result_seq and entry.actor_alias == "GRACE"
    document = json.loads(entry.details["result"])
    assert document["campaign"]["id"] == str(campaign.pk)
    cyber = next(d for d in document["decisions"] if d["entitlement"] == {"kind": "compartment", "code": "cyber"})
    assert cyber["decision"] == "revoked" and cyber["reason"] == "Left cyber"
    assert cyber["by"]["alias"] == "CAROL" and cyber["person"]["alias"] == "ALICE" and not cyber["automatic"]
    assert len(document["decisions"]) == ReviewItem.objects.filter(campaign=campaign).count()
    verdict = result_verify(campaign)
    assert verdict.ok, verdict.problems


def test_a_decision_changed_after_the_close_is_detected(cast: Cast, campaign: ReviewCampaign) -> None:
    campaign = campaign_close(campaign=campaign, by=cast.grace)
    item = item_of(campaign, cast.alice, EntitlementKind.COMPARTMENT, "terrorism")
    ReviewItem.objects.filter(pk=item.pk).update(decision=ItemDecision.CONFIRMED)
    verdict = result_verify(campaign)
    assert not verdict.ok
    assert verdict.problems == ["The decisions stored no longer match the signed result."]


def test_a_result_checked_with_another_key_fails(cast: Cast, campaign: ReviewCampaign) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    campaign = campaign_close(campaign=campaign, by=cast.grace)
    other = ed25519.Ed25519PrivateKey.generate().public_key()
    pem = other.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    verdict = result_verify(campaign, public_key_pem=pem)
    assert verdict.problems == ["The signature does not verify with the public key."]
