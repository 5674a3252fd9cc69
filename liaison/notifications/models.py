"""Notifications: one reminder or notice for one recipient about one protected object (its target), kept once per
(recipient, kind, key) so that a sweep run twice, or a worker killed and restarted, never repeats it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.models import BaseModel


class NotificationKind(models.TextChoices):
    DUE_SOON = "due_soon", _("follow-up due soon")
    OVERDUE = "overdue", _("follow-up overdue")
    ASSIGNED = "assigned", _("follow-up assigned to you")
    RFI_SLIPPING = "rfi_slipping", _("request slipping past its estimate")
    REPORT_TO_REVIEW = "report_to_review", _("report waiting for your review")
    REPORT_RETURNED = "report_returned", _("report returned to you")
    REPORT_TO_ACKNOWLEDGE = "report_to_acknowledge", _("report to acknowledge")
    REVIEW_OVERDUE = "review_overdue", _("access review overdue")
    REVIEW_ESCALATED = "review_escalated", _("overdue access review escalated to you")
    BREAKGLASS_REQUESTED = "breakglass_requested", _("break-glass access requested")
    BREAKGLASS_DECIDED = "breakglass_decided", _("break-glass access decided or closed")
    BREAKGLASS_READ = "breakglass_read", _("object read under break-glass")
    ALERT_RAISED = "alert_raised", _("anomaly alert raised")
    # Colleagues' security concerns (liaison/concerns).
    CONCERN_ANSWERED = "concern_answered", _("your security concern answered")


class Notification(BaseModel):
    """Not itself protected content: what it is about is named only through its target, which is shown to the
    recipient only while the read rule lets them read it (see selectors.notification_list)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=NotificationKind.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.UUIDField()
    key = models.CharField(
        _("key"), max_length=200, help_text=_("What makes this notice unique for its recipient and kind.")
    )
    about_at = models.DateTimeField(
        _("about"), null=True, blank=True, help_text=_("The due date or event it is about.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="one_notification_per_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["emailed_at"], condition=Q(emailed_at__isnull=True), name="notification_to_email"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
