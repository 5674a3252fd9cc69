"""The role matrix of the notifications app's pages and API endpoints (rows like `matrix.ROUTES`)."""

from __future__ import annotations

from liaison.testing.matrix import Route

NOTIFICATIONS_ROUTES: list[Route] = []
