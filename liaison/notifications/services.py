"""Writes of notifications: `notify` (idempotent, race-safe), marking read, and the e-mail of each notice sent at
most once (claimed by a conditional UPDATE before the message is handed to the SMTP server)."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from liaison.accounts.models import User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.notifications.emails import build_message
from liaison.notifications.models import Notification, NotificationKind
from liaison.notifications.selectors import with_target_titles
from liaison.notifications.targets import target_for_model

logger = logging.getLogger(__name__)

# E-mails are sent for notices of the last day only: turning SMTP on later does not flood anyone with old news.
EMAIL_WINDOW = timedelta(days=1)


def sweep_pause() -> None:
    """The crash tests' hook (LIAISON_SWEEP_PAUSE_MS): a slow sweep they can kill in the middle. 0 = no pause."""
    if settings.LIAISON_SWEEP_PAUSE_MS:
        time.sleep(settings.LIAISON_SWEEP_PAUSE_MS / 1000)


def notify(
    *,
    recipient: User,
    kind: NotificationKind,
    target: Model,
    key: str,
    about_at: datetime | None = None,
) -> tuple[Notification, bool]:
    """Record one notice for `recipient` unless the same (recipient, kind, key) exists; returns it and whether it
    was created. Two sweeps racing both end with the one row: the loser's insert fails in a savepoint."""
    found = Notification.objects.filter(recipient=recipient, kind=kind, key=key).first()
    if found is not None:
        return found, False
    info = target_for_model(type(target))
    with transaction.atomic():
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient,
                    kind=kind,
                    target_type=info.content_type,
                    target_id=target.pk,
                    key=key,
                    about_at=about_at,
                )
        except IntegrityError:
            return Notification.objects.get(recipient=recipient, kind=kind, key=key), False
        record(
            actor=None,
            event=AuditEvent.NOTIFICATION_CREATED,
            target=notification,
            extra={"kind": str(kind), "recipient": str(recipient.pk), "about": str(target.pk)},
        )
    sweep_pause()
    return notification, True


def notification_mark_read(*, by: User, notification: Notification, request: Any = None) -> Notification:
    """Mark one of one's own notifications read (a second time changes nothing); `notification` comes from
    `selectors.notification_get`, which hands out the user's own only."""
    if notification.read_at is not None:
        return notification
    with transaction.atomic():
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        record(actor=by, event=AuditEvent.NOTIFICATION_READ, target=notification, request=request)
    return notification


def notification_mark_all_read(*, by: User, request: Any = None) -> int:
    """Mark every unread notification of `by` read; returns how many."""
    with transaction.atomic():
        count = Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())
        if count:
            record(actor=by, event=AuditEvent.NOTIFICATION_READ, extra={"all": True, "count": count}, request=request)
    return count


def email_enabled() -> bool:
    return bool(settings.LIAISON_SMTP_HOST and settings.LIAISON_MAIL_DOMAIN)


def notification_emails_send() -> int:
    """E-mail each fresh, unread notice whose target its recipient may still read, once. The claim (emailed_at set
    while NULL) commits before sending: a worker killed between the claim and the SMTP hand-over loses that one
    message (the notice stays in the centre), and a second worker never sends it again. A refused send releases
    the claim for the next sweep. Returns the number of messages handed over."""
    if not email_enabled():
        return 0
    since = timezone.now() - EMAIL_WINDOW
    pending = Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True, created_at__gte=since)
    sent = 0
    for recipient_id in pending.values_list("recipient_id", flat=True).distinct():
        recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
        if recipient is None:
            continue
        mine = with_target_titles(pending.filter(recipient=recipient), recipient).select_related("recipient")
        for notification in mine.filter(target_title__isnull=False).order_by("created_at"):  # type: ignore[misc]
            sent += _email_one(notification)
    return sent


def _email_one(notification: Notification) -> int:
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            return 0  # another worker has it
        record(
            actor=None, event=AuditEvent.NOTIFICATION_EMAILED, target=notification, extra={"kind": notification.kind}
        )
    try:
        build_message(notification).send()
    except Exception as exc:  # the SMTP server refused or is down: release the claim for the next sweep
        logger.warning("notification e-mail %s not sent: %s", notification.pk, exc.__class__.__name__)
        with transaction.atomic():
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            record(
                actor=None,
                event=AuditEvent.NOTIFICATION_EMAIL_FAILED,
                target=notification,
                extra={"error": exc.__class__.__name__},
            )
        return 0
    sweep_pause()
    return 1
