"""Every kind of audit entry, one value each (Zulip's RealmAuditLog style): a new action gets a new event."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.TextChoices):
    LOGIN_SUCCEEDED = "login.succeeded", _("login succeeded")
    LOGIN_FAILED = "login.failed", _("login failed")
    LOGIN_LOCKED = "login.locked", _("account locked after repeated failures")
    LOGIN_REFUSED_LOCKED = "login.refused_locked", _("login refused: account locked")
    LOGIN_THROTTLED = "login.throttled", _("address throttled after repeated failures")
    LOGIN_FAILURES_SUMMARISED = "login.failures_summarised", _("failed logins summarised")
    SECOND_FACTOR_FAILED = "login.second_factor_failed", _("second factor refused")
    SECOND_FACTOR_ENROLLED = "login.second_factor_enrolled", _("second factor enrolled")
    SECOND_FACTOR_RESET = "login.second_factor_reset", _("second factor reset")
    LOGOUT = "logout", _("logout")
    SESSION_EXPIRED = "session.expired", _("session expired")
    ACCESS_REFUSED = "access.refused", _("access refused")
    OBJECT_READ = "object.read", _("protected object read")
    OBJECT_LIST_READ = "object.list_read", _("protected objects listed")
    OBJECT_CREATED = "object.created", _("object created")
    OBJECT_CHANGED = "object.changed", _("object changed")
    OBJECT_DELETED = "object.deleted", _("object deleted")
    OBJECT_EXPORTED = "object.exported", _("object exported")
    VOCABULARY_CHANGED = "vocabulary.changed", _("vocabulary changed")
    USER_CREATED = "user.created", _("user created")
    USER_CHANGED = "user.changed", _("user changed")
    USER_UNLOCKED = "user.unlocked", _("user unlocked")
    IDENTITY_REVEALED = "identity.revealed", _("civil identity revealed")
    AUDIT_VIEWED = "audit.viewed", _("audit log viewed")
    AUDIT_VERIFIED = "audit.verified", _("audit log verified")
    DEMO_DATA_LOADED = "demo.loaded", _("demo data loaded")
