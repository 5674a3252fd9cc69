"""Follow-up services: creation with sticky markings and deadlines, and each step of a request's life."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.audit.models import AuditEntry
from liaison.core.exceptions import Conflict, DomainError, PolicyRefusal
from liaison.followup import services
from liaison.followup.models import FollowUpAction, FollowUpKind, FollowUpStatus
from liaison.policy.markings import Marking
from liaison.testing.cast import make_proliferation_item


def _rfi_in(cast, **extra):
    values = {
        "by": cast.alice,
        "kind": FollowUpKind.RFI_IN,
        "title": "Who owns +33 6 00 00 00 42?",
        "owner": cast.alice,
        "partner": cast.open_partner,
        "exchange": cast.exchange,
    }
    return services.followup_create(**{**values, **extra})


def test_a_partner_request_without_due_date_gets_the_default_of_its_priority(cast):
    before = timezone.now()
    urgent = _rfi_in(cast, priority="urgent")
    assert before + timedelta(hours=8) <= urgent.due_at <= timezone.now() + timedelta(hours=8)
    assert urgent.events.get().action == FollowUpAction.CREATED
    assert AuditEntry.objects.filter(target_id=str(urgent.pk), event="object.created").exists()


def test_a_due_date_in_the_past_is_refused(cast):
    with pytest.raises(DomainError, match="in the past"):
        _rfi_in(cast, due_at=timezone.now() - timedelta(minutes=1))


def test_markings_are_at_least_those_of_what_is_linked(cast):
    item = make_proliferation_item(cast)
    followup = services.followup_create(
        by=cast.carol,
        kind=FollowUpKind.TASK,
        title="Check the centrifuge parts",
        owner=cast.carol,
        items=[item],
        raise_to=Marking(rank=3),
    )
    marking = followup.marking()
    assert marking.rank == 3 and "proliferation" in marking.compartments
    assert str(cast.prolif_partner.pk) in marking.originators


def test_the_writer_must_read_every_link(cast):
    item = make_proliferation_item(cast)
    with pytest.raises(DomainError, match="Unknown item"):
        services.followup_create(by=cast.alice, kind="task", title="x", owner=cast.alice, items=[item])


def test_an_owner_who_could_not_read_it_is_refused_with_the_reason(cast):
    with pytest.raises(DomainError, match="BOB cannot own this follow-up: Their clearance is below"):
        _rfi_in(cast, owner=cast.bob, raise_to=Marking(rank=3))


def test_acknowledge_with_an_estimate_then_re_estimate_with_a_reason(cast):
    followup = _rfi_in(cast)
    with pytest.raises(DomainError, match="earlier than the acknowledgement"):
        services.followup_acknowledge(by=cast.alice, followup=followup, estimate_at=timezone.now() - timedelta(hours=1))
    estimate = timezone.now() + timedelta(days=2)
    followup = services.followup_acknowledge(by=cast.alice, followup=followup, estimate_at=estimate)
    assert followup.status == FollowUpStatus.ACKNOWLEDGED and followup.estimate_at == estimate
    with pytest.raises(DomainError, match="needs a reason"):
        services.followup_reestimate(by=cast.alice, followup=followup, estimate_at=estimate, reason=" ")
    later = estimate + timedelta(days=1)
    followup = services.followup_reestimate(by=cast.alice, followup=followup, estimate_at=later, reason="Waiting")
    assert followup.estimate_at == later
    assert [e.action for e in followup.events.all()] == ["created", "acknowledged", "re_estimated"]


def test_an_acknowledgement_given_earlier_refuses_an_estimate_before_it(cast):
    followup = _rfi_in(cast)
    sent = timezone.now() - timedelta(hours=3)
    with pytest.raises(DomainError, match="earlier than the acknowledgement"):
        services.followup_acknowledge(
            by=cast.alice, followup=followup, acknowledged_at=sent, estimate_at=sent - timedelta(minutes=1)
        )


def test_outgoing_request_records_the_partners_acknowledgement_and_answer(cast):
    followup = _rfi_in(cast, kind=FollowUpKind.RFI_OUT, title="Ask them for the courier's name")
    with pytest.raises(Conflict):
        services.followup_acknowledge(by=cast.alice, followup=followup, estimate_at=timezone.now())
    followup = services.followup_record_partner_ack(
        by=cast.alice, followup=followup, estimate_at=timezone.now() + timedelta(days=5), partner_reference="REF-9"
    )
    assert followup.partner_reference == "REF-9" and followup.status == FollowUpStatus.ACKNOWLEDGED
    followup = services.followup_answer(by=cast.alice, followup=followup, outcome="Name given: X.", items=[cast.item])
    assert followup.status == FollowUpStatus.ANSWERED and followup.closed_by == cast.alice
    assert list(followup.items.all()) == [cast.item]


def test_refusal_needs_reasons_and_a_closed_followup_takes_no_comment(cast):
    followup = _rfi_in(cast)
    with pytest.raises(DomainError, match="reasons"):
        services.followup_refuse(by=cast.alice, followup=followup, reasons="")
    followup = services.followup_refuse(by=cast.alice, followup=followup, reasons="Outside our agreement.")
    assert followup.outcome == "Outside our agreement."
    with pytest.raises(Conflict, match="reopen it first"):
        services.followup_comment(by=cast.alice, followup=followup, comment="One more thing")


def test_reopen_after_the_due_date_needs_a_new_due_date(cast, clock):
    followup = _rfi_in(cast, due_at=clock.now + timedelta(hours=1))
    followup = services.followup_refuse(by=cast.alice, followup=followup, reasons="No.")
    clock.advance(7200)
    with pytest.raises(DomainError, match="give a new due date"):
        services.followup_reopen(by=cast.alice, followup=followup, reason="They insisted")
    followup = services.followup_reopen(
        by=cast.alice, followup=followup, reason="They insisted", due_at=clock.now + timedelta(days=1)
    )
    assert followup.status == FollowUpStatus.OPEN and followup.closed_at is None


def test_only_owner_or_desk_head_moves_it_along(cast):
    followup = _rfi_in(cast)
    with pytest.raises(DomainError, match="Unknown follow-up"):  # bob may not read it: told as if it did not exist
        services.followup_comment(by=cast.bob, followup=followup, comment="?")
    given = services.followup_create(by=cast.alice, kind="task", title="Brief the head", owner=cast.carol)
    with pytest.raises(PolicyRefusal, match="comment instead"):  # alice wrote it and reads it, carol owns it
        services.followup_complete(by=cast.alice, followup=given)
    task = services.followup_create(by=cast.alice, kind="task", title="Write notes", owner=cast.alice)
    assert services.followup_complete(by=cast.carol, followup=task).status == FollowUpStatus.DONE
    with pytest.raises(Conflict):
        services.followup_complete(by=cast.alice, followup=followup)  # a request is answered, not done


def test_reassign_to_someone_who_can_read_it(cast):
    followup = _rfi_in(cast, raise_to=Marking(rank=3, compartments=frozenset({"terrorism"})))
    with pytest.raises(DomainError, match="BOB cannot own"):
        services.followup_reassign(by=cast.alice, followup=followup, to_user=cast.bob)
    followup = services.followup_reassign(by=cast.carol, followup=followup, to_user=cast.carol)
    assert followup.owner == cast.carol
    assert list(followup.events.all())[-1].action == FollowUpAction.ASSIGNED
