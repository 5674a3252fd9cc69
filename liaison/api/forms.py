"""The form of the API tokens page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.api.services import NAME_MAX_LENGTH
from liaison.core.text import TextForm


class TokenForm(TextForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("What the token is for, e.g. the script or tool that will use it."),
    )
