"""The role matrix of the strengthening plan's pages (rows like `matrix.ROUTES`).

Grace (security officer) runs the plan; erin (auditor) reads it, its coverage and evidence, with no form and 404 on
every write; a measure's owner, whoever they are, sees "my measures" and their own measure, and posts updates and
evidence on it. One objective with a measure owned by alice (with one piece of evidence) and one owned by bob is
built when a row asks for it; everyone else gets 404.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone

from liaison.security.models import LineOfDefence, Measure, MeasureEvidence
from liaison.security.services import evidence_add, measure_save, objective_save
from liaison.testing.cast import Cast
from liaison.testing.matrix import Route

READERS = {"erin": 200, "grace": 200}
OFFICE = {"grace": 200}


def plan_measures(cast: Cast) -> tuple[Measure, Measure, MeasureEvidence]:
    """Alice's measure (with evidence) and bob's, under one objective of grace's."""
    cached: tuple[Measure, Measure, MeasureEvidence] | None = getattr(cast, "_plan", None)
    if cached is not None:
        return cached
    objective = objective_save(reference="OBJ-1", title="Strong authentication", by=cast.grace)
    due = timezone.localdate() + timedelta(days=30)
    common: dict[str, Any] = {"objective": objective, "due_on": due, "by": cast.grace}
    alices = measure_save(
        reference="M-1", title="Keys for officers", line=LineOfDefence.FIRST, owner=cast.alice, **common
    )
    bobs = measure_save(reference="M-2", title="Awareness at posts", line=LineOfDefence.FIRST, owner=cast.bob, **common)
    evidence = evidence_add(measure=alices, by=cast.alice, filename="keys.txt", data=b"12 keys issued\n")
    cast._plan = (alices, bobs, evidence)  # type: ignore[attr-defined]
    return cast._plan  # type: ignore[attr-defined]


def _alices(cast: Cast) -> list[Any]:
    return [plan_measures(cast)[0].pk]


def _bobs(cast: Cast) -> list[Any]:
    return [plan_measures(cast)[1].pk]


def _evidence(cast: Cast) -> list[Any]:
    return [plan_measures(cast)[2].pk]


def _objective(cast: Cast) -> list[Any]:
    return [plan_measures(cast)[0].objective_id]


def _built(cast: Cast) -> list[Any]:
    plan_measures(cast)
    return []


def _unknown(cast: Cast) -> list[Any]:
    return [uuid.uuid4()]


PLAN_ROUTES: list[Route] = [
    Route("security:plan", READERS),
    Route("security:coverage", READERS),
    Route("security:frameworks", READERS),
    Route("security:framework_import", OFFICE),
    Route("security:framework_import", {"grace": 400}, method="post", label="no file"),
    Route("security:objective_create", OFFICE),
    Route(
        "security:objective_create", {"grace": 302}, method="post", data={"reference": "OBJ-9", "title": "More keys"}
    ),
    Route("security:objective_edit", OFFICE, args=_objective),
    Route(
        "security:objective_edit",
        {"grace": 302},
        args=_objective,
        method="post",
        data={"reference": "OBJ-1", "title": "Strong authentication everywhere"},
    ),
    Route("security:objective_edit", {}, args=_unknown, label="unknown id"),
    Route("security:measure_create", OFFICE),
    Route("security:measure_create", {"grace": 400}, method="post", label="incomplete"),
    Route("security:measure_detail", {"alice": 200, **READERS}, args=_alices, label="alice's"),
    Route("security:measure_detail", {"bob": 200, **READERS}, args=_bobs, label="bob's"),
    Route("security:measure_detail", {}, args=_unknown, label="unknown id"),
    Route("security:measure_edit", OFFICE, args=_alices),
    Route("security:measure_edit", {"grace": 400}, args=_alices, method="post", label="incomplete"),
    Route(
        "security:measure_update",
        {"alice": 302, "grace": 302},
        args=_alices,
        method="post",
        data={"status": "in_progress", "progress": "40", "comment": "Half the keys issued."},
    ),
    Route(
        "security:measure_update",
        {"bob": 302, "grace": 302},
        args=_bobs,
        method="post",
        data={"status": "in_progress", "progress": "10", "comment": "First session held."},
        label="bob's",
    ),
    Route("security:evidence_upload", {"alice": 400, "grace": 400}, args=_alices, method="post", label="no file"),
    Route("security:evidence_download", {"alice": 200, **READERS}, args=_evidence),
    Route("security:evidence_download", {}, args=_unknown, label="unknown id"),
    Route("security:my_measures", {"alice": 200, "bob": 200}, args=_built),
]
