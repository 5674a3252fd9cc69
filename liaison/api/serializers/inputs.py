"""What clients send: markings (`classification` as a level code or `scheme:code`), new exchanges, items and
reports, their updates, workflow actions and list filters. References to protected objects are resolved through
the selectors: an unseen id is refused with the very words used for an id that does not exist."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from liaison.accounts.models import Service, User
from liaison.api.handlers import UNPROCESSABLE
from liaison.api.serializers.output import with_sections
from liaison.core.timeutil import TimeInputError, moment_in_zone, time_zone_get
from liaison.exchanges.models import ExchangeKind, InformationItem, ItemDirection, OriginatorKind
from liaison.exchanges.selectors import exchange_list, item_list
from liaison.exchanges.services import ItemInput
from liaison.partners.models import PartnerStatus
from liaison.partners.selectors import partner_list
from liaison.policy.apply import marking_of
from liaison.policy.classification import national_scheme
from liaison.policy.markings import PAP, HandlingCode, InformationCredibility, Marking, SourceReliability, tlp_parse
from liaison.policy.models import Caveat, ClassificationLevel, Compartment, Zone
from liaison.reports.models import SECTIONS, ReportStatus
from liaison.reports.services import Quote

# ---------------------------------------------------------------- input helpers


def _user(serializer: serializers.Serializer[Any]) -> User:
    user = serializer.context["request"].user
    if not isinstance(user, User):
        raise serializers.ValidationError(_("Log in first."))
    return user


def unprocessable(detail: Any) -> serializers.ValidationError:
    """A refusal of a value that matches the published schema but that a rule refuses (an unknown or unseen
    reference, a date that cannot be recorded): the API answers 422, keeping 400 for what breaks the schema."""
    return serializers.ValidationError(detail, code=UNPROCESSABLE)


def unknown(what: str) -> str:
    """The words for an id that does not exist and for one the caller may not see: they must not differ."""
    return _("Unknown %(what)s: choose one from the list.") % {"what": what}


def _by_code(model: type[Compartment] | type[Caveat] | type[Zone], codes: Iterable[str], what: str) -> list[Any]:
    codes = list(dict.fromkeys(codes))
    found = {obj.code: obj for obj in model.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise unprocessable(_("Unknown %(what)s: %(codes)s.") % {"what": what, "codes": ", ".join(missing)})
    return [found[code] for code in codes]


def parse_level(value: str) -> ClassificationLevel:
    """`s` is a level of the national scheme; `nato:c` names a level of another scheme."""
    scheme_code, _sep, level_code = value.strip().lower().rpartition(":")
    levels = ClassificationLevel.objects.select_related("scheme")
    level = (
        levels.filter(scheme__code=scheme_code, code=level_code).first()
        if scheme_code
        else levels.filter(scheme=national_scheme(), code=level_code).first()
    )
    if level is None:
        raise unprocessable(
            _("Unknown classification %(value)s: give a level of the national scheme (e.g. s) or scheme:level.")
            % {"value": value}
        )
    return level


class LocalDateTimeField(serializers.DateTimeField):
    """Keeps a date and time without offset as it was given: the service reads it in the exchange's time zone."""

    def enforce_timezone(self, value: datetime) -> datetime:
        return value


class MarkingInputSerializer(serializers.Serializer[Any]):
    """Markings as a client writes them; `classification` is a level code (`s`) or `scheme:code` (`nato:c`)."""

    classification = serializers.CharField(max_length=60)
    compartments = serializers.ListField(child=serializers.SlugField(max_length=40), default=list, max_length=50)
    caveats = serializers.ListField(child=serializers.SlugField(max_length=40), default=list, max_length=50)
    tlp = serializers.CharField(max_length=80, allow_blank=True, default="")
    pap = serializers.ChoiceField(choices=PAP.choices, allow_blank=True, default="")
    handling_code = serializers.ChoiceField(choices=HandlingCode.choices, default=HandlingCode.H0)
    no_foreign_release = serializers.BooleanField(default=False)
    releasable_to = serializers.ListField(
        child=serializers.RegexField(r"^[A-Za-z]{2}$", help_text=gettext_lazy("ISO 3166 code.")),
        allow_null=True,
        default=None,
        max_length=250,
    )

    def validate_classification(self, value: str) -> ClassificationLevel:
        return parse_level(value)

    def validate_compartments(self, value: list[str]) -> list[Compartment]:
        return _by_code(Compartment, value, _("compartment"))

    def validate_caveats(self, value: list[str]) -> list[Caveat]:
        return _by_code(Caveat, value, _("caveat"))

    def validate_tlp(self, value: str) -> str:
        if not value:
            return ""
        try:
            return tlp_parse(value).value
        except ValueError:
            raise unprocessable(_("Unknown TLP label: use CLEAR, GREEN, AMBER, AMBER+STRICT or RED.")) from None

    def validate_releasable_to(self, value: list[str] | None) -> list[str] | None:
        from liaison.core.countries import is_country

        if value is None:
            return None
        wrong = [code for code in value if not is_country(code)]
        if wrong:
            raise unprocessable(_("Not ISO 3166 country codes: %(codes)s.") % {"codes": ", ".join(wrong)})
        return sorted({code.upper() for code in value})


def marking_from(data: dict[str, Any]) -> tuple[Marking, ClassificationLevel]:
    """The marking value and the level as given (a foreign level is kept when its rank fits)."""
    level: ClassificationLevel = data["classification"]
    marking = marking_of(
        classification=level,
        compartments=data.get("compartments", []),
        caveats=data.get("caveats", []),
        releasable_to=data.get("releasable_to"),
        no_foreign_release=data.get("no_foreign_release", False),
        handling_code=int(data.get("handling_code", HandlingCode.H0)),
        tlp=data.get("tlp", ""),
        pap=data.get("pap", ""),
    )
    return marking, level


def marking_changed(current: Marking, data: dict[str, Any]) -> Marking:
    """`current` with the marking fields the client sent in a partial update; the others stay as they are."""
    changes: dict[str, Any] = {}
    if "classification" in data:
        changes["rank"] = data["classification"].rank
    if "compartments" in data:
        changes["compartments"] = frozenset(c.code for c in data["compartments"])
    if "caveats" in data:
        changes["caveats"] = frozenset(c.code for c in data["caveats"])
    if "releasable_to" in data:
        changes["releasable_to"] = None if data["releasable_to"] is None else frozenset(data["releasable_to"])
    if "no_foreign_release" in data:
        changes["no_foreign_release"] = data["no_foreign_release"]
    if "handling_code" in data:
        changes["handling"] = int(data["handling_code"])
    if "tlp" in data:
        changes["tlp"] = data["tlp"] or None
    if "pap" in data:
        changes["pap"] = data["pap"] or None
    return replace(current, **changes)


# ---------------------------------------------------------------- exchanges and items


class ExchangeCreateSerializer(MarkingInputSerializer):
    kind = serializers.ChoiceField(choices=ExchangeKind.choices)
    title = serializers.CharField(max_length=200)
    occurred_at = LocalDateTimeField(help_text=gettext_lazy("Without an offset, read in `time_zone`."))
    time_zone = serializers.CharField(max_length=64, default="Europe/Paris")
    place = serializers.CharField(max_length=200, allow_blank=True, default="")
    partners = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=50)
    participants = serializers.ListField(
        child=serializers.CharField(max_length=80), default=list, max_length=50, help_text=gettext_lazy("Aliases.")
    )
    zones = serializers.ListField(child=serializers.SlugField(max_length=40), default=list, max_length=20)
    notes = serializers.CharField(allow_blank=True, default="")
    share_with_my_service = serializers.BooleanField(default=True)

    def validate_partners(self, value: list[UUID]) -> list[Any]:
        ids = list(dict.fromkeys(value))
        found = {p.pk: p for p in partner_list(user=_user(self)).filter(pk__in=ids)}
        if any(pk not in found for pk in ids):
            raise unprocessable(unknown(_("partner")))
        return [found[pk] for pk in ids]

    def validate_time_zone(self, value: str) -> str:
        try:
            time_zone_get(value)
        except TimeInputError as error:
            raise unprocessable(error.message) from None
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The date and time are read in `time_zone` (or taken with their offset) by the one rule of
        `liaison.core.timeutil`: out of range, in a daylight-saving gap or fold, they are refused here."""
        try:
            attrs["occurred_at"] = moment_in_zone(attrs["occurred_at"], attrs["time_zone"])
        except TimeInputError as error:
            raise unprocessable({"occurred_at": [error.message]}) from None
        return attrs

    def validate_participants(self, value: list[str]) -> list[User]:
        aliases = list(dict.fromkeys(value))
        found = {u.alias: u for u in User.objects.filter(alias__in=aliases, is_active=True)}
        if any(alias not in found for alias in aliases):
            raise unprocessable(unknown(_("participant")))
        return [found[alias] for alias in aliases]

    def validate_zones(self, value: list[str]) -> list[Zone]:
        return _by_code(Zone, value, _("zone"))

    def create_arguments(self) -> dict[str, Any]:
        """Keyword arguments for `exchange_create`."""
        data = self.validated_data
        marking, level = marking_from(data)
        names = ("kind", "title", "occurred_at", "time_zone", "place", "partners", "participants", "zones", "notes")
        return {name: data[name] for name in names} | {
            "marking": marking,
            "level": level,
            "share_with_my_service": data["share_with_my_service"],
        }


class ItemWriteSerializer(MarkingInputSerializer):
    """An item's content; on update, what is left out stays as it is and the change makes a new version."""

    direction = serializers.ChoiceField(choices=ItemDirection.choices)
    originator_kind = serializers.ChoiceField(choices=OriginatorKind.choices)
    originator_partner = serializers.UUIDField(allow_null=True, default=None)
    originator_service = serializers.SlugField(
        max_length=40, allow_null=True, default=None, help_text=gettext_lazy("Code.")
    )
    title = serializers.CharField(max_length=200)
    text = serializers.CharField()
    source_reliability = serializers.ChoiceField(choices=SourceReliability.choices)
    information_credibility = serializers.ChoiceField(choices=InformationCredibility.choices)
    zones = serializers.ListField(child=serializers.SlugField(max_length=40), default=list, max_length=20)

    def validate_originator_partner(self, value: UUID | None) -> Any:
        if value is None:
            return None
        partner = partner_list(user=_user(self)).filter(pk=value).first()
        if partner is None:
            raise unprocessable(unknown(_("partner")))
        return partner

    def validate_originator_service(self, value: str | None) -> Service | None:
        if value is None:
            return None
        service = Service.objects.filter(code=value).first()
        if service is None:
            raise unprocessable(unknown(_("service")))
        return service

    def validate_zones(self, value: list[str]) -> list[Zone]:
        return _by_code(Zone, value, _("zone"))

    def item_input(self, current: InformationItem | None = None) -> ItemInput:
        """The service's input: what was sent, completed from `current` on a partial update."""
        data = self.validated_data
        if current is None:
            marking, level = marking_from(data)
        else:
            marking = marking_changed(current.marking(), data)
            level = data.get("classification", current.classification)

        def value(name: str) -> Any:
            return data.get(name) if name in data or current is None else getattr(current, name)

        zones = data["zones"] if "zones" in data or current is None else list(current.zones.all())
        return ItemInput(
            direction=value("direction"),
            originator_kind=value("originator_kind"),
            title=value("title"),
            text=value("text"),
            source_reliability=value("source_reliability"),
            information_credibility=value("information_credibility"),
            marking=marking,
            level=level,
            originator_partner=value("originator_partner"),
            originator_service=value("originator_service"),
            zones=zones,
        )


class ItemCreateSerializer(ItemWriteSerializer):
    exchange = serializers.UUIDField()

    def validate_exchange(self, value: UUID) -> Any:
        exchange = exchange_list(user=_user(self)).filter(pk=value).first()
        if exchange is None:
            raise unprocessable(unknown(_("exchange")))
        return exchange


# ---------------------------------------------------------------- reports


class ReportCreateSerializer(serializers.Serializer[Any]):
    exchange = serializers.UUIDField()
    title = serializers.CharField(max_length=200, allow_blank=True, default="")

    def validate_exchange(self, value: UUID) -> Any:
        exchange = exchange_list(user=_user(self)).filter(pk=value).first()
        if exchange is None:
            raise unprocessable(unknown(_("exchange")))
        return exchange


class WholeSerializer(serializers.Serializer[Any]):
    """A nested value that is always sent whole: its required fields stay required inside a partial update (DRF
    skips them there, and a quote without its item used to reach the service half-formed)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        missing = [name for name, field in self.fields.items() if field.required and name not in attrs]
        if missing:
            raise serializers.ValidationError({name: [_("This field is required.")] for name in missing})
        return attrs


class QuoteInputSerializer(WholeSerializer):
    item = serializers.UUIDField()
    extract = serializers.CharField(allow_blank=True)


class WholeMarkingSerializer(WholeSerializer, MarkingInputSerializer):
    pass


class ReportUpdateSerializer(serializers.Serializer[Any]):
    """A draft's content. Markings sent here only raise the report's (they never go down); sections and quotes
    left out stay as they are."""

    title = serializers.CharField(max_length=200, allow_blank=True)
    quotes = serializers.ListField(child=QuoteInputSerializer(), max_length=200)
    raise_to = WholeMarkingSerializer(required=False, help_text=gettext_lazy("Raise the markings to at least these."))

    def get_fields(self) -> Any:
        return with_sections(super().get_fields(), allow_blank=True)

    def validate_quotes(self, value: list[dict[str, Any]]) -> list[Quote]:
        ids = list(dict.fromkeys(q["item"] for q in value))
        found = {i.pk: i for i in item_list(user=_user(self)).filter(pk__in=ids)}
        if any(pk not in found for pk in ids):
            raise unprocessable(unknown(_("item")))
        return [Quote(item=found[q["item"]], extract=q["extract"]) for q in value]

    def update_arguments(self, current: Any) -> dict[str, Any]:
        """Keyword arguments for `report_update`, completed from the current report."""
        data = self.validated_data
        sections = {name: data.get(name, getattr(current, name)) for name, _label in SECTIONS}
        quotes = (
            data["quotes"]
            if "quotes" in data
            else [Quote(item=q.item, extract=q.extract) for q in current.quotes.all()]
        )
        raise_to = marking_from(data["raise_to"])[0] if "raise_to" in data else None
        return {
            "title": data.get("title", current.title),
            "sections": sections,
            "quotes": quotes,
            "raise_to": raise_to,
        }


class ReportReturnSerializer(serializers.Serializer[Any]):
    comment = serializers.CharField(allow_blank=True, help_text=gettext_lazy("What the author should change."))


class ReportDisseminateSerializer(serializers.Serializer[Any]):
    services = serializers.ListField(
        child=serializers.SlugField(max_length=40), max_length=50, help_text=gettext_lazy("Codes.")
    )

    def validate_services(self, value: list[str]) -> list[Service]:
        codes = list(dict.fromkeys(value))
        found = {s.code: s for s in Service.objects.filter(code__in=codes, is_recipient=True)}
        if any(code not in found for code in codes):
            raise unprocessable(unknown(_("service")))
        return [found[code] for code in codes]


# ---------------------------------------------------------------- list filters


class PartnerFilterSerializer(serializers.Serializer[Any]):
    zone = serializers.SlugField(max_length=40, required=False, help_text=gettext_lazy("Zone code."))
    status = serializers.ChoiceField(choices=PartnerStatus.choices, required=False)
    q = serializers.CharField(max_length=80, required=False, help_text=gettext_lazy("Part of the name or acronym."))


class ExchangeFilterSerializer(serializers.Serializer[Any]):
    partner = serializers.UUIDField(required=False)
    upcoming = serializers.BooleanField(required=False, allow_null=True, default=None)


class ItemFilterSerializer(serializers.Serializer[Any]):
    exchange = serializers.UUIDField(required=False)
    partner = serializers.UUIDField(required=False)


class ReportFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ReportStatus.choices, required=False)
