from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.alerts.services import CLOSE_REASON_MAX


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for closing"),
        max_length=CLOSE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was found: expected workload, false positive, case opened…"),
    )
