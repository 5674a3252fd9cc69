"""The role matrix of the home app's pages and API endpoints (rows like `matrix.ROUTES`)."""

from __future__ import annotations

from liaison.testing.matrix import Route, everyone

# My day is everyone's home; the watchtower is the desk heads' (404 for every other role, like an unseen object).
HOME_ROUTES: list[Route] = [
    Route("home:home", everyone()),
    Route("home:watchtower", {"carol": 200}),
    Route("home:watchtower", {"carol": 400}, data={"start": "2026-12-01", "end": "2026-01-01"}, label="bad period"),
    Route("home:watchtower_csv", {"carol": 200}, args=lambda c: ["zones"], label="zones"),
    Route("home:watchtower_csv", {}, args=lambda c: ["nothing"], label="unknown table"),
]
