"""The role matrix of the followup app's pages and API endpoints (rows like `matrix.ROUTES`).

Follow-ups are built on the shared cast only when a row asks for them:
  task      alice's task on the office exchange (DR): alice (owner) and carol (desk head of her service)
  question  dave's question (counter-terrorism) on alice's disseminated report: alice, carol and dave's service
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from liaison.followup.hooks import followup_ask_about_report
from liaison.followup.models import FollowUp
from liaison.followup.services import followup_create
from liaison.testing.api_matrix import ApiRoute
from liaison.testing.cast import Cast
from liaison.testing.matrix import WRITERS, Route, everyone

OWNERS = {"alice": 200, "carol": 200}  # the owner and the desk head of her service
ASKERS = OWNERS | {"dave": 200}  # and the service that asked


@dataclass
class FollowUpCast:
    task: FollowUp
    question: FollowUp


def followup_cast(cast: Cast) -> FollowUpCast:
    cached: FollowUpCast | None = getattr(cast, "_followups", None)
    if cached is not None:
        return cached
    followups = FollowUpCast(
        task=followup_create(
            by=cast.alice, kind="task", title="Send the minutes", owner=cast.alice, exchange=cast.exchange
        ),
        question=followup_ask_about_report(by=cast.dave, report=cast.sent_report, question="Is the number current?"),
    )
    cast._followups = followups  # type: ignore[attr-defined]
    return followups


def _task(cast: Cast) -> list[object]:
    return [followup_cast(cast).task.pk]


def _question(cast: Cast) -> list[object]:
    return [followup_cast(cast).question.pk]


FOLLOWUP_ROUTES: list[Route] = [
    Route("followup:list", everyone()),
    Route("followup:create", dict.fromkeys(WRITERS, 200)),
    Route("followup:detail", OWNERS, args=_task, label="task"),
    Route("followup:detail", ASKERS, args=_question, label="internal question"),
    Route("followup:detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    Route(
        "followup:act",
        dict.fromkeys(OWNERS, 302),
        args=_task,
        method="post",
        data={"action": "comment", "text": "Done soon."},
        label="comment",
    ),
    Route(
        "followup:act",
        dict.fromkeys(ASKERS, 302),
        args=_question,
        method="post",
        data={"action": "comment", "text": "Any news?"},
        label="comment on a question",
    ),
    Route("followup:ask", {"dave": 200}, args=lambda c: [c.sent_report.pk]),
    Route("followup:handover", {"carol": 200}),
]

# The API: a role refusal is a 403 naming the rule; an action out of step with the follow-up's state a 409 (members
# act in the cast's order, so carol meets what alice has just done); who may read but not act gets 403.
NOT_WRITERS_403 = dict.fromkeys(("heidi", "dave", "erin", "grace", "frank", "ivy"), 403)
LATER = "2030-01-10T12:00"


def _api_action(name: str, args, answers: dict[str, int], body: dict[str, object], label: str = "") -> ApiRoute:
    return ApiRoute(f"api:followup-{name}", answers, args=args, method="post", body=lambda c: body, label=label)


FOLLOWUP_API_ROUTES: list[Route] = [
    ApiRoute("api:followup-list", everyone()),
    ApiRoute(
        "api:followup-list",
        dict.fromkeys(WRITERS, 201) | NOT_WRITERS_403,
        method="post",
        body=lambda c: {"kind": "task", "title": "Call back the attaché"},
        label="create",
    ),
    ApiRoute("api:followup-detail", OWNERS, args=_task, label="task"),
    ApiRoute("api:followup-detail", ASKERS, args=_question, label="internal question"),
    ApiRoute("api:followup-detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    _api_action("acknowledge", _question, {"alice": 200, "carol": 409, "dave": 403}, {"estimate_at": LATER}),
    _api_action(
        "reestimate", _question, {"alice": 200, "carol": 200, "dave": 403}, {"estimate_at": LATER, "reason": "Busy"}
    ),
    _api_action("answer", _question, {"alice": 200, "carol": 409, "dave": 403}, {"outcome": "Yes, current."}),
    _api_action("refuse", _question, {"alice": 200, "carol": 409, "dave": 403}, {"reasons": "Not ours to say."}),
    _api_action("complete", _task, {"alice": 200, "carol": 409}, {}),
    _api_action("comment", _task, {"alice": 200, "carol": 200}, {"comment": "On it."}),
    _api_action("comment", _question, {"alice": 200, "carol": 200, "dave": 200}, {"comment": "Any news?"}, "question"),
]
FOLLOWUP_ROUTES += FOLLOWUP_API_ROUTES
