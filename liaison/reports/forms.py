from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Service
from liaison.core.text import TextForm
from liaison.exchanges.models import InformationItem
from liaison.policy.models import ClassificationLevel, Compartment
from liaison.reports.models import SECTIONS, Report


class ReportForm(TextForm):
    """The structured compte-rendu, the items it quotes (one checkbox and extract per visible item of the
    exchange), and an optional raise of its markings."""

    title = forms.CharField(label=_("Title"), max_length=200)
    raise_classification = forms.ModelChoiceField(
        label=_("Raise the classification to"),
        queryset=ClassificationLevel.objects.filter(scheme__is_national=True),
        required=False,
        help_text=_("Markings are computed from what the report quotes; they can only be raised by hand."),
    )
    add_compartments = forms.ModelMultipleChoiceField(
        label=_("Add compartments"),
        queryset=Compartment.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, report: Report, items: list[InformationItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quoted = {q.item_id: q.extract for q in report.quotes.all()}
        for name, label in SECTIONS:
            self.fields[name] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 5}), initial=getattr(report, name)
            )
        self.items = items
        for item in items:
            self.fields[f"quote_{item.pk}"] = forms.BooleanField(
                label=item.title, required=False, initial=item.pk in quoted
            )
            self.fields[f"extract_{item.pk}"] = forms.CharField(
                label=_("Extract"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=quoted.get(item.pk, item.text[:1000]),
            )
        self.fields["title"].initial = report.title

    def section_fields(self) -> list[Any]:
        return [self[name] for name, _label in SECTIONS]

    def quote_rows(self) -> list[tuple[InformationItem, Any, Any]]:
        return [(item, self[f"quote_{item.pk}"], self[f"extract_{item.pk}"]) for item in self.items]


class ReturnForm(TextForm):
    comment = forms.CharField(
        label=_("Comments for the author"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class DisseminateForm(forms.Form):
    services = forms.ModelMultipleChoiceField(
        label=_("Recipient services"),
        queryset=Service.objects.filter(is_recipient=True),
        widget=forms.CheckboxSelectMultiple,
    )
