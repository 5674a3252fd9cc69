from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Theme
from liaison.accounts.services import JUSTIFICATION_MIN_LENGTH
from liaison.core.text import TextForm


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Login name"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=7,
        validators=[RegexValidator(r"^\d{3} ?\d{3}$", _("Enter the 6 digits shown by your authenticator app."))],
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )


class JustificationForm(TextForm):
    justification = forms.CharField(
        label=_("Justification"),
        min_length=JUSTIFICATION_MIN_LENGTH,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you need the civil identity. Recorded in the audit log."),
    )


class ThemeForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
