from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from liaison.passkeys.services import NAME_MAX_LENGTH

# A credential is a few kilobytes at most (attestation certificates included).
CREDENTIAL_MAX_LENGTH = 64 * 1024
NO_RESPONSE = _("Press the button and touch your security key: no answer from a key was received.")


class AnswerInput(forms.HiddenInput):
    """A key's answer is good once: a page shown again after a refusal starts empty, so the next press asks the key."""

    def format_value(self, value: object) -> None:
        return None


class CredentialField(forms.CharField):
    widget = AnswerInput

    def __init__(self) -> None:
        super().__init__(
            max_length=CREDENTIAL_MAX_LENGTH,
            error_messages={"required": NO_RESPONSE, "max_length": NO_RESPONSE},
        )


class KeyAnswerForm(forms.Form):
    """A form carrying a key's answer in a hidden field, whose errors are shown at the top of the form (a hidden
    field has no place to show them)."""

    def full_clean(self) -> None:
        super().full_clean()
        errors = self._errors  # type: ignore[attr-defined]  # set by full_clean
        if "credential" in errors:
            moved = errors.pop("credential")
            errors.setdefault(NON_FIELD_ERRORS, self.error_class(error_class="nonfield")).extend(moved)


class KeyLoginForm(KeyAnswerForm):
    credential = CredentialField()


class KeyEnrolForm(KeyAnswerForm):
    name = forms.CharField(
        label=_("Name of the key"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("A name you will recognise, for example “blue key on my keyring” or “laptop passkey”."),
    )
    credential = CredentialField()


class KeyAddForm(KeyEnrolForm):
    password = forms.CharField(
        label=_("Your password"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Adding a key changes how your account is protected: confirm it with your password."),
    )


class KeyRevokeForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
