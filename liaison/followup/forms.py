"""Forms of the follow-up pages. Dates and times are typed as wall-clock times and read in the user's active time
zone (their profile's, or the instance's), through the same `moment_in_zone` as everywhere: a time in a
daylight-saving gap or fold is refused with the instants around it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.core.text import TextForm
from liaison.core.timeutil import TimeInputError, WallClockDateTimeField, moment_in_zone
from liaison.core.widgets import QuickSelect, RowChoiceIterator
from liaison.exchanges.models import InformationItem
from liaison.followup.models import CREATABLE_KIND_CHOICES, FollowUpKind, FollowUpStatus, Priority
from liaison.partners.forms import PartnerChoiceField
from liaison.partners.models import Partner
from liaison.policy.markings import Marking
from liaison.policy.models import ClassificationLevel, Compartment

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def when_field(label: Any, *, required: bool = True, help_text: Any = "") -> WallClockDateTimeField:
    return WallClockDateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=help_text or _("In your time zone ({zone})."),
    )


class ZonedForm(TextForm):
    """Reads its wall-clock fields in the active time zone."""

    zoned: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        for name in self.zoned:
            field = self.fields[name]
            field.help_text = str(field.help_text).replace("{zone}", zone)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = timezone.get_current_timezone_name()
        for name in self.zoned:
            wall_clock: datetime | None = data.get(name)
            if wall_clock is None:
                continue
            try:
                data[name] = moment_in_zone(wall_clock, zone)
            except TimeInputError as error:
                self.add_error(name, error.message)
        return data


class UserChoiceField(forms.ModelChoiceField):
    widget = QuickSelect
    iterator = RowChoiceIterator
    label_columns = ("alias",)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.alias)

    def label_from_row(self, alias: str) -> str:
        return alias


class FollowUpForm(ZonedForm):
    """A new task or request: kind, what, who, when, which partner and items, and an optional raise of markings."""

    zoned = ("due_at",)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=CREATABLE_KIND_CHOICES,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    owner = UserChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_at = when_field(
        _("Due"),
        required=False,
        help_text=_(
            "In your time zone ({zone}). Leave empty for a partner's request: urgent 8 hours, normal 3 days, "
            "routine 7 days."
        ),
    )
    partner = PartnerChoiceField(label=_("Partner"), queryset=Partner.objects.none(), required=False)
    partner_reference = forms.CharField(label=_("Partner's reference"), max_length=120, required=False)
    items = forms.ModelMultipleChoiceField(
        label=_("Items"), queryset=InformationItem.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    raise_classification = forms.ModelChoiceField(
        label=_("Raise the classification to"),
        queryset=ClassificationLevel.objects.filter(scheme__is_national=True),
        required=False,
        help_text=_("Markings are at least those of what the follow-up links; they can only be raised by hand."),
    )
    add_compartments = forms.ModelMultipleChoiceField(
        label=_("Add compartments"),
        queryset=Compartment.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        owners: Any,
        partners: Any,
        items: Iterable[InformationItem] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        owner_field: Any = self.fields["owner"]
        owner_field.queryset = owners
        partner_field: Any = self.fields["partner"]
        partner_field.queryset = partners
        items = list(items)
        items_field: Any = self.fields["items"]
        items_field.queryset = InformationItem.objects.filter(pk__in=[i.pk for i in items])
        if not items:
            del self.fields["items"]

    def raise_to(self) -> Marking:
        data = self.cleaned_data
        level = data.get("raise_classification")
        return Marking(
            rank=level.rank if level else 0,
            compartments=frozenset(c.code for c in data.get("add_compartments") or []),
        )


class QuestionForm(ZonedForm):
    """A recipient's question to the author of a report."""

    zoned = ("due_at",)
    question = forms.CharField(label=_("Your question"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    due_at = when_field(
        _("Answer wanted by"),
        required=False,
        help_text=_("In your time zone ({zone}). Leave empty for the normal 3 days."),
    )


class ActionForm(ZonedForm):
    """One action on a follow-up, chosen by the button pressed; each action uses the fields it needs."""

    ACTIONS = (
        "acknowledge",
        "partner_ack",
        "reestimate",
        "answer",
        "refuse",
        "complete",
        "cancel",
        "comment",
        "reopen",
        "reassign",
    )
    zoned = ("estimate_at", "acknowledged_at", "due_at")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS], widget=forms.HiddenInput)
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=8000)
    estimate_at = when_field(_("Estimated answer"), required=False)
    acknowledged_at = when_field(
        _("Acknowledged at"), required=False, help_text=_("In your time zone ({zone}); empty for now.")
    )
    due_at = when_field(_("New due date"), required=False)
    partner_reference = forms.CharField(label=_("Partner's reference"), max_length=120, required=False)
    to_user = UserChoiceField(label=_("New owner"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if owners is not None:
            to_user: Any = self.fields["to_user"]
            to_user.queryset = owners

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        action = data.get("action")
        needs_estimate = action in ("acknowledge", "partner_ack", "reestimate")
        if needs_estimate and data.get("estimate_at") is None and "estimate_at" not in self.errors:
            self.add_error("estimate_at", _("Give the estimated answer date and time."))
        if action == "reassign" and data.get("to_user") is None:
            self.add_error("to_user", _("Choose the new owner."))
        return data


class ListFilterForm(forms.Form):
    """The filters of the follow-up list (GET); unknown values are ignored by falling back to the default."""

    scope = forms.ChoiceField(
        label=_("Whose"),
        required=False,
        choices=[("mine", _("My follow-ups")), ("all", _("All I may see"))],
        initial="mine",
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "—"), *FollowUpKind.choices])
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("open or acknowledged")), ("", _("any")), *FollowUpStatus.choices],
        initial="open",
    )
    priority = forms.ChoiceField(label=_("Priority"), required=False, choices=[("", "—"), *Priority.choices])
    partner = PartnerChoiceField(label=_("Partner"), queryset=Partner.objects.none(), required=False)
    owner = UserChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, partners: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner_field: Any = self.fields["partner"]
        partner_field.queryset = partners
        if owners is None:
            del self.fields["owner"]
        else:
            owner_field: Any = self.fields["owner"]
            owner_field.queryset = owners


class HandoverForm(TextForm):
    from_user = UserChoiceField(label=_("Officer leaving"), queryset=User.objects.none())
    to_user = UserChoiceField(label=_("Successor"), queryset=User.objects.none())
    note = forms.CharField(
        label=_("Hand-over note"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=8000,
        help_text=_("What the successor needs to know: open questions, promises made, partners' habits."),
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from_user", "to_user"):
            field: Any = self.fields[name]
            field.queryset = members
