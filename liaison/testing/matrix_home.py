"""The role matrix of the home app's pages and API endpoints (rows like `matrix.ROUTES`)."""

from __future__ import annotations

from liaison.testing.matrix import Route

HOME_ROUTES: list[Route] = []
