"""Forms of the committee's report: the period and language of a new report, and the commentary of a draft."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.committee.models import PeriodKind, ReportLanguage
from liaison.committee.services import COMMENTARY_MAX


class ReportCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    start = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The 1st of the month; for a quarter, 1 January, 1 April, 1 July or 1 October."),
    )
    end = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional: the last day of the month or quarter, found from the first day when left empty."),
    )
    language = forms.ChoiceField(label=_("Language of the report"), choices=ReportLanguage.choices)


class CommentaryForm(forms.Form):
    commentary = forms.CharField(
        label=_("Commentary of the head of cybersecurity"),
        max_length=COMMENTARY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What the committee should take from the figures, and what you ask of it."),
    )
