"""Builders of the committee report's tests: a second security officer (four eyes), and plan, indicator and concern
rows written with the ORM at chosen times (the other apps' services are not needed to count them)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from liaison.accounts.models import RoleCode, User
from liaison.committee.models import CommitteeReport, CommitteeStatus
from liaison.committee.services import committee_report_comment, committee_report_create, committee_report_submit
from liaison.concerns.models import Concern
from liaison.security.models import (
    Framework,
    FrameworkControl,
    Indicator,
    IndicatorSample,
    Measure,
    MeasureUpdate,
    Objective,
)
from liaison.testing.cast import Cast, make_user

SEPTEMBER = date(2026, 9, 1)
Q3 = date(2026, 7, 1)


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def deputy(cast: Cast) -> User:
    """A second security officer, who approves what grace prepares."""
    return make_user("sasha", (RoleCode.SECURITY_OFFICER,), "ssi", "s")


def stamp(obj: Any, **times: datetime) -> None:
    """Set auto-managed timestamps (created_at...) the way they would have been written at that time."""
    type(obj).objects.filter(pk=obj.pk).update(**times)
    for name, value in times.items():
        setattr(obj, name, value)


def objective(by: User, reference: str = "OBJ-1") -> Objective:
    return Objective.objects.create(reference=reference, title="Protect the accounts", created_by=by)


def measure(
    by: User,
    reference: str,
    *,
    line: int,
    status: str,
    progress: int,
    due_on: date,
    created: datetime,
    objective_: Objective | None = None,
) -> Measure:
    obj = objective_ or Objective.objects.first() or objective(by)
    m = Measure.objects.create(
        objective=obj,
        reference=reference,
        title=reference,
        line=line,
        owner=by,
        due_on=due_on,
        status=status,
        progress=progress,
        created_by=by,
    )
    stamp(m, created_at=created)
    return m


def update(m: Measure, by: User, *, status: str, progress: int, when: datetime) -> MeasureUpdate:
    u = MeasureUpdate.objects.create(measure=m, author=by, status=status, progress=progress)
    stamp(u, created_at=when)
    return u


def framework(code: str = "cyfun") -> Framework:
    return Framework.objects.create(
        code=code,
        version="2025",
        name_fr="CyberFondamentaux",
        name_en="CyberFundamentals",
        source_name="x.yaml",
        source_sha256="0" * 64,
    )


def control(fw: Framework, control_id: str, level: str, position: int = 0) -> FrameworkControl:
    return FrameworkControl.objects.create(
        framework=fw,
        control_id=control_id,
        level=level,
        function="PR",
        title_fr=control_id,
        title_en=control_id,
        position=position,
    )


def sample(code: str, when: datetime, value: float) -> IndicatorSample:
    indicator = Indicator.objects.get(code=code)
    return IndicatorSample.objects.create(
        indicator=indicator, computed_at=when, value=value, is_met=indicator.is_met(value)
    )


def concern(
    requester: User, reference: str, category: str, *, raised: datetime, answered: datetime | None = None
) -> Concern:
    c = Concern.objects.create(
        reference=reference,
        requester=requester,
        category=category,
        subject=reference,
        description="?",
        post_or_service="Post",
        answered_at=answered,
        status="answered" if answered else "submitted",
    )
    stamp(c, created_at=raised)
    return c


def submitted(by: User, *, start: date = SEPTEMBER, kind: str = "month", language: str = "en") -> CommitteeReport:
    report = committee_report_create(kind=kind, start=start, language=language, by=by)
    committee_report_comment(report=report, commentary="The plan is on track; second factors lag behind.", by=by)
    report = committee_report_submit(report=report, by=by)
    assert report.status == CommitteeStatus.SUBMITTED
    return report
