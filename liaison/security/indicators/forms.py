"""The form of an indicator's threshold (the service checks the range for the indicator's kind)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.security.indicators.services import THRESHOLD_MAX


class ThresholdForm(forms.Form):
    threshold = forms.FloatField(
        label=_("Threshold"),
        min_value=0,
        max_value=THRESHOLD_MAX,
        help_text=_("The indicator is green when its value is on the right side of this number."),
    )
