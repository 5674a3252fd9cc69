"""The strengthening plan: measures' history and status rules, the owner rule, the auditor's read-only view,
evidence encrypted at rest, live indicators on a measure, coverage counted per level and function, and the plan's
overview and coverage pages at a constant number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import RoleCode
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry, ReadRecord
from liaison.core.exceptions import DomainError, PolicyRefusal
from liaison.security.models import (
    Framework,
    Indicator,
    IndicatorCode,
    IndicatorSample,
    LineOfDefence,
    Measure,
    MeasureEvidence,
    MeasureStatus,
    Objective,
)
from liaison.security.selectors import coverage
from liaison.security.services import (
    evidence_add,
    evidence_read,
    framework_import,
    measure_save,
    measure_update_add,
    objective_save,
)
from liaison.testing.cast import Cast, make_user
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries

CATALOGUE = """framework: {code: tiny, version: "1", name_fr: Petit, name_en: Tiny}
controls:
- {id: B-1, level: basic, function: PR, title_fr: b1, title_en: b1}
- {id: B-2, level: basic, function: DE, title_fr: b2, title_en: b2}
- {id: I-1, level: important, function: PR, title_fr: i1, title_en: i1}
- {id: I-2, level: important, function: RS, title_fr: i2, title_en: i2}
- {id: E-1, level: essential, function: PR, title_fr: e1, title_en: e1}
"""


def _objective(cast: Cast, reference: str = "OBJ-1") -> Objective:
    return objective_save(reference=reference, title="Strong authentication", by=cast.grace)


def _measure(cast: Cast, reference: str = "M-1", owner: Any = None, **extra: Any) -> Measure:
    values: dict[str, Any] = {
        "objective": extra.pop("objective", None) or Objective.objects.first() or _objective(cast),
        "reference": reference,
        "title": f"Measure {reference}",
        "line": LineOfDefence.FIRST,
        "owner": owner or cast.alice,
        "due_on": timezone.localdate() + timedelta(days=30),
        "by": cast.grace,
    }
    return measure_save(**(values | extra))


def test_a_new_measure_is_planned_at_zero_and_audited(cast: Cast) -> None:
    measure = _measure(cast)
    assert (measure.status, measure.progress, measure.completed_on) == (MeasureStatus.PLANNED, 0, None)
    assert AuditEntry.objects.filter(event=AuditEvent.MEASURE_CREATED, target_id=str(measure.pk)).exists()


def test_each_update_is_kept_in_the_history_with_the_state_it_left(cast: Cast) -> None:
    measure = _measure(cast)
    measure_update_add(measure=measure, by=cast.alice, status=MeasureStatus.IN_PROGRESS, progress=30)
    measure_update_add(measure=measure, by=cast.grace, comment="Blocked by procurement", status="blocked", progress=30)
    history = list(measure.updates.order_by("created_at").values_list("status", "progress", "comment"))
    assert history == [("in_progress", 30, ""), ("blocked", 30, "Blocked by procurement")]
    measure.refresh_from_db()
    assert (measure.status, measure.progress) == ("blocked", 30)


def test_done_sets_the_completion_date_and_full_progress_and_reopening_clears_it(cast: Cast) -> None:
    measure = _measure(cast)
    measure_update_add(measure=measure, by=cast.alice, status=MeasureStatus.DONE, progress=60)
    measure.refresh_from_db()
    assert (measure.progress, measure.completed_on) == (100, timezone.localdate())
    measure_update_add(measure=measure, by=cast.grace, comment="Reopened", status="in_progress", progress=90)
    measure.refresh_from_db()
    assert (measure.status, measure.completed_on) == ("in_progress", None)


def test_an_update_that_changes_nothing_or_is_out_of_range_is_refused(cast: Cast) -> None:
    measure = _measure(cast)
    with pytest.raises(DomainError, match="Nothing changed"):
        measure_update_add(measure=measure, by=cast.alice, status="planned", progress=0)
    with pytest.raises(DomainError, match="from 0 to 100"):
        measure_update_add(measure=measure, by=cast.alice, status="planned", progress=101)
    assert not measure.updates.exists()


def test_only_the_owner_or_a_security_officer_reports_on_a_measure(cast: Cast) -> None:
    measure = _measure(cast, owner=cast.alice)
    for outsider in (cast.bob, cast.erin, cast.carol):
        with pytest.raises(PolicyRefusal):
            measure_update_add(measure=measure, by=outsider, comment="x", status="planned", progress=5)
        with pytest.raises(PolicyRefusal):
            evidence_add(measure=measure, by=outsider, filename="a.txt", data=b"a")
    with pytest.raises(PolicyRefusal):
        _measure(cast, reference="M-2", by=cast.erin)


def test_evidence_is_stored_encrypted_and_read_back_with_the_read_recorded(cast: Cast) -> None:
    measure = _measure(cast)
    data = b"Training attendance: 412 of 430 staff.\n"
    evidence = evidence_add(measure=measure, by=cast.alice, filename="attendance.txt", data=data)
    stored = MeasureEvidence.objects.get(pk=evidence.pk)
    assert data not in bytes(stored.ciphertext) and bytes(stored.ciphertext) != data
    assert evidence_read(evidence=stored, by=cast.erin) == data
    assert ReadRecord.objects.filter(actor_id=cast.erin.pk, target_id=str(evidence.pk)).exists()


def test_a_disguised_evidence_file_is_refused(cast: Cast) -> None:
    with pytest.raises(DomainError, match=r"not a \.pdf file"):
        evidence_add(measure=_measure(cast), by=cast.alice, filename="report.pdf", data=b"MZ\x90\x00binary")
    assert not MeasureEvidence.objects.exists()


def test_the_owner_sees_my_measures_and_posts_an_update_and_evidence(cast: Cast, client: Client) -> None:
    measure = _measure(cast, owner=cast.ivy)
    login_as(client, cast.ivy)
    assert measure.reference in client.get("/security/plan/mine/").content.decode()
    page = client.get(f"/security/plan/measures/{measure.pk}/").content.decode()
    assert "Record an update" in page
    response = client.post(
        f"/security/plan/measures/{measure.pk}/update/", {"status": "in_progress", "progress": "50", "comment": "Half"}
    )
    assert response.status_code == 302
    upload = SimpleUploadedFile("proof.txt", b"done half\n", content_type="text/plain")
    assert client.post(f"/security/plan/measures/{measure.pk}/evidence/", {"file": upload}).status_code == 302
    evidence = MeasureEvidence.objects.get()
    assert client.get(f"/security/plan/evidence/{evidence.pk}/").content == b"done half\n"
    assert client.get("/security/plan/").status_code == 404


def test_someone_elses_measure_answers_404_to_an_owner(cast: Cast, client: Client) -> None:
    bobs = _measure(cast, reference="M-2", owner=cast.bob)
    _measure(cast, owner=cast.alice)
    login_as(client, cast.alice)
    assert client.get(f"/security/plan/measures/{bobs.pk}/").status_code == 404
    assert bobs.reference not in client.get("/security/plan/mine/").content.decode()


def test_the_auditor_reads_the_measure_without_any_form_and_cannot_post(cast: Cast, client: Client) -> None:
    measure = _measure(cast)
    evidence_add(measure=measure, by=cast.alice, filename="keys.txt", data=b"keys")
    login_as(client, cast.erin)
    page = client.get(f"/security/plan/measures/{measure.pk}/").content.decode()
    assert "keys.txt" in page and '<form method="post"' not in page and "Edit" not in page
    assert "New objective" not in client.get("/security/plan/").content.decode()
    post = {"status": "done", "progress": "100", "comment": "x"}
    assert client.post(f"/security/plan/measures/{measure.pk}/update/", post).status_code == 404
    assert client.get(f"/security/plan/measures/{measure.pk}/edit/").status_code == 404
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PLANNED


def test_a_second_security_officer_edits_the_plan_too(cast: Cast) -> None:
    deputy = make_user("deputy", (RoleCode.SECURITY_OFFICER,), "ssi", "s")
    measure = _measure(cast)
    measure_save(
        measure=measure,
        objective=measure.objective,
        reference="M-1",
        title="Renamed",
        line=LineOfDefence.SECOND,
        owner=deputy,
        due_on=measure.due_on,
        by=deputy,
    )
    measure.refresh_from_db()
    assert (measure.title, measure.line, measure.owner) == ("Renamed", 2, deputy)


def test_a_measure_shows_its_indicators_green_or_red_from_the_last_computation(cast: Cast, client: Client) -> None:
    mfa = Indicator.objects.get(code=IndicatorCode.SECOND_FACTOR_SHARE)
    locked = Indicator.objects.get(code=IndicatorCode.LOCKED_ACCOUNTS)
    chain = Indicator.objects.get(code=IndicatorCode.AUDIT_CHAIN_INTACT)
    measure = _measure(cast, indicators=[mfa, locked, chain])
    now = timezone.now()
    IndicatorSample.objects.create(indicator=mfa, computed_at=now - timedelta(days=1), value=10, is_met=False)
    IndicatorSample.objects.create(indicator=mfa, computed_at=now, value=99, is_met=True)
    IndicatorSample.objects.create(indicator=locked, computed_at=now, value=50, is_met=False)
    login_as(client, cast.grace)
    page = client.get(f"/security/plan/measures/{measure.pk}/").content.decode()
    assert page.count("indicator-green") == 1 and page.count("indicator-red") == 1
    assert "not computed yet" in page


def test_coverage_counts_match_a_hand_count(cast: Cast) -> None:
    framework = framework_import(name="tiny.yaml", data=CATALOGUE.encode(), by=None)
    control = {c.control_id: c for c in framework.controls.all()}
    done = _measure(cast, reference="M-1", controls=[control["B-1"], control["I-1"]])
    measure_update_add(measure=done, by=cast.grace, status=MeasureStatus.DONE, progress=100)
    _measure(cast, reference="M-2", controls=[control["I-1"], control["E-1"]])
    abandoned = _measure(cast, reference="M-3", controls=[control["B-2"]])
    measure_update_add(measure=abandoned, by=cast.grace, comment="Dropped", status="abandoned", progress=0)
    [result] = coverage()
    levels = {row.key: (row.controls, row.mapped, row.done) for row in result.levels}
    # Basic: B-1 (done), B-2 (abandoned only). Important adds I-1 (done and in progress), I-2 (none).
    # Essential adds E-1 (in progress).
    assert levels == {"basic": (2, 1, 1), "important": (4, 2, 2), "essential": (5, 3, 2)}
    functions = {row.key: (row.controls, row.mapped, row.done) for row in result.functions}
    assert functions["PR"] == (3, 3, 2) and functions["DE"] == (1, 0, 0) and functions["RS"] == (1, 0, 0)
    assert functions["GV"] == (0, 0, 0)
    assert [c.control_id for c in result.uncovered] == ["B-2", "I-2"]


def test_the_plan_overview_filters_and_flags_overdue_measures(cast: Cast, client: Client) -> None:
    late = _measure(cast, reference="M-LATE", due_on=timezone.localdate() - timedelta(days=3))
    _measure(cast, reference="M-SECOND", line=LineOfDefence.SECOND, owner=cast.grace)
    login_as(client, cast.erin)
    page = client.get("/security/plan/").content.decode()
    assert 'class="overdue"' in page and late.reference in page and "M-SECOND" in page
    filtered = client.get("/security/plan/", {"line": "2"}).content.decode()
    assert "M-SECOND" in filtered and "M-LATE" not in filtered
    by_owner = client.get("/security/plan/", {"owner": str(cast.alice.pk), "status": "planned"}).content.decode()
    assert "M-LATE" in by_owner and "M-SECOND" not in by_owner
    assert client.get("/security/plan/", {"line": "x", "owner": "nope", "status": "?"}).status_code == 200


def test_a_measure_form_with_a_taken_reference_says_so(cast: Cast, client: Client) -> None:
    measure = _measure(cast)
    login_as(client, cast.grace)
    data = {
        "objective": str(measure.objective_id),
        "reference": "M-1",
        "title": "Again",
        "line": "1",
        "owner": str(cast.bob.pk),
        "due_on": "2027-01-31",
    }
    response = client.post("/security/plan/measures/new/", data)
    assert response.status_code == 400 and "Another measure has the reference M-1" in response.content.decode()
    assert Measure.objects.count() == 1


def _grow_plan(cast: Cast, tag: str) -> None:
    framework = Framework.objects.first()
    controls = list(framework.controls.all()) if framework else []
    objective = _objective(cast, reference=f"OBJ-{tag}")
    indicators = list(Indicator.objects.all()[:2])
    for n in range(3):
        measure = _measure(
            cast,
            reference=f"M-{tag}-{n}",
            objective=objective,
            owner=[cast.alice, cast.bob, cast.grace][n],
            controls=controls[n : n + 2],
            indicators=indicators,
        )
        measure_update_add(measure=measure, by=cast.grace, comment="step", status="in_progress", progress=20 * n)


def test_the_plan_overview_runs_a_constant_number_of_queries(cast: Cast, client: Client) -> None:
    framework_import(name="tiny.yaml", data=CATALOGUE.encode(), by=None)
    _grow_plan(cast, "A")
    login_as(client, cast.grace)

    def grow() -> None:
        _grow_plan(cast, "B")
        assert "M-B-2" in client.get("/security/plan/").content.decode()

    assert_page_queries(client, "/security/plan/", 8, grow=grow)


def test_the_coverage_page_runs_a_constant_number_of_queries(cast: Cast, client: Client) -> None:
    framework_import(name="tiny.yaml", data=CATALOGUE.encode(), by=None)
    _grow_plan(cast, "A")
    login_as(client, cast.erin)

    def grow() -> None:
        framework_import(name="tiny2.yaml", data=CATALOGUE.replace('"1"', '"2"').encode(), by=None)
        _grow_plan(cast, "B")

    assert_page_queries(client, "/security/coverage/", 6, grow=grow)


def test_a_measures_page_runs_a_constant_number_of_queries(cast: Cast, client: Client) -> None:
    framework = framework_import(name="tiny.yaml", data=CATALOGUE.encode(), by=None)
    controls = list(framework.controls.all())
    indicators = list(Indicator.objects.all())
    measure = _measure(cast, controls=controls[:1], indicators=indicators[:1])
    measure_update_add(measure=measure, by=cast.alice, comment="first", status="in_progress", progress=10)
    evidence_add(measure=measure, by=cast.alice, filename="a.txt", data=b"a")
    IndicatorSample.objects.create(indicator=indicators[0], computed_at=timezone.now(), value=1, is_met=True)
    login_as(client, cast.alice)
    url = f"/security/plan/measures/{measure.pk}/"

    def grow() -> None:
        measure.controls.set(controls)
        measure.indicators.set(indicators)
        for n in range(3):
            measure_update_add(measure=measure, by=cast.grace, comment=f"step {n}", status="in_progress", progress=n)
            evidence_add(measure=measure, by=cast.alice, filename=f"b{n}.txt", data=b"b")
            IndicatorSample.objects.create(
                indicator=indicators[n + 1], computed_at=timezone.now(), value=1, is_met=True
            )
        assert "b2.txt" in client.get(url).content.decode()

    assert_page_queries(client, url, 10, grow=grow)


def test_my_measures_runs_a_constant_number_of_queries(cast: Cast, client: Client) -> None:
    _measure(cast, reference="M-1", owner=cast.bob)
    login_as(client, cast.bob)

    def grow() -> None:
        for n in range(3):
            _measure(cast, reference=f"M-MORE-{n}", owner=cast.bob, objective=_objective(cast, reference=f"O-{n}"))
        assert "M-MORE-2" in client.get("/security/plan/mine/").content.decode()

    assert_page_queries(client, "/security/plan/mine/", 5, grow=grow)


def test_an_owner_outside_the_security_office_finds_their_measures_from_my_day(cast: Cast, client: Client) -> None:
    login_as(client, cast.frank)
    assert reverse("security:my_measures") not in client.get("/").content.decode()
    _measure(cast, owner=cast.frank)
    page = client.get("/").content.decode()
    assert reverse("security:my_measures") in page and f'href="{reverse("security:plan")}"' not in page
