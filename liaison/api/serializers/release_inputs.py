"""What clients send about releases, consents, consent requests and tearlines. Every id is resolved through the
selectors: an item, tearline, partner, release or request the caller may not see is refused with the very words
used for an id that does not exist (422)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from liaison.accounts.models import Service
from liaison.api.serializers.inputs import LocalDateTimeField, _user, unknown, unprocessable
from liaison.core.timeutil import TimeInputError, date_check, moment_in_zone
from liaison.exchanges.models import InformationItem
from liaison.exchanges.selectors import item_list
from liaison.partners.models import Partner
from liaison.partners.selectors import partner_list
from liaison.policy import release as rule
from liaison.releases.models import ConsentRequestStatus, OriginatorKind, Release, ReleaseStatus, Tearline
from liaison.releases.selectors import consent_request_list, release_list, tearline_list
from liaison.releases.services import Content

ITEMS_MAX = 200


def _visible_partner(serializer: serializers.Serializer[Any], pk: UUID | None) -> Partner | None:
    if pk is None:
        return None
    partner = partner_list(user=_user(serializer)).filter(pk=pk).first()
    if partner is None:
        raise unprocessable(unknown(_("partner")))
    return partner


def _visible_items(serializer: serializers.Serializer[Any], ids: list[UUID]) -> list[InformationItem]:
    """The items named, in the order given (an id named twice stays twice: the service says so)."""
    found = {i.pk: i for i in item_list(user=_user(serializer)).filter(pk__in=set(ids))}
    if any(pk not in found for pk in ids):
        raise unprocessable(unknown(_("item")))
    return [found[pk] for pk in ids]


def _visible_tearline(serializer: serializers.Serializer[Any], pk: UUID | None) -> Tearline | None:
    if pk is None:
        return None
    tearline = tearline_list(user=_user(serializer)).filter(pk=pk).first()
    if tearline is None:
        raise unprocessable(unknown(_("tearline")))
    return tearline


def _service(code: str | None) -> Service | None:
    if code is None:
        return None
    service = Service.objects.filter(code=code).first()
    if service is None:
        raise unprocessable(unknown(_("service")))
    return service


def _date(value: date | None) -> date | None:
    """A calendar date within the recordable range."""
    if value is None:
        return None
    try:
        return date_check(value)
    except TimeInputError as error:
        raise unprocessable(error.message) from None


def _item_ids() -> serializers.ListField:
    return serializers.ListField(child=serializers.UUIDField(), max_length=ITEMS_MAX, default=list)


# ---------------------------------------------------------------- releases


class ReleaseContentSerializer(serializers.Serializer[Any]):
    """What a release carries: `items` (ids) or one `tearline` (id), not both."""

    justification = serializers.CharField(help_text=gettext_lazy("Why this should go to the partner."))
    items = _item_ids()
    tearline = serializers.UUIDField(allow_null=True, default=None)

    def validate_items(self, value: list[UUID]) -> list[InformationItem]:
        return _visible_items(self, value)

    def validate_tearline(self, value: UUID | None) -> Tearline | None:
        return _visible_tearline(self, value)

    def content(self, current: Release | None = None) -> Content:
        """The content sent; on a partial update, the current one unless `items` or `tearline` is sent."""
        data = self.validated_data
        if current is not None and "items" not in data and "tearline" not in data:
            return Content(items=tuple(link.item for link in current.item_links.all()), tearline=current.tearline)
        return Content(items=tuple(data.get("items", ())), tearline=data.get("tearline"))


class ReleaseCreateSerializer(ReleaseContentSerializer):
    partner = serializers.UUIDField()

    def validate_partner(self, value: UUID) -> Partner | None:
        return _visible_partner(self, value)


class ReleaseUpdateSerializer(ReleaseContentSerializer):
    """A draft's justification and content; what is left out stays as it is."""


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=4000, help_text=gettext_lazy("Why: the requester or partner reads it."))


class RecallReceiptSerializer(serializers.Serializer[Any]):
    received_at = LocalDateTimeField(
        help_text=gettext_lazy("When the partner acknowledged the recall; without an offset, read in `time_zone`.")
    )
    time_zone = serializers.CharField(max_length=64, default="Europe/Paris")
    received_by = serializers.CharField(
        max_length=200, help_text=gettext_lazy("Who at the partner acknowledged the recall.")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["received_at"] = moment_in_zone(attrs["received_at"], attrs["time_zone"])
        except TimeInputError as error:
            raise unprocessable({"received_at": [error.message]}) from None
        return attrs


# ---------------------------------------------------------------- consents and consent requests


class ConsentCreateSerializer(serializers.Serializer[Any]):
    """An originator's answer on record; it is never edited afterwards (a new answer is a new record)."""

    originator_kind = serializers.ChoiceField(choices=OriginatorKind.choices)
    originator_partner = serializers.UUIDField(allow_null=True, default=None)
    originator_service = serializers.SlugField(
        max_length=40, allow_null=True, default=None, help_text=gettext_lazy("Code.")
    )
    items = _item_ids()
    all_items = serializers.BooleanField(default=False)
    partner = serializers.UUIDField(
        allow_null=True, default=None, help_text=gettext_lazy("The partner it is for; null: any partner.")
    )
    granted = serializers.BooleanField()
    valid_until = serializers.DateField(allow_null=True, default=None, help_text=gettext_lazy("Inclusive."))
    reference = serializers.CharField(
        max_length=200, help_text=gettext_lazy("Where the answer is: message number, letter, call.")
    )
    note = serializers.CharField(allow_blank=True, default="")
    request = serializers.UUIDField(
        allow_null=True, default=None, help_text=gettext_lazy("The consent request this answers.")
    )

    def validate_originator_partner(self, value: UUID | None) -> Partner | None:
        return _visible_partner(self, value)

    def validate_originator_service(self, value: str | None) -> Service | None:
        return _service(value)

    def validate_valid_until(self, value: date | None) -> date | None:
        return _date(value)

    def validate_items(self, value: list[UUID]) -> list[InformationItem]:
        return _visible_items(self, value)

    def validate_partner(self, value: UUID | None) -> Partner | None:
        return _visible_partner(self, value)

    def validate_request(self, value: UUID | None) -> Any:
        if value is None:
            return None
        request = consent_request_list(user=_user(self)).filter(pk=value).first()
        if request is None:
            raise unprocessable(unknown(_("consent request")))
        return request


class ConsentRequestCreateSerializer(serializers.Serializer[Any]):
    """Ask an originator for consent to a release the rule refuses; the request names the release's items owed to
    that originator."""

    release = serializers.UUIDField()
    originator_kind = serializers.ChoiceField(choices=OriginatorKind.choices)
    originator_partner = serializers.UUIDField(allow_null=True, default=None)
    originator_service = serializers.SlugField(
        max_length=40, allow_null=True, default=None, help_text=gettext_lazy("Code.")
    )
    message = serializers.CharField(help_text=gettext_lazy("What you ask the originator, and why."))
    answer_due = serializers.DateField(allow_null=True, default=None)

    def validate_release(self, value: UUID) -> Release:
        release = release_list(user=_user(self)).filter(pk=value).first()
        if release is None:
            raise unprocessable(unknown(_("release")))
        return release

    def validate_originator_partner(self, value: UUID | None) -> Partner | None:
        return _visible_partner(self, value)

    def validate_originator_service(self, value: str | None) -> Service | None:
        return _service(value)

    def validate_answer_due(self, value: date | None) -> date | None:
        return _date(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs["originator_kind"]
        if kind == OriginatorKind.PARTNER and attrs["originator_partner"] is None:
            raise unprocessable({"originator_partner": [_("Name the partner service to ask.")]})
        if kind == OriginatorKind.SERVICE and attrs["originator_service"] is None:
            raise unprocessable({"originator_service": [_("Name the internal service to ask.")]})
        return attrs

    def originator(self) -> rule.Originator:
        data = self.validated_data
        if data["originator_kind"] == OriginatorKind.PARTNER:
            return rule.Originator(rule.PARTNER, str(data["originator_partner"].pk))
        if data["originator_kind"] == OriginatorKind.SERVICE:
            return rule.Originator(rule.SERVICE, data["originator_service"].code)
        return rule.Originator(rule.OPEN_SOURCE, "")


# ---------------------------------------------------------------- tearlines


class TearlineWriteSerializer(serializers.Serializer[Any]):
    """A sanitised text and the items it is written from; its markings are computed from them."""

    title = serializers.CharField(max_length=200)
    text = serializers.CharField()
    sources = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=ITEMS_MAX)

    def validate_sources(self, value: list[UUID]) -> list[InformationItem]:
        return _visible_items(self, list(dict.fromkeys(value)))


# ---------------------------------------------------------------- list filters


class ReleaseFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ReleaseStatus.choices, required=False)
    partner = serializers.UUIDField(required=False)


class ConsentFilterSerializer(serializers.Serializer[Any]):
    originator_partner = serializers.UUIDField(required=False)
    granted = serializers.BooleanField(required=False, allow_null=True, default=None)


class ConsentRequestFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ConsentRequestStatus.choices, required=False)


class TearlineFilterSerializer(serializers.Serializer[Any]):
    """Tearlines take no filter."""
