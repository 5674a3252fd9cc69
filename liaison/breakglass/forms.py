"""Forms of break-glass access: the request (objects as entered, justification, duration), the decision and the
early close."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from liaison.breakglass.identifiers import Identifier, parse_identifiers
from liaison.core.exceptions import InputFieldError
from liaison.core.text import TextForm


class BreakGlassRequestForm(TextForm):
    objects = forms.CharField(
        label=_("Objects"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=8000,
        help_text=_(
            "One per line: the address of a partner, exchange, item, report, release, tearline or follow-up page, "
            "or an object's id. Nothing is looked up before approval."
        ),
    )
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("Why you need to read these objects: the incident, the ticket, who asked."),
    )
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        maximum = settings.LIAISON_BREAKGLASS_MAX_MINUTES
        field = self.fields["minutes"]
        assert isinstance(field, forms.IntegerField)
        field.max_value = maximum
        field.validators.append(MaxValueValidator(maximum))
        field.widget.attrs["max"] = maximum
        field.initial = min(30, maximum)
        field.help_text = _("At most %(max)d minutes; the window opens when the request is approved.") % {
            "max": maximum
        }

    def clean_objects(self) -> list[Identifier]:
        try:
            return parse_identifiers(self.cleaned_data["objects"])
        except InputFieldError as error:
            raise forms.ValidationError(error.message) from error


class DecisionForm(TextForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("refuse", _("Refuse"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class CloseForm(TextForm):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
