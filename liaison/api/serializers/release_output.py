"""How the API shows releases, consents, consent requests and tearlines: markings as a read-only nested object, the
release check with every failing rule, and of the items, tearlines and partners they name only those the reader may
see (an id the reader may not see is left out or given as null, never shown)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from liaison.accounts.models import User
from liaison.api.serializers.output import MarkedSerializer
from liaison.partners.models import Partner
from liaison.policy.access import visible_to
from liaison.releases.models import ConsentRequestStatus, DowngradeStatus, OriginatorKind, ReleaseAction, ReleaseStatus
from liaison.releases.selectors import tearline_list, visible_items

# ---------------------------------------------------------------- what the reader may see of what is named


def shown_ids(user: User, ids: Iterable[Any]) -> set[str]:
    """The ids among `ids` (items or tearlines) that `user` may read."""
    wanted = sorted({str(pk) for pk in ids if pk})
    if not wanted:
        return set()
    shown = set(visible_items(user=user, ids=wanted))
    shown |= {str(pk) for pk in tearline_list(user=user).filter(pk__in=wanted).values_list("pk", flat=True)}
    return shown


def shown_failures(user: User, failures: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Failing rules as the reader may see them: the item (or tearline) a rule concerns is named only when the
    reader may read it; otherwise `item` is null and the rule, its message and its unblock hint remain."""
    failures = list(failures)
    shown = shown_ids(user, (f.get("item") for f in failures))
    return [f | {"item": f.get("item") if f.get("item") in shown else None} for f in failures]


def with_partner_visibility(objects: QuerySet[Any], user: User, **fields: str) -> QuerySet[Any]:
    """Annotate `<name>_visible` for each partner field named: whether `user` may see that partner."""
    return objects.annotate(
        **{
            f"{name}_visible": Exists(visible_to(Partner.objects.filter(pk=OuterRef(path)), user))
            for name, path in fields.items()
        }
    )


def mark_partner_visibility(obj: Any, user: User, **fields: str) -> Any:
    """The same as `with_partner_visibility` for one object already read."""
    ids = {name: getattr(obj, path) for name, path in fields.items()}
    seen = set(
        visible_to(Partner.objects.filter(pk__in=[pk for pk in ids.values() if pk]), user).values_list("pk", flat=True)
    )
    for name, pk in ids.items():
        setattr(obj, f"{name}_visible", pk in seen)
    return obj


def _partner(obj: Any, name: str) -> UUID | None:
    return getattr(obj, f"{name}_id") if getattr(obj, f"{name}_visible", False) else None


PARTNER_HELP = gettext_lazy("Id of the partner; null when there is none or you may not see it.")


# ---------------------------------------------------------------- the release check


class RuleFailureSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text=gettext_lazy("Stable code of the rule, e.g. consent.missing."))
    item = serializers.UUIDField(
        allow_null=True,
        help_text=gettext_lazy(
            "The item, tearline or tearline's source it concerns; null for the release as a whole or when you may "
            "not see it."
        ),
    )
    message = serializers.CharField()
    unblock = serializers.CharField(help_text=gettext_lazy("What would unblock it."))


class ReleaseCheckSerializer(serializers.Serializer[Any]):
    allowed = serializers.BooleanField()
    failures = RuleFailureSerializer(many=True)


# ---------------------------------------------------------------- releases


class ReleaseSerializer(MarkedSerializer):
    partner = serializers.SerializerMethodField(help_text=PARTNER_HELP)
    status = serializers.ChoiceField(choices=ReleaseStatus.choices)
    requester = serializers.CharField(source="created_by.alias")
    tearline = serializers.UUIDField(source="tearline_id", allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.CharField(source="decided_by.alias", allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(OpenApiTypes.UUID)
    def get_partner(self, obj: Any) -> UUID | None:
        return _partner(obj, "partner")


class ReleasedItemSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="item_id")
    version = serializers.IntegerField(source="item_version", help_text=gettext_lazy("The version released."))
    title = serializers.CharField(source="item.title")


class ReleaseEventSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=ReleaseAction.choices)
    by = serializers.CharField(source="by.alias")
    comment = serializers.CharField()
    at = serializers.DateTimeField()


class PackageSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    manifest_sha256 = serializers.CharField()
    pdf_sha256 = serializers.CharField()
    signing_key_id = serializers.CharField()
    created_at = serializers.DateTimeField()


class RecallSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()
    recalled_by = serializers.CharField(source="recalled_by.alias")
    recalled_at = serializers.DateTimeField(source="created_at")
    receipt_at = serializers.DateTimeField(allow_null=True)
    receipt_by = serializers.CharField(help_text=gettext_lazy("Who at the partner acknowledged the recall."))
    receipt_recorded_by = serializers.CharField(source="receipt_recorded_by.alias", allow_null=True)


class ReleaseDetailSerializer(ReleaseSerializer):
    """A release with what the view adds to it: the items the reader may see, the check as it runs today (for a
    draft or a release waiting for approval, otherwise null) and the failures recorded at the last blocked step."""

    justification = serializers.CharField()
    decision_reason = serializers.CharField()
    items = ReleasedItemSerializer(source="shown_items", many=True)
    check = ReleaseCheckSerializer(source="current_check", allow_null=True)
    last_check = RuleFailureSerializer(source="shown_last_check", many=True)
    package = PackageSerializer(source="shown_package", allow_null=True)
    recall = RecallSerializer(source="shown_recall", allow_null=True)
    history = ReleaseEventSerializer(source="events", many=True)


# ---------------------------------------------------------------- consents and consent requests


class FromOriginatorSerializer(MarkedSerializer):
    originator_kind = serializers.ChoiceField(choices=OriginatorKind.choices)
    originator_partner = serializers.SerializerMethodField(help_text=PARTNER_HELP)
    originator_service = serializers.CharField(source="originator_service.code", allow_null=True)
    partner = serializers.SerializerMethodField(help_text=PARTNER_HELP)

    @extend_schema_field(OpenApiTypes.UUID)
    def get_originator_partner(self, obj: Any) -> UUID | None:
        return _partner(obj, "originator_partner")

    @extend_schema_field(OpenApiTypes.UUID)
    def get_partner(self, obj: Any) -> UUID | None:
        return _partner(obj, "partner")


class ConsentSerializer(FromOriginatorSerializer):
    granted = serializers.BooleanField()
    all_items = serializers.BooleanField()
    valid_until = serializers.DateField(allow_null=True)
    reference = serializers.CharField()
    request = serializers.UUIDField(source="request_id", allow_null=True)
    recorded_by = serializers.CharField(source="created_by.alias")


class ConsentDetailSerializer(ConsentSerializer):
    note = serializers.CharField()
    items = serializers.ListField(
        child=serializers.UUIDField(), source="shown_items", help_text=gettext_lazy("The items you may see.")
    )


class ConsentRequestSerializer(FromOriginatorSerializer):
    status = serializers.ChoiceField(choices=ConsentRequestStatus.choices)
    release = serializers.UUIDField(source="release_id", allow_null=True)
    answer_due = serializers.DateField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    requested_by = serializers.CharField(source="created_by.alias")


class ConsentRequestDetailSerializer(ConsentRequestSerializer):
    message = serializers.CharField()
    items = serializers.ListField(
        child=serializers.UUIDField(), source="shown_items", help_text=gettext_lazy("The items you may see.")
    )
    answers = serializers.ListField(
        child=serializers.UUIDField(), source="shown_answers", help_text=gettext_lazy("Consents recorded in answer.")
    )


# ---------------------------------------------------------------- tearlines


class TearlineSerializer(MarkedSerializer):
    title = serializers.CharField()
    author = serializers.CharField(source="created_by.alias")
    downgrade_status = serializers.ChoiceField(choices=DowngradeStatus.choices, allow_blank=True)


class TearlineSourceSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="item_id")
    version = serializers.IntegerField(source="item_version", help_text=gettext_lazy("The version written from."))
    title = serializers.CharField(source="item.title")


class ObligationSerializer(serializers.Serializer[Any]):
    item = serializers.UUIDField(help_text=gettext_lazy("The source item."))
    originator_kind = serializers.ChoiceField(choices=OriginatorKind.choices)
    originator_partner = serializers.UUIDField(allow_null=True, help_text=PARTNER_HELP)
    originator_service = serializers.CharField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField(), help_text=gettext_lazy("ORCON, H2, TLP:AMBER."))


class TearlineDetailSerializer(TearlineSerializer):
    """A tearline with its computed markings (from its sources, unless a downgrade was approved), its sources and
    what is owed to their originators before it leaves, whatever the downgrade."""

    text = serializers.CharField()
    is_locked = serializers.BooleanField(help_text=gettext_lazy("Text and sources can no longer change."))
    downgrade_to = serializers.CharField(source="downgrade_to.label", allow_null=True)
    downgrade_reason = serializers.CharField()
    sources = TearlineSourceSerializer(source="shown_sources", many=True)
    obligations = ObligationSerializer(many=True)
