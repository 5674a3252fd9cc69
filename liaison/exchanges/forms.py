from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import RECORDING_ROLES, Service, User
from liaison.core.timeutil import TimeInputError, WallClockDateTimeField, date_check, moment_in_zone, time_zone_get
from liaison.core.widgets import QuickSelect
from liaison.exchanges.models import ExchangeKind, ItemDirection, OriginatorKind
from liaison.partners.forms import PartnerChoiceField, PartnerMultipleChoiceField
from liaison.partners.models import Partner
from liaison.policy.forms import MarkingsForm
from liaison.policy.markings import InformationCredibility, SourceReliability
from liaison.policy.models import Compartment, Zone

COMMON_ZONES = [
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Casablanca",
    "Africa/Dakar",
    "Asia/Amman",
    "Asia/Dubai",
    "Asia/Tokyo",
    "America/New_York",
    "UTC",
]


def set_queryset(field: forms.Field, queryset: Any) -> None:
    """Restrict a choice field to what the user may see (the policy's queryset)."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class ExchangeForm(MarkingsForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ExchangeKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    occurred_at = WallClockDateTimeField(
        label=_("Date and time"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Local time at the place of the exchange."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=[(z, z) for z in COMMON_ZONES])
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    partners = PartnerMultipleChoiceField(
        label=_("Partners"), queryset=Partner.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Other participants"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    zones = forms.ModelMultipleChoiceField(
        label=_("Zones"), queryset=Zone.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    share_with_my_service = forms.BooleanField(label=_("Share with my service"), required=False, initial=True)

    field_order = [
        "kind",
        "title",
        "occurred_at",
        "time_zone",
        "place",
        "partners",
        "participants",
        "zones",
        "notes",
        "share_with_my_service",
    ]

    def __init__(self, *args: Any, partners: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["partners"], partners)
        set_queryset(
            self.fields["participants"],
            User.objects.filter(is_active=True, service=user.service).exclude(pk=user.pk),
        )
        self.order_fields([*self.field_order, *self.marking_fields])

    def clean_time_zone(self) -> str:
        zone: str = self.cleaned_data["time_zone"]
        try:
            time_zone_get(zone)
        except TimeInputError as error:
            raise forms.ValidationError(error.message) from None
        return zone

    def clean(self) -> dict[str, Any]:
        """The date and time are read in the chosen zone: `occurred_at` comes out as an aware UTC moment."""
        data = super().clean() or {}
        wall_clock, zone = data.get("occurred_at"), data.get("time_zone")
        if wall_clock is not None and zone:
            try:
                data["occurred_at"] = moment_in_zone(wall_clock, zone)
            except TimeInputError as error:
                self.add_error("occurred_at", error.message)
        return data


class ItemForm(MarkingsForm):
    direction = forms.ChoiceField(label=_("Direction"), choices=ItemDirection.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    originator_kind = forms.ChoiceField(label=_("Originator"), choices=OriginatorKind.choices)
    originator_partner = forms.ModelChoiceField(
        label=_("Originating partner"), queryset=Partner.objects.none(), required=False
    )
    originator_service = forms.ModelChoiceField(
        label=_("Originating service"), queryset=Service.objects.all(), required=False
    )
    source_reliability = forms.ChoiceField(label=_("Source reliability"), choices=SourceReliability.choices)
    information_credibility = forms.ChoiceField(
        label=_("Information credibility"), choices=InformationCredibility.choices
    )
    zones = forms.ModelMultipleChoiceField(
        label=_("Zones"), queryset=Zone.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    field_order = [
        "direction",
        "title",
        "text",
        "originator_kind",
        "originator_partner",
        "originator_service",
        "source_reliability",
        "information_credibility",
        "zones",
    ]

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["originator_partner"], partners)
        self.order_fields([*self.field_order, *self.marking_fields])


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))


class ExchangeFilterForm(forms.Form):
    """The exchanges list's filters (read from the query string). A value the list cannot take is reported and
    left out; the partners offered are those the reader may see."""

    partner = PartnerChoiceField(
        label=_("Partner"), queryset=Partner.objects.none(), required=False, empty_label=_("All partners")
    )
    zone = forms.ModelChoiceField(
        label=_("Zone"), queryset=Zone.objects.all(), to_field_name="code", required=False, empty_label=_("All zones")
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Compartment.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All themes"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *ExchangeKind.choices], required=False)
    officer = forms.ModelChoiceField(
        label=_("Officer"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All officers"),
        widget=QuickSelect,
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self.fields["partner"], partners)
        set_queryset(
            self.fields["officer"],
            User.objects.filter(is_active=True, roles__code__in=RECORDING_ROLES).distinct().order_by("alias"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("date_from", "date_to"):
            try:
                if data.get(name) is not None:
                    date_check(data[name])
            except TimeInputError as error:
                self.add_error(name, error.message)
                data[name] = None
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", gettext("The period cannot end before it starts: swap the two dates."))
        return data

    def filters(self) -> dict[str, Any]:
        """The keyword filters of `exchange_list` for the valid fields: dates become the user's local midnights."""
        from datetime import datetime, time, timedelta

        from django.utils import timezone

        data = {name: value for name, value in (self.cleaned_data or {}).items() if name not in self.errors}
        zone = timezone.get_current_timezone()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            start = end = None
        return {
            "partner": data.get("partner"),
            "zone": data["zone"].code if data.get("zone") else "",
            "theme": data["theme"].code if data.get("theme") else "",
            "kind": data.get("kind") or "",
            "officer": data.get("officer"),
            "since": datetime.combine(start, time(0), tzinfo=zone) if start else None,
            "until": datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone) if end else None,
        }
