"""The watchtower's filter: zone, theme, partner (only those the reader may see), a period of weeks and the number of
weeks after which a partner counts as gone silent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.home.watchtower import MAX_SILENT_WEEKS, Scope, WatchtowerInputError, weeks_parse
from liaison.partners.forms import PartnerChoiceField
from liaison.partners.models import Partner
from liaison.partners.selectors import partner_choices
from liaison.policy.models import Compartment, Zone


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WatchtowerFilterForm(forms.Form):
    zone = forms.ModelChoiceField(Zone.objects.all(), label=_("Zone"), required=False, empty_label=_("every zone"))
    theme = forms.ModelChoiceField(
        Compartment.objects.all(), label=_("Theme"), required=False, empty_label=_("every theme")
    )
    partner = PartnerChoiceField(
        Partner.objects.none(), label=_("Partner"), required=False, empty_label=_("every partner")
    )
    start = forms.DateField(label=_("From (week of)"), required=False, widget=_date_input())
    end = forms.DateField(label=_("To (week of)"), required=False, widget=_date_input())
    silent = forms.IntegerField(
        label=_("Silent after (weeks)"), required=False, min_value=1, max_value=MAX_SILENT_WEEKS
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the partners the reader may see can be chosen: another id is refused as an unknown choice.
        self.fields["partner"].queryset = partner_choices(user=user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["weeks"] = weeks_parse(data.get("start"), data.get("end"))
        except WatchtowerInputError as error:
            self.add_error("start" if error.field == "from" else "end", error.message)
        return data

    @property
    def scope(self) -> Scope:
        data = self.cleaned_data
        return Scope(
            weeks=data["weeks"],
            zone=data.get("zone"),
            theme=data.get("theme"),
            partner=data.get("partner"),
            silent_weeks=data.get("silent") or settings.LIAISON_SILENT_WEEKS,
        )
