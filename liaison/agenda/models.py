"""The personal calendar feed: one per user, reached by a secret token of which only the hash is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.models import BaseModel


class CalendarFeed(BaseModel):
    """A user's iCalendar subscription. The token is shown once; the database keeps its SHA-256 only, so a copy of
    the database does not open anyone's feed. Revoking clears the hash: the old address answers 404 at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, null=True, blank=True, editable=False)
    shows_titles = models.BooleanField(
        _("show titles"),
        default=False,
        help_text=_("Off: each event reads only “Liaison: meeting” and its time."),
    )
    language = models.CharField(_("language"), max_length=8, default="fr")
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} ({'on' if self.is_active else 'off'})"

    @property
    def is_active(self) -> bool:
        return bool(self.token_hash)
