"""The demo's plan: a year into its life, in every state, on the three lines, mapped and evidenced; the same twice."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

import liaison.demo.office  # noqa: F401 - the demo modules import each other; the office loads them in order
from liaison.accounts.models import RoleCode, User
from liaison.security.demo import load_plan_demo
from liaison.security.models import Measure, MeasureEvidence, MeasureStatus, MeasureUpdate
from liaison.security.selectors import coverage, overdue_q
from liaison.testing.cast import make_user

LOGINS = {
    "security.officer": (RoleCode.SECURITY_OFFICER,),
    "security.deputy": (RoleCode.SECURITY_OFFICER,),
    "auditor": (RoleCode.AUDITOR,),
    "admin": (RoleCode.ADMINISTRATOR,),
    "admin.deputy": (RoleCode.ADMINISTRATOR,),
    "head.office": (RoleCode.DESK_HEAD,),
    "head.ct": (RoleCode.DESK_HEAD,),
}


class _Rollback(Exception):
    pass


def _users() -> list[User]:
    return [make_user(login, roles, "ssi", "s") for login, roles in LOGINS.items()]


def _history() -> list[tuple]:
    return list(MeasureUpdate.objects.order_by("created_at").values_list("measure__reference", "status", "progress"))


@pytest.mark.django_db
def test_the_demo_plan_is_a_year_old_in_every_state_and_evidenced() -> None:
    counts = load_plan_demo(rng=random.Random(7), users=_users())
    assert counts["plan_measures"] == Measure.objects.count() >= 20
    assert set(Measure.objects.values_list("status", flat=True)) == set(MeasureStatus.values)
    assert set(Measure.objects.values_list("line", flat=True)) == {1, 2, 3}
    assert Measure.objects.filter(overdue_q()).count() >= 3
    days = [timezone.localdate(u.created_at) for u in MeasureUpdate.objects.all()]
    assert len({day.replace(day=1) for day in days}) >= 11  # monthly updates over the past year
    assert timezone.localdate() - timedelta(days=366) <= min(days) and max(days) < timezone.localdate()
    assert all(m.completed_on for m in Measure.objects.filter(status=MeasureStatus.DONE))
    assert MeasureEvidence.objects.count() == counts["plan_evidence"] >= 3
    assert not Measure.objects.filter(controls=None).exists()
    [cov] = coverage()
    essential = cov.levels[-1]
    assert 0 < essential.done < essential.mapped < essential.controls


@pytest.mark.django_db
def test_the_demo_plan_is_the_same_for_the_same_seed() -> None:
    users = _users()
    first: list[tuple] = []
    try:
        with transaction.atomic():
            load_plan_demo(rng=random.Random(7), users=users)
            first = _history()
            raise _Rollback
    except _Rollback:
        pass
    load_plan_demo(rng=random.Random(7), users=users)
    assert len(first) > 50 and _history() == first
