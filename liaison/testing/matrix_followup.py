"""The role matrix of the followup app's pages and API endpoints (rows like `matrix.ROUTES`)."""

from __future__ import annotations

from liaison.testing.matrix import Route

FOLLOWUP_ROUTES: list[Route] = []
