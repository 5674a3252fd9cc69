"""The e-mail of a notification: content-free by design. It says what kind of thing waits and links to the
notification centre; it never names the target, its title, markings or any protected text, because mail leaves
the platform's access control."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from liaison.notifications.models import Notification


def recipient_address(notification: Notification) -> str:
    return f"{notification.recipient.username}@{settings.LIAISON_MAIL_DOMAIN}"


def build_message(notification: Notification) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        kind = notification.get_kind_display()
        link = settings.LIAISON_BASE_URL + reverse("notifications:list")
        subject = _("Liaison: %(kind)s") % {"kind": kind}
        body = _(
            "You have a new notification in Liaison: %(kind)s.\n\n"
            "Open your notifications to see what it is about: %(link)s\n\n"
            "This message names nothing on purpose: sign in to read it."
        ) % {"kind": kind, "link": link}
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.LIAISON_MAIL_FROM,
        to=[recipient_address(notification)],
        headers={"X-Liaison-Notification": str(notification.pk)},
    )
