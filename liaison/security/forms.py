"""Forms of the strengthening plan's pages: they parse input; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.security.models import (
    FrameworkControl,
    Indicator,
    LineOfDefence,
    MeasureStatus,
    Objective,
)


class CatalogueForm(forms.Form):
    file = forms.FileField(label=_("Catalogue file (.yaml or .csv)"))


class ObjectiveForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=20)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    target_on = forms.DateField(
        label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class OwnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.alias)


class ControlChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.framework.code} {obj.framework.version} · {obj.control_id} · {obj.title}"


class MeasureForm(forms.Form):
    objective = forms.ModelChoiceField(label=_("Objective"), queryset=Objective.objects.all())
    reference = forms.CharField(label=_("Reference"), max_length=20)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    line = forms.TypedChoiceField(label=_("Line of defence"), choices=LineOfDefence.choices, coerce=int)
    owner = OwnerChoice(label=_("Owner"), queryset=User.objects.filter(is_active=True).order_by("alias"))
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    controls = ControlChoice(
        label=_("Framework controls"),
        queryset=FrameworkControl.objects.select_related("framework").order_by("framework__code", "position"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Live indicators"), queryset=Indicator.objects.all(), required=False
    )


class MeasureUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MeasureStatus.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    comment = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
