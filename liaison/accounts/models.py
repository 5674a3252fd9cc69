"""Internal services, roles and users. A user is known everywhere by an alias; the civil identity is a protected
field revealed only through `identity_reveal` (administrator, justification, audit entry).
"""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.vocab import BilingualName
from liaison.policy.models import ClassificationLevel, Compartment, Zone


class Service(BilingualName):
    """An internal service (directorate or unit): the office itself, or a recipient directorate."""

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    is_recipient = models.BooleanField(_("receives reports"), default=True)

    class Meta(BilingualName.Meta):
        verbose_name = _("internal service")
        verbose_name_plural = _("internal services")


class RoleCode(models.TextChoices):
    LIAISON_OFFICER = "liaison_officer", _("liaison officer")
    DESK_HEAD = "desk_head", _("desk head")
    RECIPIENT = "recipient", _("recipient service analyst")
    RELEASE_AUTHORITY = "release_authority", _("release authority")
    SECURITY_OFFICER = "security_officer", _("security officer")
    AUDITOR = "auditor", _("auditor")
    ADMINISTRATOR = "administrator", _("administrator")
    MANAGEMENT = "management", _("management committee member")
    FEDERAL_PARTNER = "federal_partner", _("federal partner contact")


# The roles that record partners, exchanges, items and reports (liaison officers and their hierarchy).
RECORDING_ROLES = (RoleCode.LIAISON_OFFICER, RoleCode.DESK_HEAD)
# The office's roles that read the reciprocity ledger: those who record, and the release authorities.
LEDGER_ROLES = (*RECORDING_ROLES, RoleCode.RELEASE_AUTHORITY)


class Role(BilingualName):
    class Meta(BilingualName.Meta):
        verbose_name = _("role")
        verbose_name_plural = _("roles")


class Theme(models.TextChoices):
    AUTO = "auto", _("follow the browser")
    LIGHT = "light", _("light")
    DARK = "dark", _("dark")


class UserManager(BaseUserManager["User"]):
    def create_user(self, username: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    username = models.CharField(_("login name"), max_length=80, unique=True)
    alias = models.CharField(_("alias"), max_length=80, unique=True, help_text=_("The name shown everywhere."))
    civil_first_name = models.CharField(_("civil first name"), max_length=120, blank=True)
    civil_last_name = models.CharField(_("civil last name"), max_length=120, blank=True)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="members", verbose_name=_("service")
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="users", verbose_name=_("roles"))
    clearance = models.ForeignKey(
        ClassificationLevel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("clearance"),
        limit_choices_to={"scheme__is_national": True},
    )
    compartments = models.ManyToManyField(
        Compartment, blank=True, related_name="holders", verbose_name=_("compartments")
    )
    zones = models.ManyToManyField(Zone, blank=True, related_name="officers", verbose_name=_("zones covered"))
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(
        _("demo account"), default=False, help_text=_("Exempt from the second factor only while demo mode is on.")
    )
    failed_logins = models.PositiveSmallIntegerField(_("failed logins in a row"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    totp_secret_sealed = models.TextField(blank=True, editable=False)
    totp_confirmed_at = models.DateTimeField(_("second factor enrolled at"), null=True, blank=True, editable=False)
    totp_last_step = models.BigIntegerField(default=0, editable=False)
    theme = models.CharField(_("theme"), max_length=8, choices=Theme.choices, default=Theme.AUTO)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("IANA name such as Europe/Paris; empty for the instance's time zone."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["alias"]

    class Meta:
        ordering = ["alias"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.alias

    def get_short_name(self) -> str:
        return self.alias

    def get_full_name(self) -> str:
        # The civil identity is never part of the displayed name.
        return self.alias

    def role_codes(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_role_codes", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("code", flat=True)) if self.pk else frozenset()
            self._role_codes = cached
        return cached

    def has_role(self, code: str) -> bool:
        return self.is_active and code in self.role_codes()

    @property
    def is_administrator(self) -> bool:
        return self.has_role(RoleCode.ADMINISTRATOR)

    # Django's admin site asks these; only administrators manage vocabularies, and content is not in the admin.
    @property
    def is_staff(self) -> bool:
        return self.is_administrator

    @property
    def is_superuser(self) -> bool:
        return False

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return self.is_administrator

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_administrator

    @property
    def zone(self) -> ZoneInfo:
        """The zone this user's dates are shown, entered and counted in: their own, or the instance's (also when
        the stored name is no longer known to this system's time-zone database)."""
        try:
            return ZoneInfo(self.time_zone or settings.TIME_ZONE)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(settings.TIME_ZONE)

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    @property
    def has_second_factor(self) -> bool:
        return self.totp_confirmed_at is not None


class AuthFailureScope(models.TextChoices):
    ADDRESS = "address", _("client address")
    ACCOUNT = "account", _("account")


class AuthFailureWindow(models.Model):
    """Failed authentications counted in one fixed window of time, for one client address or one account (an
    unknown login name counts as an account under a keyed hash of the name). The database holds the count, so every
    server process shares it; `accounts.failures` increments it atomically and decides what reaches the audit log.
    """

    scope = models.CharField(_("scope"), max_length=8, choices=AuthFailureScope.choices)
    # The client address, the account's id, or "name:" and the keyed hash of an unknown login name.
    key = models.CharField(_("key"), max_length=80)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("account")
    )
    started_at = models.DateTimeField(_("window start"))
    ends_at = models.DateTimeField(_("window end"))
    failures = models.PositiveIntegerField(_("failures"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"))
    throttled_at = models.DateTimeField(_("throttled since"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    summarised_at = models.DateTimeField(_("summarised at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-failures"]
        verbose_name = _("failed authentication window")
        verbose_name_plural = _("failed authentication windows")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "started_at"], name="auth_failure_window_unique"),
        ]
        indexes = [
            # The windows still to summarise: few rows, read at each authentication event.
            models.Index(
                fields=["ends_at"], name="auth_failure_unsummarised", condition=models.Q(summarised_at__isnull=True)
            ),
            models.Index(fields=["started_at"], name="auth_failure_started"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} {self.started_at:%Y-%m-%d %H:%M} ({self.failures})"

    @property
    def is_unknown_name(self) -> bool:
        return self.scope == AuthFailureScope.ACCOUNT and self.key.startswith("name:")
