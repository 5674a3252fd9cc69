"""The markings part of every form that creates or edits a protected object."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.core.countries import is_country
from liaison.core.text import TextForm
from liaison.policy.apply import marking_of
from liaison.policy.markings import PAP, TLP, HandlingCode, Marking
from liaison.policy.models import Caveat, ClassificationLevel, Compartment


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class MarkingsForm(TextForm):
    """Classification, compartments, caveats, releasability, TLP/PAP and handling code."""

    classification = LevelChoiceField(
        label=_("Classification"),
        queryset=ClassificationLevel.objects.select_related("scheme").order_by(
            "-scheme__is_national", "scheme", "rank"
        ),
    )
    compartments = forms.ModelMultipleChoiceField(
        label=_("Compartments (themes)"),
        queryset=Compartment.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    caveats = forms.ModelMultipleChoiceField(
        label=_("Caveats"), queryset=Caveat.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    no_foreign_release = forms.BooleanField(label=_("No foreign release"), required=False)
    releasable_to = forms.CharField(
        label=_("Releasable to"),
        required=False,
        max_length=300,
        help_text=_("ISO country codes separated by commas (e.g. BE, DE); leave empty for no list."),
    )
    handling_code = forms.TypedChoiceField(
        label=_("Handling code"), choices=HandlingCode.choices, coerce=int, initial=HandlingCode.H0
    )
    tlp = forms.ChoiceField(label="TLP", choices=[("", "—"), *TLP.choices], required=False)
    pap = forms.ChoiceField(label="PAP", choices=[("", "—"), *PAP.choices], required=False)

    marking_fields = [
        "classification",
        "compartments",
        "caveats",
        "no_foreign_release",
        "releasable_to",
        "handling_code",
        "tlp",
        "pap",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and "classification" not in self.initial:
            national = ClassificationLevel.objects.filter(scheme__is_national=True, code="dr").first()
            self.initial["classification"] = national

    def clean_releasable_to(self) -> list[str] | None:
        raw = self.cleaned_data.get("releasable_to", "")
        codes = [code.strip().upper() for code in raw.replace(";", ",").split(",") if code.strip()]
        bad = [code for code in codes if not is_country(code)]
        if bad:
            raise forms.ValidationError(
                gettext("Not ISO 3166 country codes: %(codes)s. Use two letters, e.g. BE.") % {"codes": ", ".join(bad)}
            )
        return codes or None

    def marking(self) -> Marking:
        data = self.cleaned_data
        return marking_of(
            classification=data["classification"],
            compartments=data["compartments"],
            caveats=data["caveats"],
            releasable_to=data["releasable_to"],
            no_foreign_release=data["no_foreign_release"],
            handling_code=data["handling_code"],
            tlp=data["tlp"],
            pap=data["pap"],
        )

    def level(self) -> ClassificationLevel:
        level: ClassificationLevel = self.cleaned_data["classification"]
        return level

    @staticmethod
    def initial_from(obj: Any) -> dict[str, Any]:
        return {
            "classification": obj.classification,
            "compartments": list(obj.compartments.all()),
            "caveats": list(obj.caveats.all()),
            "no_foreign_release": obj.no_foreign_release,
            "releasable_to": ", ".join(obj.releasable_to or []),
            "handling_code": obj.handling_code,
            "tlp": obj.tlp,
            "pap": obj.pap,
        }
