"""Template filters of the break-glass pages: a request's state at a time, and the time left in a window."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.translation import gettext as _

from liaison.breakglass.models import BreakGlassRequest

register = template.Library()


@register.filter
def state_at(request: BreakGlassRequest, now: datetime) -> str:
    return request.state(now)


@register.filter
def duration_left(seconds: int) -> str:
    minutes, rest = divmod(max(0, int(seconds)), 60)
    return _("%(minutes)d min %(seconds)02d s") % {"minutes": minutes, "seconds": rest}
