"""Forms of the consent and tearline pages. They read what was typed and name objects only among those the user may
read (an unseen id reads as unknown); the rules themselves are the services'."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.core.exceptions import DomainError, PolicyRefusal
from liaison.core.text import TextForm
from liaison.core.timeutil import TimeInputError, date_check
from liaison.exchanges.models import InformationItem
from liaison.exchanges.selectors import item_list
from liaison.partners.models import Partner
from liaison.policy.access import visible_to
from liaison.policy.models import ClassificationLevel
from liaison.releases.consent_selectors import GRANTED, REFUSED, OriginatorChoice, originator_choices, originator_parse
from liaison.releases.models import ConsentRequest


def refusal_text(error: DomainError) -> str:
    """A service's refusal as a page shows it: a refusal of the access or release policy names its rule."""
    if isinstance(error, PolicyRefusal):
        return gettext("Refused by the rule “%(rule)s”: %(message)s") % {"rule": error.rule, "message": error.message}
    return error.message


def unknown_item() -> str:
    return gettext("Unknown %(what)s: choose one from the list.") % {"what": gettext("item")}


class ItemsField(forms.Field):
    """Item ids sent by checkboxes, kept only when the user may read them: an unseen or unknown id is refused in
    the same words, so the refusal reveals nothing."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, user: User, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(v) for v in values]

    def clean(self, value: Any) -> list[InformationItem]:
        ids = self.to_python(value)
        self.validate(ids)
        keys: list[uuid.UUID] = []
        for raw in ids:
            try:
                keys.append(uuid.UUID(raw))
            except ValueError:
                raise forms.ValidationError(unknown_item()) from None
        if len(set(keys)) != len(keys):
            raise forms.ValidationError(gettext("An item is named twice: name each item once."))
        found = {item.pk: item for item in item_list(user=self.user).filter(pk__in=keys)}
        if any(key not in found for key in keys):
            raise forms.ValidationError(unknown_item())
        return [found[key] for key in keys]


def _date(form: forms.Form, data: dict[str, Any], name: str) -> None:
    try:
        if data.get(name) is not None:
            date_check(data[name])
    except TimeInputError as error:
        form.add_error(name, error.message)


class ConsentForm(TextForm):
    """An originator's answer: who answered, which items (listed or all of its items), for which partner, the
    verdict, until when, and where the answer is."""

    originator = forms.ChoiceField(label=_("Originator"), choices=[])
    all_items = forms.BooleanField(label=_("All items of this originator"), required=False)
    partner = forms.ModelChoiceField(
        label=_("For partner"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("any partner"),
    )
    verdict = forms.ChoiceField(
        label=_("Answer"),
        choices=[(GRANTED, _("granted")), (REFUSED, _("refused"))],
        widget=forms.RadioSelect,
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Inclusive; empty: no end."),
    )
    reference = forms.CharField(
        label=_("Reference of the answer"),
        max_length=200,
        help_text=_("Where the answer is: message number, letter, call."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    request = forms.ModelChoiceField(
        label=_("Answers the request"), queryset=ConsentRequest.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: User, requests: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["items"] = ItemsField(user=user, label=_("Items"), required=False)
        originator = self.fields["originator"]
        assert isinstance(originator, forms.ChoiceField)
        originator.choices = [("", "—"), *originator_choices(user)]
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = visible_to(Partner.objects.order_by("name"), user)
        request = self.fields["request"]
        assert isinstance(request, forms.ModelChoiceField)
        request.queryset = requests
        request.widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _date(self, data, "valid_until")
        if data.get("originator") and originator_parse(self.user, data["originator"]) is None:
            self.add_error("originator", unknown_item())
        return data

    def chosen(self) -> OriginatorChoice:
        chosen = originator_parse(self.user, self.cleaned_data["originator"])
        assert chosen is not None  # clean() refused anything else
        return chosen


class ConsentRequestForm(TextForm):
    """A request to one originator the release owes a consent to."""

    originator = forms.ChoiceField(label=_("Originator"), choices=[], widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Message to the originator"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you ask, for which partner, and why."),
    )
    answer_due = forms.DateField(
        label=_("Answer expected by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, owed: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        originator = self.fields["originator"]
        assert isinstance(originator, forms.ChoiceField)
        originator.choices = [(o.value, o.label) for o in owed]
        self.owed = {o.value: o for o in owed}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _date(self, data, "answer_due")
        return data


class TearlineForm(TextForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Sanitised text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Only what may leave: no source, method or detail that made the sources classified."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sources"] = ItemsField(user=user, label=_("Source items"))


class DowngradeRequestForm(TextForm):
    level = forms.ModelChoiceField(
        label=_("Downgrade to"), queryset=ClassificationLevel.objects.filter(scheme__is_national=True)
    )
    reason = forms.CharField(
        label=_("Reason for the downgrade"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the sanitised text no longer needs its sources' classification."),
    )

    def __init__(self, *args: Any, below: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if below is not None:
            level = self.fields["level"]
            assert isinstance(level, forms.ModelChoiceField)
            level.queryset = ClassificationLevel.objects.filter(scheme__is_national=True, rank__lt=below)


class DowngradeDecideForm(TextForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the downgrade")), ("refuse", _("Refuse the downgrade"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a refusal."),
    )
