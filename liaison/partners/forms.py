from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core.countries import country_choices
from liaison.core.text import TextForm
from liaison.core.timeutil import TimeInputError, date_check
from liaison.core.widgets import QuickSelect, QuickSelectMultiple, RowChoiceIterator
from liaison.partners.models import Partner, PartnerKind, PartnerStatus, TrustLevel
from liaison.policy.forms import MarkingsForm
from liaison.policy.models import ClassificationLevel, Compartment, Zone


class PartnerChoiceField(forms.ModelChoiceField):
    """A partner chosen from the list the form is given (the partners its reader may see), labelled "ACRONYM — Name"
    and listed without loading each partner."""

    widget = QuickSelect
    iterator = RowChoiceIterator
    label_columns = ("acronym", "name")

    def label_from_row(self, acronym: str, name: str) -> str:
        return Partner.label_of(acronym, name)


class PartnerMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = QuickSelectMultiple
    iterator = RowChoiceIterator
    label_columns = ("acronym", "name")

    def label_from_row(self, acronym: str, name: str) -> str:
        return Partner.label_of(acronym, name)


class PartnerForm(TextForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    acronym = forms.CharField(label=_("Acronym"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    zone = forms.ModelChoiceField(label=_("Zone"), queryset=Zone.objects.all())
    trust_level = forms.TypedChoiceField(label=_("Trust level"), choices=TrustLevel.choices, coerce=int)
    status = forms.ChoiceField(label=_("Status"), choices=PartnerStatus.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class PartnerCreateForm(PartnerForm, MarkingsForm):
    country = forms.ChoiceField(label=_("Country"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = [("", "—"), *country_choices()]
        self.order_fields(["name", "acronym", "country", *PartnerForm.base_fields, *self.marking_fields])


class AgreementForm(TextForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes covered"), queryset=Compartment.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    max_classification = forms.ModelChoiceField(
        label=_("Highest classification exchangeable"),
        queryset=ClassificationLevel.objects.filter(scheme__is_national=True),
    )
    onward_dissemination = forms.BooleanField(label=_("Onward dissemination allowed"), required=False)
    valid_from = forms.DateField(label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("In force until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("valid_from", "valid_until"):
            try:
                if data.get(name) is not None:
                    date_check(data[name])
            except TimeInputError as error:
                self.add_error(name, error.message)
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", gettext("The agreement cannot end before it starts."))
        return data


class ContactForm(TextForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    channel = forms.CharField(label=_("How to reach"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
