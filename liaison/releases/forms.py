"""Forms of the release request pages: building a release (partner, justification, items or one tearline), the
reasons of a refusal or a recall, and the partner's receipt of a recall. Every choice is limited to what the user
may read; an id outside it is refused as if it did not exist."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liaison.core.text import TextForm
from liaison.core.timeutil import TimeInputError, WallClockDateTimeField, moment_in_zone
from liaison.core.widgets import QuickSelect, QuickSelectMultiple
from liaison.exchanges.forms import COMMON_ZONES
from liaison.exchanges.models import InformationItem
from liaison.partners.models import Partner
from liaison.releases.models import Tearline

NO_SUCH_ITEM = _("No such item: choose the items from the list.")
NO_SUCH_PARTNER = _("No such partner: choose one from the list.")
NO_SUCH_TEARLINE = _("No such tearline: choose one from the list.")


class KnownChoice(forms.ModelChoiceField):
    widget = QuickSelect
    """One object by id among those the user may read; a malformed id gets the same answer as an unknown one."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value not in self.empty_values:
            try:
                uuid.UUID(str(value))
            except ValueError:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None
        return super().to_python(value)


class ItemChoices(forms.ModelMultipleChoiceField):
    widget = QuickSelectMultiple
    """Items by id, checked against every item the user may read; only the items offered on the page are drawn.
    Any id that is not one of them, malformed or not, gets the same answer."""

    def _check_values(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                uuid.UUID(str(pk))
            except ValueError:
                raise forms.ValidationError(NO_SUCH_ITEM, code="invalid_choice") from None
        return super()._check_values(value)  # type: ignore[misc]

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class ReleaseForm(TextForm):
    partner = KnownChoice(
        label=_("Partner"),
        queryset=Partner.objects.none(),
        error_messages={"invalid_choice": NO_SUCH_PARTNER, "invalid_pk_value": NO_SUCH_PARTNER},
    )
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("Why this should go to the partner: the release authority reads it."),
    )
    items = ItemChoices(
        label=_("Items"),
        queryset=InformationItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NO_SUCH_ITEM, "invalid_pk_value": NO_SUCH_ITEM, "list": NO_SUCH_ITEM},
    )
    tearline = KnownChoice(
        label=_("Or one tearline"),
        queryset=Tearline.objects.none(),
        required=False,
        empty_label=_("— no tearline —"),
        error_messages={"invalid_choice": NO_SUCH_TEARLINE, "invalid_pk_value": NO_SUCH_TEARLINE},
        help_text=_("A release carries items or one tearline, not both."),
    )

    shown_items: list[InformationItem]

    def __init__(
        self,
        *args: Any,
        partners: QuerySet[Partner],
        readable_items: QuerySet[InformationItem],
        offered: list[InformationItem],
        tearlines: QuerySet[Tearline],
        partner_fixed: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        partner_field: Any = self.fields["partner"]
        partner_field.queryset = partners
        if partner_fixed:
            partner_field.disabled = True
        items_field: Any = self.fields["items"]
        items_field.queryset = readable_items
        # Draw only the items offered here (an exchange's, a report's quotes, a search, those already chosen);
        # validation still accepts any readable item, and refuses any other id as if it did not exist.
        items_field.widget.choices = [(str(item.pk), item.title) for item in offered]
        tearline_field: Any = self.fields["tearline"]
        tearline_field.queryset = tearlines

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("items") and data.get("tearline"):
            self.add_error("tearline", _("A release carries items or one tearline, not both: make two releases."))
        elif "items" in data and "tearline" in data and not data.get("items") and not data.get("tearline"):
            self.add_error("items", _("Choose at least one item, or one tearline."))
        return data


class ReasonForm(TextForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class RecallReceiptForm(TextForm):
    received_at = WallClockDateTimeField(
        label=_("Receipt date and time"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("When the partner acknowledged the recall, in the time zone chosen below."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=[(z, z) for z in COMMON_ZONES])
    received_by = forms.CharField(
        label=_("Acknowledged by (at the partner)"),
        max_length=200,
        help_text=_("Who at the partner acknowledged it: name or function, as they signed."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if settings.TIME_ZONE in dict(self.fields["time_zone"].choices):  # type: ignore[attr-defined]
            self.fields["time_zone"].initial = settings.TIME_ZONE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        wall_clock: datetime | None = data.get("received_at")
        zone = data.get("time_zone")
        if wall_clock is not None and zone:
            try:
                data["received_at"] = moment_in_zone(wall_clock, zone)
            except TimeInputError as error:
                self.add_error("received_at", error.message)
        return data
