"""The concerns' forms: raising one, and the security office's triage, answer and publication."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import User
from liaison.concerns.models import ConcernCategory, ConcernOutcome, ConcernSeverity
from liaison.concerns.selectors import concern_handlers
from liaison.concerns.services import POST_MAX, SUBJECT_MAX, TEXT_MAX


class ConcernForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=ConcernCategory.choices)
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    description = forms.CharField(
        label=_("Description"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened or what worries you, when and where. Do not paste classified content."),
    )
    post_or_service = forms.CharField(
        label=_("Post or service"),
        max_length=POST_MAX,
        help_text=_("Where you work; it is never published."),
    )


class HandlerField(forms.ModelChoiceField):
    """A security officer, chosen and shown by alias."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.alias)


class TriageForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=ConcernSeverity.choices)
    owner = HandlerField(label=_("Handled by"), queryset=User.objects.none(), to_field_name="alias")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, HandlerField)
        owner.queryset = concern_handlers()


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ConcernOutcome.choices)
    answer = forms.CharField(
        label=_("Answer and rationale"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What will or will not be done, and why: the requester reads it as written."),
    )


class PublishForm(forms.Form):
    question = forms.CharField(
        label=_("Question as published"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Restate the question so that nobody can tell who asked it or from where."),
    )
    answer = forms.CharField(
        label=_("Answer as published"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
