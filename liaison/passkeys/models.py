"""Security keys and passkeys (WebAuthn credentials) held by users as a phishing-resistant second factor, and the
single-use challenges their ceremonies answer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.models import BaseModel


class SecurityKey(BaseModel):
    """One WebAuthn credential of one user: what the server needs to check its assertions (public key, signature
    counter) and what the user and the security office need to recognise it (name, authenticator model, last use)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_keys", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=80)
    # The credential id as the browser sends it (base64url, no padding); at most 1023 bytes by the specification.
    credential_id = models.CharField(_("credential id"), max_length=1400, unique=True)
    public_key = models.BinaryField(_("public key (COSE)"))
    sign_count = models.BigIntegerField(_("signature counter"), default=0)
    transports = models.JSONField(_("transports"), default=list, blank=True)
    aaguid = models.CharField(_("authenticator model (AAGUID)"), max_length=36, blank=True)
    is_backup_eligible = models.BooleanField(_("can be synced (passkey)"), default=False)
    is_backed_up = models.BooleanField(_("synced"), default=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("security key")
        verbose_name_plural = _("security keys")
        indexes = [
            models.Index(fields=["user"], name="security_key_active", condition=models.Q(revoked_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class CeremonyPurpose(models.TextChoices):
    REGISTER = "register", _("key enrolment")
    LOGIN = "login", _("login with a key")


class KeyChallenge(models.Model):
    """A challenge sent to the browser for one ceremony: bound to the session that asked for it (the session keeps
    its id), to one user and one purpose, usable once (`used_at`, claimed by a conditional UPDATE) and short-lived.
    Used rows stay until they expire so that a replayed response is recognised as such."""

    challenge = models.BinaryField()
    # sha256 of the challenge, to find the row from the challenge a response carries.
    digest = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=8, choices=CeremonyPurpose.choices)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="key_challenge_expires")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.digest[:12]}"
