"""The role matrix of the concerns' pages (rows like `matrix.ROUTES`).

Every signed-in colleague, ivy included (she holds no role), raises concerns, follows their own and reads the
published answers. One of alice's concerns is read by alice, the security officer (grace) and the auditor (erin);
everyone else, ivy included, gets 404. Only the security officer triages, answers, closes and publishes.
"""

from __future__ import annotations

import uuid
from typing import Any

from liaison.concerns.models import Concern
from liaison.concerns.services import concern_answer, concern_publish, concern_submit, concern_triage
from liaison.testing.cast import Cast
from liaison.testing.matrix import Route, everyone

READERS = {"alice": 200, "erin": 200, "grace": 200}
NEW = {
    "category": "device",
    "subject": "Laptop left in a taxi",
    "description": "My laptop stayed in a taxi for an hour before the driver brought it back.",
    "post_or_service": "Nairobi post",
}


def alices_concern(cast: Cast, stage: str = "submitted") -> Concern:
    """A concern of alice's, taken to `stage` (submitted, triaged, answered or published) by grace."""
    concern = concern_submit(
        by=cast.alice,
        category="suspicious_message",
        subject="Odd invitation",
        description="A message invites me to a conference I never heard of, with a link to register.",
        post_or_service="Bureau of international cooperation",
    )
    if stage == "submitted":
        return concern
    concern = concern_triage(concern=concern, by=cast.grace, severity="medium", owner=cast.grace)
    if stage == "triaged":
        return concern
    concern = concern_answer(
        concern=concern, by=cast.grace, outcome="advice", answer="It is phishing; we blocked the domain."
    )
    if stage == "answered":
        return concern
    return concern_publish(
        concern=concern, by=cast.grace, question="Is an unknown conference invitation safe?", answer="No: report it."
    )


def _at(stage: str) -> Any:
    return lambda cast: [alices_concern(cast, stage).pk]


CONCERNS_ROUTES: list[Route] = [
    Route("concerns:mine", everyone()),
    Route("concerns:published", everyone()),
    Route("concerns:create", everyone()),
    Route("concerns:create", everyone(302), method="post", data=NEW, label="raise"),
    Route("concerns:queue", {"erin": 200, "grace": 200}),
    Route("concerns:detail", READERS, args=_at("submitted")),
    Route("concerns:detail", {}, args=lambda c: [uuid.uuid4()], label="unknown id"),
    Route(
        "concerns:triage",
        {"grace": 302},
        args=_at("submitted"),
        method="post",
        data={"triage-severity": "high", "triage-owner": "GRACE"},
    ),
    Route(
        "concerns:answer",
        {"grace": 302},
        args=_at("triaged"),
        method="post",
        data={"answer-outcome": "will_not_do", "answer-answer": "Not needed: the filter already catches it."},
    ),
    Route("concerns:close", {"grace": 302}, args=_at("answered"), method="post"),
    Route("concerns:publish", {"grace": 200}, args=_at("answered")),
    Route(
        "concerns:publish",
        {"grace": 302},
        args=_at("answered"),
        method="post",
        data={"question": "Is an unknown invitation safe?", "answer": "No."},
        label="publish",
    ),
    Route("concerns:unpublish", {"grace": 302}, args=_at("published"), method="post"),
    Route("concerns:answer", {}, args=lambda c: [uuid.uuid4()], method="post", label="unknown id"),
]
