"""Session lifetimes. The idle timeout is the session's age (`SESSION_COOKIE_AGE`), pushed back by activity: a
request saves the session, hence a new expiry, when its last save is `LIAISON_SESSION_TOUCH_SECONDS` old or more —
not on every request, which would make every page a database write. The absolute limit, counted from login, ends a
session whatever its activity.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from liaison.audit.events import AuditEvent
from liaison.audit.services import record

TOUCHED = "touched_at"


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get("authenticated_at")
            limit = timedelta(hours=settings.LIAISON_SESSION_MAX_HOURS)
            if started is None or timezone.now() - datetime.fromisoformat(started) > limit:
                record(actor=request.user, event=AuditEvent.SESSION_EXPIRED, request=request)
                logout(request)
                return redirect(settings.LOGIN_URL)
            now = int(timezone.now().timestamp())
            touched = request.session.get(TOUCHED)
            if not isinstance(touched, int) or now - touched >= settings.LIAISON_SESSION_TOUCH_SECONDS:
                request.session[TOUCHED] = now  # modified: SessionMiddleware saves it with a fresh expiry
        return self.get_response(request)


class UserTimeZoneMiddleware:
    """Show and parse dates in the user's own time zone (the instance's when they chose none)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            timezone.activate(request.user.zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
