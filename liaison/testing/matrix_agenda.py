"""The role matrix of the agenda app's pages and API endpoints (rows like `matrix.ROUTES`)."""

from __future__ import annotations

from liaison.testing.matrix import Route

AGENDA_ROUTES: list[Route] = []
