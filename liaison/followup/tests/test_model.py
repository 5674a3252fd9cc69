"""The follow-up model's audience and state properties, read through the selectors."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from liaison.followup.models import FollowUp, FollowUpKind, FollowUpStatus
from liaison.followup.selectors import followup_get, followup_list, followup_open_for
from liaison.policy.access import users_who_can_see
from liaison.testing.cast import level


def _followup(cast, *, owner, kind=FollowUpKind.TASK, due_in=timedelta(days=1), **extra):
    return FollowUp.objects.create(
        kind=kind,
        title="Send the meeting notes",
        owner=owner,
        due_at=timezone.now() + due_in,
        classification=level("dr"),
        created_by=cast.carol,
        **extra,
    )


def test_owner_and_author_see_a_followup_others_get_404(cast):
    followup = _followup(cast, owner=cast.alice)
    assert list(followup_open_for(user=cast.alice)) == [followup]
    assert followup_get(user=cast.carol, pk=followup.pk) == followup
    assert not followup_list(user=cast.bob).exists()
    with pytest.raises(Http404):
        followup_get(user=cast.bob, pk=followup.pk)


def test_internal_question_is_seen_by_the_requesting_service(cast):
    followup = _followup(cast, owner=cast.alice, kind=FollowUpKind.RFI_INTERNAL, requested_by_service=cast.dave.service)
    assert list(followup_list(user=cast.dave)) == [followup]
    assert set(users_who_can_see(followup)) == {cast.alice, cast.carol, cast.dave}


def test_overdue_and_slipping(cast):
    followup = _followup(cast, owner=cast.alice, due_in=-timedelta(hours=1))
    assert followup.is_overdue and not followup.is_slipping
    assert list(followup_list(user=cast.alice, overdue=True)) == [followup]
    followup.estimate_at = timezone.now() - timedelta(minutes=5)
    assert followup.is_slipping
    followup.status = FollowUpStatus.DONE
    assert not followup.is_overdue and not followup.is_slipping and not followup.is_open
