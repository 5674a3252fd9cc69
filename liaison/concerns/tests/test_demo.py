"""The demo's concerns: every state, answers with their reasons, five published without who asked."""

from __future__ import annotations

from liaison.accounts.models import RoleCode, User
from liaison.concerns.demo import CONCERNS, load_concerns_demo
from liaison.concerns.models import Concern, ConcernStatus
from liaison.concerns.services import identity_leaks
from liaison.testing.cast import make_user


def _headquarters() -> list[User]:
    staff = ["officer.junior", "analyst.ct2", "officer.africa", "analyst.cyber2", "head.europe"]
    officers = ["security.officer", "security.deputy"]
    return [make_user(login, (), "bci", "dr") for login in staff] + [
        make_user(login, (RoleCode.SECURITY_OFFICER,), "ssi", "s") for login in officers
    ]


def test_the_demo_has_concerns_in_every_state_and_published_answers_that_identify_nobody(db) -> None:
    counts = load_concerns_demo(users=_headquarters())
    assert counts == {"concerns": len(CONCERNS), "published_answers": 5}
    assert set(Concern.objects.values_list("status", flat=True)) == set(ConcernStatus.values)
    zinnia = User.objects.get(username="staff.post")
    assert (
        zinnia.role_codes() == frozenset() and zinnia.service is not None and zinnia.service.name_en == "Nairobi post"
    )
    assert Concern.objects.filter(requester=zinnia).count() >= 3
    for concern in Concern.objects.filter(is_published=True).select_related("requester"):
        assert identity_leaks(concern, concern.published_question, concern.published_answer) == []
        assert concern.published_at is not None and concern.answered_at is not None
        assert concern.created_at < concern.triaged_at < concern.answered_at <= concern.published_at  # type: ignore[operator]
