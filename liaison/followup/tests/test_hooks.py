"""Follow-ups opened by other workflows: report approval, consent requests, questions from recipient services, and
the hand-over of an officer's files."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from liaison.core.exceptions import DomainError, PolicyRefusal
from liaison.followup.hooks import followup_ask_about_report, followup_handover
from liaison.followup.models import FollowUp, FollowUpKind, FollowUpStatus
from liaison.followup.selectors import followup_list
from liaison.followup.services import followup_create
from liaison.policy.markings import Marking
from liaison.releases import services as releases
from liaison.reports.services import report_approve, report_submit
from liaison.testing.cast import make_report, make_user
from liaison.testing.release_cast import release_cast


def _approved_with(cast, proposed: str, clock=None):
    report = make_report(cast.alice, cast.exchange, cast.item)
    report.proposed_followups = proposed
    report.save(update_fields=["proposed_followups"])
    return report_approve(by=cast.carol, report=report_submit(by=cast.alice, report=report))


def test_proposed_followups_become_tasks_of_the_author_on_approval(cast, clock):
    clock.now = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
    report = _approved_with(cast, "- Send the list of numbers [2026-12-04]\n- Call back about the visit\n")
    tasks = list(FollowUp.objects.filter(report=report).order_by("title"))
    assert [t.title for t in tasks] == ["Call back about the visit", "Send the list of numbers"]
    assert all(t.kind == FollowUpKind.TASK and t.owner == cast.alice and t.exchange == cast.exchange for t in tasks)
    assert tasks[1].due_at == datetime(2026, 12, 4, 17, 0, tzinfo=UTC)  # 18:00 in Paris
    assert tasks[0].due_at == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # the 3-day default
    assert tasks[0].marking() == report.marking()


def test_a_refused_approval_creates_no_followup(cast):
    report = make_report(cast.alice, cast.exchange, cast.item)
    report.proposed_followups = "Send the list"
    report.save(update_fields=["proposed_followups"])
    with pytest.raises(PolicyRefusal):
        report_approve(by=cast.alice, report=report_submit(by=cast.alice, report=report))  # four eyes
    assert not FollowUp.objects.filter(report=report).exists()


def test_a_consent_request_is_followed_up_until_answered(cast):
    request = release_cast(cast).consent_request
    followup = FollowUp.objects.get(consent_request=request)
    assert followup.kind == FollowUpKind.CONSENT and followup.owner == cast.alice
    assert followup.partner == cast.open_partner and list(followup.items.all()) == [cast.item]
    releases.consent_record(
        by=cast.alice,
        originator_kind="partner",
        originator_partner=cast.open_partner,
        items=[cast.item],
        partner=cast.secret_partner,
        granted=True,
        reference="MSG-7",
        request=request,
    )
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.ANSWERED


def test_a_withdrawn_consent_request_cancels_its_followup(cast):
    request = release_cast(cast).consent_request
    releases.consent_request_withdraw(by=cast.alice, request=request)
    assert FollowUp.objects.get(consent_request=request).status == FollowUpStatus.CANCELLED


def test_a_recipient_asks_the_author_about_a_report(cast):
    followup = followup_ask_about_report(by=cast.dave, report=cast.sent_report, question="Is the number current?")
    assert followup.kind == FollowUpKind.RFI_INTERNAL and followup.owner == cast.alice
    assert followup.requested_by_service == cast.dave.service
    assert list(followup_list(user=cast.dave)) == [followup]
    assert followup in followup_list(user=cast.alice)


def test_only_a_recipient_service_asks_about_a_report(cast):
    with pytest.raises(PolicyRefusal):
        followup_ask_about_report(by=cast.carol, report=cast.sent_report, question="?")
    with pytest.raises(DomainError, match="Unknown report"):
        followup_ask_about_report(by=cast.dave, report=cast.draft_report, question="?")


def _successor(cast):
    return make_user("ivan", ("liaison_officer",), "bci", "s", ("terrorism",))


def test_handover_moves_open_followups_and_partners_with_a_note(cast):
    ivan = _successor(cast)
    cast.open_partner.officers_in_charge.add(cast.alice)
    open_one = followup_create(by=cast.alice, kind="task", title="Brief", owner=cast.alice)
    closed = followup_create(by=cast.alice, kind="task", title="Old", owner=cast.alice)
    closed.status = FollowUpStatus.DONE
    closed.save()
    handover = followup_handover(from_user=cast.alice, to_user=ivan, note="See the dossier.", by=cast.carol)
    assert handover.counts == {"followups": 1, "partners": 1}
    open_one.refresh_from_db()
    closed.refresh_from_db()
    assert open_one.owner == ivan and closed.owner == cast.alice
    assert list(open_one.events.all())[-1].comment == "See the dossier."
    assert list(cast.open_partner.officers_in_charge.all()) == [ivan]


def test_handover_is_refused_counting_what_the_successor_could_not_read(cast):
    ivan = _successor(cast)
    followup_create(by=cast.alice, kind="task", title="A", owner=cast.alice, raise_to=Marking(rank=3))
    followup_create(
        by=cast.alice,
        kind="task",
        title="B",
        owner=cast.alice,
        raise_to=Marking(rank=1, compartments=frozenset({"cyber"})),
    )
    with pytest.raises(DomainError, match="could not read 1 of these follow-ups and 0 of these partners"):
        followup_handover(from_user=cast.alice, to_user=ivan, note="n", by=cast.carol)
    assert FollowUp.objects.filter(owner=cast.alice).count() == 2  # all or nothing


def test_only_a_desk_head_of_the_service_hands_over(cast):
    ivan = _successor(cast)
    with pytest.raises(PolicyRefusal):
        followup_handover(from_user=cast.alice, to_user=ivan, note="n", by=cast.alice)
    with pytest.raises(DomainError, match="same service"):
        followup_handover(from_user=cast.alice, to_user=cast.dave, note="n", by=cast.carol)
    assert timezone.now()
