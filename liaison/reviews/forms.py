"""Forms of access reviews: opening a campaign, deciding an item, confirming the rest, closing a campaign."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Service
from liaison.policy.models import ClassificationLevel
from liaison.reviews.services import NAME_MAX, REASON_MAX


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    due_on = forms.DateField(
        label=_("Due on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Unanswered items are reminded to the managers after this day, then escalated."),
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services reviewed"),
        queryset=Service.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every active user."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("confirm", _("confirm")), ("revoke", _("revoke"))])
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, required=False, widget=forms.Textarea)
    lowered_to = forms.ModelChoiceField(
        label=_("Lower the clearance to"),
        queryset=ClassificationLevel.objects.filter(scheme__is_national=True),
        required=False,
        empty_label=_("none (remove the clearance)"),
    )


class ConfirmRestForm(forms.Form):
    """The items listed on the manager's page (hidden fields) and an explicit tick: nothing is confirmed unseen."""

    checked = forms.BooleanField(
        label=_("I have checked each of these entitlements and the person still needs it."),
        required=True,
        error_messages={"required": _("Tick the box to confirm that you checked each entitlement listed.")},
    )

    def item_ids(self) -> list[str]:
        """The listed ids that are well-formed (the service keeps only those still pending that the user decides)."""
        ids = []
        for value in self.data.getlist("items") if hasattr(self.data, "getlist") else []:
            try:
                ids.append(str(uuid.UUID(str(value))))
            except ValueError:
                continue
        return ids


class CloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Close the campaign and sign its result."),
        required=True,
        error_messages={"required": _("Tick the box to close the campaign.")},
    )
