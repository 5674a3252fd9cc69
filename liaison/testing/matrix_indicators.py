"""The role matrix of the security office's live indicators (rows like `matrix.ROUTES`).

The security office (grace) and internal audit (erin) read the indicators; only a security officer changes a
threshold; everyone else gets 404, for the overview as for an indicator.
"""

from __future__ import annotations

from liaison.testing.matrix import Route

READERS = {"erin": 200, "grace": 200}

INDICATORS_ROUTES: list[Route] = [
    Route("security:indicator_list", READERS),
    Route("security:indicator_detail", READERS, args=lambda c: ["second_factor_share"]),
    Route("security:indicator_detail", {}, args=lambda c: ["no_such_indicator"], label="unknown code"),
    Route(
        "security:indicator_threshold",
        {"grace": 302},
        args=lambda c: ["failed_logins"],
        method="post",
        data={"threshold": "40"},
    ),
    Route(
        "security:indicator_threshold",
        {},
        args=lambda c: ["no_such_indicator"],
        method="post",
        data={"threshold": "40"},
        label="unknown code",
    ),
]
