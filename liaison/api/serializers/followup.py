"""How the API shows follow-ups and what clients send to create one, act on it or filter the list. Linked objects
are resolved through the selectors (an unseen id is refused like one that does not exist) and shown only when the
caller may read them. A date and time without an offset is read in the caller's own time zone, as in the forms."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from liaison.api.serializers.inputs import LocalDateTimeField, _user, parse_level, unknown, unprocessable
from liaison.api.serializers.output import MarkedSerializer
from liaison.core.timeutil import TimeInputError, moment_in_zone
from liaison.exchanges.selectors import exchange_list, item_list
from liaison.followup.models import CREATABLE_KIND_CHOICES, FollowUpKind, FollowUpStatus, Priority
from liaison.followup.selectors import assignable_owners
from liaison.partners.selectors import partner_list
from liaison.policy.access import can_read
from liaison.policy.markings import Marking
from liaison.policy.models import Compartment
from liaison.releases.selectors import release_list
from liaison.reports.selectors import report_list

WHEN_HELP = gettext_lazy("ISO 8601; without an offset, read in your own time zone.")


class WhenField(LocalDateTimeField):
    """A moment: with an offset as given, without one read in the caller's time zone (a gap or fold is refused)."""

    def to_internal_value(self, value: Any) -> datetime:
        moment = super().to_internal_value(value)
        user = self.context["request"].user
        zone = getattr(user, "time_zone", "") or settings.TIME_ZONE
        try:
            return moment_in_zone(moment, zone)
        except TimeInputError as error:
            raise unprocessable(error.message) from None


# ---------------------------------------------------------------- output


class FollowUpEventSerializer(serializers.Serializer[Any]):
    action = serializers.CharField()
    by = serializers.CharField(source="by.alias")
    comment = serializers.CharField()
    estimate_at = serializers.DateTimeField(allow_null=True)
    at = serializers.DateTimeField()


class FollowUpSerializer(MarkedSerializer):
    kind = serializers.ChoiceField(choices=FollowUpKind.choices)
    title = serializers.CharField()
    priority = serializers.ChoiceField(choices=Priority.choices)
    status = serializers.ChoiceField(choices=FollowUpStatus.choices)
    owner = serializers.CharField(source="owner.alias")
    assigned_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    estimate_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    is_overdue = serializers.BooleanField()
    is_slipping = serializers.BooleanField()
    partner = serializers.SerializerMethodField()
    requested_by_service = serializers.CharField(source="requested_by_service.code", allow_null=True)

    def get_partner(self, obj: Any) -> UUID | None:
        """The partner's id, only when the caller may see the partner (lists annotate it in SQL)."""
        return obj.partner_id if obj.partner_id and getattr(obj, "partner_visible", False) else None


class FollowUpDetailSerializer(FollowUpSerializer):
    description = serializers.CharField()
    outcome = serializers.CharField()
    partner_reference = serializers.CharField()
    closed_by = serializers.CharField(source="closed_by.alias", allow_null=True)
    author = serializers.CharField(source="created_by.alias")
    exchange = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField()
    answer_release = serializers.SerializerMethodField()
    history = FollowUpEventSerializer(source="events", many=True)

    def _visible(self, obj: Any) -> UUID | None:
        user = self.context["request"].user
        return obj.pk if obj is not None and can_read(user, obj) else None

    def get_partner(self, obj: Any) -> UUID | None:
        return self._visible(obj.partner)

    def get_exchange(self, obj: Any) -> UUID | None:
        return self._visible(obj.exchange)

    def get_report(self, obj: Any) -> UUID | None:
        return self._visible(obj.report)

    def get_answer_release(self, obj: Any) -> UUID | None:
        return self._visible(obj.answer_release)


# ---------------------------------------------------------------- input


def _one(queryset: Any, pk: UUID | None, what: str) -> Any:
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise unprocessable(unknown(what))
    return found


class FollowUpCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=CREATABLE_KIND_CHOICES)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    owner = serializers.UUIDField(required=False, help_text=gettext_lazy("A member of your service; you if left out."))
    due_at = WhenField(
        required=False, help_text=gettext_lazy("Left out for a partner's request: the default of its priority.")
    )
    partner = serializers.UUIDField(required=False)
    exchange = serializers.UUIDField(required=False)
    report = serializers.UUIDField(required=False)
    items = serializers.ListField(child=serializers.UUIDField(), default=list, max_length=100)
    partner_reference = serializers.CharField(max_length=120, allow_blank=True, default="")
    raise_classification = serializers.CharField(
        max_length=60, required=False, help_text=gettext_lazy("A level to raise the markings to (e.g. s).")
    )
    add_compartments = serializers.ListField(child=serializers.SlugField(max_length=40), default=list, max_length=50)

    def create_arguments(self) -> dict[str, Any]:
        data = self.validated_data
        user = _user(self)
        level = parse_level(data["raise_classification"]) if data.get("raise_classification") else None
        codes = list(dict.fromkeys(data["add_compartments"]))
        if Compartment.objects.filter(code__in=codes).count() != len(codes):
            raise unprocessable({"add_compartments": [_("Unknown compartment: choose one from the list.")]})
        items = list(item_list(user=user).filter(pk__in=data["items"]))
        if len(items) != len(set(data["items"])):
            raise unprocessable({"items": [unknown(_("item"))]})
        owner = _one(assignable_owners(user=user), data.get("owner"), _("owner")) or user
        return {
            "kind": data["kind"],
            "title": data["title"],
            "description": data["description"],
            "priority": data["priority"],
            "owner": owner,
            "due_at": data.get("due_at"),
            "partner": _one(partner_list(user=user), data.get("partner"), _("partner")),
            "exchange": _one(exchange_list(user=user), data.get("exchange"), _("exchange")),
            "report": _one(report_list(user=user), data.get("report"), _("report")),
            "items": items,
            "partner_reference": data["partner_reference"],
            "raise_to": Marking(rank=level.rank if level else 0, compartments=frozenset(codes)),
        }


class AcknowledgeSerializer(serializers.Serializer[Any]):
    estimate_at = WhenField(help_text=WHEN_HELP)
    acknowledged_at = WhenField(required=False, help_text=gettext_lazy("When it was acknowledged; now if left out."))
    partner_reference = serializers.CharField(
        max_length=120, allow_blank=True, default="", help_text=gettext_lazy("For a request to a partner: theirs.")
    )


class ReestimateSerializer(serializers.Serializer[Any]):
    estimate_at = WhenField(help_text=WHEN_HELP)
    reason = serializers.CharField(allow_blank=True)


class AnswerSerializer(serializers.Serializer[Any]):
    outcome = serializers.CharField(allow_blank=True, help_text=gettext_lazy("What the answer said or gave."))
    release = serializers.UUIDField(required=False, help_text=gettext_lazy("The release that carried the answer."))
    items = serializers.ListField(child=serializers.UUIDField(), default=list, max_length=100)

    def answer_arguments(self) -> dict[str, Any]:
        user = _user(self)
        data = self.validated_data
        items = list(item_list(user=user).filter(pk__in=data["items"]))
        if len(items) != len(set(data["items"])):
            raise unprocessable({"items": [unknown(_("item"))]})
        release = _one(release_list(user=user), data.get("release"), _("release"))
        return {"outcome": data["outcome"], "release": release, "items": items}


class RefuseSerializer(serializers.Serializer[Any]):
    reasons = serializers.CharField(allow_blank=True)


class CommentSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(allow_blank=True)


class CompleteSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(allow_blank=True, default="")


class FollowUpFilterSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=FollowUpKind.choices, required=False)
    status = serializers.ChoiceField(choices=FollowUpStatus.choices, required=False)
    open_only = serializers.BooleanField(
        required=False, default=False, help_text=gettext_lazy("Only open or acknowledged follow-ups.")
    )
    owner = serializers.UUIDField(required=False)
    partner = serializers.UUIDField(required=False)
    overdue = serializers.BooleanField(required=False, default=False)
