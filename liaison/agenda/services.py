"""Writes of the agenda: issuing, rotating and revoking the personal calendar feed's token, and its settings."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import User
from liaison.agenda.models import CalendarFeed
from liaison.audit.events import AuditEvent
from liaison.audit.services import record


def token_digest(token: str) -> str:
    """What the database keeps of a feed token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_issue(*, user: User, shows_titles: bool, language: str) -> tuple[CalendarFeed, str]:
    """Issue a new feed address for `user` (the previous one, if any, stops working) and return the token, which is
    shown once and never stored."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        rotated = feed.is_active
        feed.token_hash = token_digest(token)
        feed.shows_titles = shows_titles
        feed.language = language[:8] or "fr"
        feed.issued_at = timezone.now()
        feed.save()
        record(
            actor=user,
            event=AuditEvent.CALENDAR_FEED_ISSUED,
            target=feed,
            extra={"rotated": rotated, "shows_titles": shows_titles},
        )
    return feed, token


def calendar_feed_revoke(*, user: User) -> None:
    """Revoke the user's feed address: a calendar client using it gets 404 from now on."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if feed is None or not feed.is_active:
            return
        feed.token_hash = None
        feed.save(update_fields=["token_hash", "updated_at"])
        record(actor=user, event=AuditEvent.CALENDAR_FEED_REVOKED, target=feed)


def calendar_feed_configure(*, user: User, shows_titles: bool, language: str) -> CalendarFeed | None:
    """Change what the feed carries (titles or not, language of the placeholder); the address stays the same."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if feed is None:
            return None
        feed.shows_titles = shows_titles
        feed.language = language[:8] or feed.language
        feed.save(update_fields=["shows_titles", "language", "updated_at"])
        record(actor=user, event=AuditEvent.CALENDAR_FEED_CHANGED, target=feed, extra={"shows_titles": shows_titles})
    return feed
