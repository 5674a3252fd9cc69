"""The role matrix of the agenda app's pages and API endpoints (rows like `matrix.ROUTES`)."""

from __future__ import annotations

from liaison.testing.cast import Cast
from liaison.testing.matrix import Route, everyone


def _feed_token(cast: Cast) -> str:
    """Alice's feed address: the token, not a session, authenticates a calendar client."""
    from liaison.agenda.services import calendar_feed_issue

    return calendar_feed_issue(user=cast.alice, shows_titles=False, language="en")[1]


def _revoked_token(cast: Cast) -> str:
    from liaison.agenda.services import calendar_feed_revoke

    token = _feed_token(cast)
    calendar_feed_revoke(user=cast.alice)
    return token


AGENDA_ROUTES: list[Route] = [
    # Everyone has an agenda: it shows only what the read rule lets each one see.
    Route("agenda:index", everyone()),
    Route("agenda:day", everyone(), args=lambda c: ["2026-11-02"]),
    Route("agenda:day", {}, args=lambda c: ["2026-02-30"], label="no such day"),
    Route("agenda:week", everyone(), args=lambda c: ["2026-10-25"]),
    Route("agenda:week", {}, args=lambda c: ["0001-01-01"], label="out of range"),
    Route("agenda:month", everyone(), args=lambda c: ["2026-11"]),
    Route("agenda:month", {}, args=lambda c: ["2026-13"], label="no such month"),
    Route("agenda:feed_settings", everyone()),
    Route("agenda:feed_settings", everyone(302), method="post", data={"action": "revoke"}, label="revoke"),
    Route("agenda:feed_settings", everyone(), method="post", data={"action": "issue"}, label="issue"),
    # The feed answers whoever holds the token, with or without a session; a revoked or unknown token is 404.
    Route("agenda:feed_ics", everyone(), args=lambda c: [_feed_token(c)], anonymous=200),
    Route("agenda:feed_ics", {}, args=lambda c: [_revoked_token(c)], anonymous=404, label="revoked"),
    Route("agenda:feed_ics", {}, args=lambda c: ["x" * 43], anonymous=404, label="unknown token"),
]
