from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
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


def time_zone_choices() -> list[tuple[str, str]]:
    """Every IANA time zone, the instance's own first (an empty value means that one)."""
    default = str(_("Instance time zone (%(zone)s)") % {"zone": settings.TIME_ZONE})
    return [("", default), *((name, name) for name in sorted(available_timezones()))]


class PreferencesForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Dates and times are shown and entered in this time zone."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()  # type: ignore[attr-defined]
