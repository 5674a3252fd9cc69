"""The concerns' workflow through its services: references, triage, answer, closing, publication and its refusal
when the text would identify the requester."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.concerns.models import Concern, ConcernStatus
from liaison.concerns.services import (
    concern_answer,
    concern_close,
    concern_publish,
    concern_submit,
    concern_triage,
    concern_unpublish,
    identity_leaks,
)
from liaison.core.exceptions import Conflict, DomainError, InputFieldError
from liaison.notifications.models import Notification, NotificationKind
from liaison.testing.cast import Cast
from liaison.testing.clock import Clock
from liaison.testing.matrix_concerns import alices_concern


def _submit(cast: Cast, **changes: str) -> Concern:
    fields = {
        "category": "travel",
        "subject": "Phone at the border",
        "description": "Customs asked me to unlock my work phone.",
        "post_or_service": "Nairobi post",
    } | changes
    return concern_submit(by=cast.ivy, **fields)


def test_references_follow_each_other_within_the_year(cast: Cast, clock: Clock) -> None:
    clock.now = datetime(2026, 3, 1, 9, tzinfo=UTC)
    first, second = _submit(cast), _submit(cast)
    clock.now = datetime(2027, 1, 2, 9, tzinfo=UTC)
    assert (first.reference, second.reference, _submit(cast).reference) == (
        "PR-2026-0001",
        "PR-2026-0002",
        "PR-2027-0001",
    )


def test_a_reference_taken_meanwhile_makes_the_submission_take_the_next(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two submissions racing read the same highest number; the second insert fails on the unique reference and
    retries with the next number."""
    from liaison.concerns import services

    taken = _submit(cast)
    stale = iter([taken.reference])
    real = services._next_reference
    monkeypatch.setattr(services, "_next_reference", lambda year: next(stale, None) or real(year))
    later = _submit(cast)
    assert later.reference != taken.reference and Concern.objects.count() == 2


def test_submission_is_audited(cast: Cast) -> None:
    concern = _submit(cast)
    entry = AuditEntry.objects.get(event=AuditEvent.CONCERN_SUBMITTED)
    assert entry.target_id == str(concern.pk) and entry.actor_id == str(cast.ivy.pk)


@pytest.mark.parametrize(
    ("field", "value"),
    [("subject", "   "), ("subject", "x" * 201), ("description", "a\x00b"), ("post_or_service", ""), ("category", "x")],
)
def test_bad_input_is_refused_and_nothing_is_written(cast: Cast, field: str, value: str) -> None:
    with pytest.raises(InputFieldError) as refused:
        _submit(cast, **{field: value})
    assert refused.value.field == field and not Concern.objects.exists()


def test_answering_needs_a_triage_first(cast: Cast) -> None:
    concern = _submit(cast)
    with pytest.raises(Conflict, match="Triage"):
        concern_answer(concern=concern, by=cast.grace, outcome="advice", answer="Fine.")


def test_the_workflow_stamps_each_step_and_notifies_the_requester(cast: Cast) -> None:
    concern = _submit(cast)
    concern = concern_triage(concern=concern, by=cast.grace, severity="high", owner=cast.grace)
    assert concern.status == ConcernStatus.TRIAGED and concern.triaged_at is not None
    first_triage = concern.triaged_at
    concern = concern_triage(concern=concern, by=cast.grace, severity="low", owner=cast.grace)
    assert concern.triaged_at == first_triage and concern.severity == "low"
    concern = concern_answer(concern=concern, by=cast.grace, outcome="will_not_do", answer="Comply; report it after.")
    assert (concern.status, concern.answered_by) == (ConcernStatus.ANSWERED, cast.grace)
    assert Notification.objects.filter(recipient=cast.ivy, kind=NotificationKind.CONCERN_ANSWERED).count() == 1
    concern = concern_close(concern=concern, by=cast.grace)
    assert concern.status == ConcernStatus.CLOSED and concern.closed_at is not None
    events = set(AuditEntry.objects.filter(target_id=str(concern.pk)).values_list("event", flat=True))
    assert {AuditEvent.CONCERN_TRIAGED, AuditEvent.CONCERN_ANSWERED, AuditEvent.CONCERN_CLOSED} <= events


def test_only_a_security_officer_handles_a_concern(cast: Cast) -> None:
    with pytest.raises(InputFieldError, match="security officer"):
        concern_triage(concern=_submit(cast), by=cast.grace, severity="high", owner=cast.erin)


def test_an_unanswered_concern_cannot_be_closed_or_published(cast: Cast) -> None:
    concern = _submit(cast)
    with pytest.raises(Conflict, match="Answer the concern"):
        concern_close(concern=concern, by=cast.grace)
    with pytest.raises(Conflict, match="answered"):
        concern_publish(concern=concern, by=cast.grace, question="Q?", answer="A.")


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("ALICE asked whether the invitation is safe.", "alias"),
        ("Asked by alice.", "alias"),
        ("Reported by First-alice Last-alice.", "civil name"),
        ("last-alice asked us.", "civil name"),
        ("A colleague of the bureau of international cooperation asked.", "post or service"),
    ],
)
def test_publication_is_refused_when_the_text_identifies_the_requester(cast: Cast, text: str, what: str) -> None:
    concern = alices_concern(cast, "answered")
    with pytest.raises(DomainError, match=what):
        concern_publish(concern=concern, by=cast.grace, question="Is it safe?", answer=text)
    concern.refresh_from_db()
    assert not concern.is_published and concern.published_answer == ""


def test_a_word_that_merely_contains_an_alias_is_not_a_leak(cast: Cast) -> None:
    concern = alices_concern(cast, "answered")
    assert identity_leaks(concern, "Malice is rare; phishing is not.") == []


def test_publishing_then_withdrawing(cast: Cast) -> None:
    concern = alices_concern(cast, "answered")
    concern = concern_publish(concern=concern, by=cast.grace, question="Is it safe?", answer="No: report it.")
    assert concern.is_published and concern.published_at is not None
    concern = concern_unpublish(concern=concern, by=cast.grace)
    assert not concern.is_published and concern.published_answer == "No: report it."
    with pytest.raises(Conflict):
        concern_unpublish(concern=concern, by=cast.grace)
