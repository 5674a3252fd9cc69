"""The ledger's filter: a period of whole months and the column the office table is sorted by."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.releases.ledger_period import DEFAULT_SORT, LedgerInputError, Period, period_parse, sort_parse


def _month_input() -> forms.TextInput:
    return forms.TextInput(
        attrs={"type": "month", "placeholder": "YYYY-MM", "maxlength": 7, "pattern": "[0-9]{4}-[0-9]{2}"}
    )


class LedgerFilterForm(forms.Form):
    """`from` and `to` (YYYY-MM, both included; the last 12 months by default) and `sort` (a column, - for
    descending). The period is checked by the ledger's own `period_parse`, so pages and API refuse the same."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.CharField(label=_("From (month)"), required=False, widget=_month_input())
        self.fields["to"] = forms.CharField(label=_("To (month)"), required=False, widget=_month_input())
        self.fields["sort"] = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["period"] = period_parse(data.get("from"), data.get("to"))
        except LedgerInputError as error:
            self.add_error(error.field, error.message)
        try:
            data["sort_column"] = sort_parse(data.get("sort") or DEFAULT_SORT)
        except LedgerInputError as error:
            self.add_error(None, error.message)
        return data

    @property
    def period(self) -> Period:
        period: Period = self.cleaned_data["period"]
        return period
