"""How the API shows partners, exchanges, items and reports; markings are a read-only nested object."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from liaison.exchanges.models import ExchangeKind, InformationItem, ItemDirection, OriginatorKind
from liaison.partners.models import PartnerKind, PartnerStatus
from liaison.policy.markings import InformationCredibility, SourceReliability
from liaison.policy.models import MarkedModel
from liaison.reports.models import SECTIONS, ReportStatus


class MarkingsSerializer(serializers.Serializer[MarkedModel]):
    """The markings of a protected object, as printed on its banner."""

    classification = serializers.CharField(source="classification.label")
    rank = serializers.IntegerField(source="classification.rank")
    compartments = serializers.SerializerMethodField()
    caveats = serializers.SerializerMethodField()
    tlp = serializers.CharField()
    pap = serializers.CharField()
    handling_code = serializers.IntegerField()
    no_foreign_release = serializers.BooleanField()
    releasable_to = serializers.ListField(child=serializers.CharField(), allow_null=True)

    def get_compartments(self, obj: MarkedModel) -> list[str]:
        return sorted(c.code for c in obj.compartments.all())

    def get_caveats(self, obj: MarkedModel) -> list[str]:
        return sorted(c.code for c in obj.caveats.all())


class MarkedSerializer(serializers.Serializer[MarkedModel]):
    id = serializers.UUIDField(read_only=True)
    markings = MarkingsSerializer(source="*", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class PartnerSerializer(MarkedSerializer):
    name = serializers.CharField()
    acronym = serializers.CharField()
    country = serializers.CharField()
    country_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=PartnerKind.choices)
    zone = serializers.CharField(source="zone.code")
    trust_level = serializers.IntegerField()
    status = serializers.ChoiceField(choices=PartnerStatus.choices)


class PartnerDetailSerializer(PartnerSerializer):
    notes = serializers.CharField()
    officers_in_charge = serializers.SerializerMethodField()

    def get_officers_in_charge(self, obj: Any) -> list[str]:
        return sorted(u.alias for u in obj.officers_in_charge.all())


class ExchangeSerializer(MarkedSerializer):
    kind = serializers.ChoiceField(choices=ExchangeKind.choices)
    title = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    time_zone = serializers.CharField()
    place = serializers.CharField()
    partners = serializers.SerializerMethodField()

    def get_partners(self, obj: Any) -> list[UUID]:
        return [p.pk for p in obj.partners.all()]


class ExchangeDetailSerializer(ExchangeSerializer):
    notes = serializers.CharField()
    author = serializers.CharField(source="created_by.alias")
    participants = serializers.SerializerMethodField()
    zones = serializers.SerializerMethodField()

    def get_participants(self, obj: Any) -> list[str]:
        return sorted(u.alias for u in obj.participants.all())

    def get_zones(self, obj: Any) -> list[str]:
        return sorted(z.code for z in obj.zones.all())


class ItemSerializer(MarkedSerializer):
    exchange = serializers.UUIDField(source="exchange_id")
    title = serializers.CharField()
    direction = serializers.ChoiceField(choices=ItemDirection.choices)
    originator_kind = serializers.ChoiceField(choices=OriginatorKind.choices)
    evaluation = serializers.CharField(
        help_text=gettext_lazy("Admiralty code: source reliability and information credibility.")
    )
    version = serializers.IntegerField()


class AttachmentSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class ItemDetailSerializer(ItemSerializer):
    text = serializers.CharField()
    source_reliability = serializers.ChoiceField(choices=SourceReliability.choices)
    information_credibility = serializers.ChoiceField(choices=InformationCredibility.choices)
    europol_evaluation = serializers.CharField()
    originator_partner = serializers.SerializerMethodField()
    originator_service = serializers.CharField(source="originator_service.code", allow_null=True)
    zones = serializers.SerializerMethodField()
    author = serializers.CharField(source="created_by.alias")
    attachments = AttachmentSerializer(many=True)

    def get_zones(self, obj: InformationItem) -> list[str]:
        return sorted(z.code for z in obj.zones.all())

    def get_originator_partner(self, obj: Any) -> UUID | None:
        """The originating partner, only if the reader may see it (the selectors annotate `originator_visible`)."""
        return obj.originator_partner_id if getattr(obj, "originator_visible", False) else None


class ItemVersionSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    snapshot = serializers.JSONField(help_text=gettext_lazy("What the item said at this version."))
    changed_fields = serializers.ListField(child=serializers.CharField())
    author = serializers.CharField(source="created_by.alias")
    created_at = serializers.DateTimeField()


class ReportSerializer(MarkedSerializer):
    exchange = serializers.UUIDField(source="exchange_id")
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    author = serializers.CharField(source="created_by.alias")
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    disseminated_at = serializers.DateTimeField(allow_null=True)


class QuoteSerializer(serializers.Serializer[Any]):
    item = serializers.UUIDField(source="item_id")
    item_version = serializers.IntegerField()
    extract = serializers.CharField()


class RecipientSerializer(serializers.Serializer[Any]):
    service = serializers.CharField(source="service.code")
    due_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)


class ReportEventSerializer(serializers.Serializer[Any]):
    action = serializers.CharField()
    by = serializers.CharField(source="by.alias")
    comment = serializers.CharField()
    at = serializers.DateTimeField()


def with_sections(fields: Any, **options: Any) -> Any:
    """Add a text field per section of the report template (`context` cannot be declared: serializers own it)."""
    for name, _label in SECTIONS:
        fields[name] = serializers.CharField(**options)
    return fields


class ReportDetailSerializer(ReportSerializer):
    approved_by = serializers.CharField(source="approved_by.alias", allow_null=True)
    signing_key_id = serializers.CharField()
    quotes = QuoteSerializer(many=True)
    recipients = RecipientSerializer(many=True)
    history = ReportEventSerializer(source="events", many=True)

    def get_fields(self) -> Any:
        return with_sections(super().get_fields())
