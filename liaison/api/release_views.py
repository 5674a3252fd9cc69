"""API endpoints of releases to partners: release requests and their four-eyes workflow, consents, consent requests
and tearlines. Each endpoint parses, calls one selector or service of `liaison.releases`, and serializes; a refusal
of the release rule answers 403 with every failing rule (`failures`), naming only the items the caller may see."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from liaison.accounts.models import User
from liaison.api.serializers.release_inputs import (
    ConsentCreateSerializer,
    ConsentFilterSerializer,
    ConsentRequestCreateSerializer,
    ConsentRequestFilterSerializer,
    ReasonSerializer,
    RecallReceiptSerializer,
    ReleaseCreateSerializer,
    ReleaseFilterSerializer,
    ReleaseUpdateSerializer,
    TearlineFilterSerializer,
    TearlineWriteSerializer,
)
from liaison.api.serializers.release_output import (
    ConsentDetailSerializer,
    ConsentRequestDetailSerializer,
    ConsentRequestSerializer,
    ConsentSerializer,
    ReleaseDetailSerializer,
    ReleaseSerializer,
    TearlineDetailSerializer,
    TearlineSerializer,
    mark_partner_visibility,
    shown_failures,
    shown_ids,
    with_partner_visibility,
)
from liaison.api.views import ApiViewSet, _filters, _user
from liaison.partners.selectors import partner_list
from liaison.policy import release as rule
from liaison.releases import services
from liaison.releases.models import Consent, ConsentRequest, Release, ReleaseEvent, ReleaseStatus, Tearline
from liaison.releases.selectors import (
    consent_get,
    consent_list,
    consent_request_get,
    consent_request_list,
    release_get,
    release_list,
    tearline_get,
    tearline_list,
)

PARTNER_FIELDS = {"partner": "partner_id"}
ORIGINATOR_FIELDS = {"originator_partner": "originator_partner_id", "partner": "partner_id"}
MARKINGS = ("compartments", "caveats")


def release_shown(release: Release, user: User) -> Release:
    """The release as `user` may see it: the items they may read, today's check for a release still in the
    workflow, the failures of its last blocked step, its package and recall, its history with who acted."""
    prefetch_related_objects([release], Prefetch("events", queryset=ReleaseEvent.objects.select_related("by")))
    links = list(release.item_links.select_related("item"))
    shown = shown_ids(user, [link.item_id for link in links])
    release.shown_items = [link for link in links if str(link.item_id) in shown]  # type: ignore[attr-defined]
    current = None
    if release.status in (ReleaseStatus.DRAFT, ReleaseStatus.SUBMITTED):
        decision = services.release_check(release)
        current = {
            "allowed": decision.allowed,
            "failures": shown_failures(user, services.failures_as_json(decision)),
        }
    release.current_check = current  # type: ignore[attr-defined]
    release.shown_last_check = shown_failures(user, release.last_check or [])  # type: ignore[attr-defined]
    release.shown_package = getattr(release, "package", None)  # type: ignore[attr-defined]
    release.shown_recall = getattr(release, "recall", None)  # type: ignore[attr-defined]
    return mark_partner_visibility(release, user, **PARTNER_FIELDS)


def _action(summary: Any, request: type[serializers.Serializer[Any]] | None = None) -> Any:
    return extend_schema(summary=summary, request=request, responses={200: ReleaseDetailSerializer})


@extend_schema_view(
    list=extend_schema(parameters=[ReleaseFilterSerializer], responses=ReleaseSerializer(many=True)),
    retrieve=extend_schema(responses={200: ReleaseDetailSerializer}),
    create=extend_schema(request=ReleaseCreateSerializer, responses={201: ReleaseDetailSerializer}),
    partial_update=extend_schema(
        description=gettext_lazy(
            "Edit a draft (its requester only): the justification, and the content when `items` or `tearline` is "
            "sent; what is left out stays as it is."
        ),
        request=ReleaseUpdateSerializer,
        responses={200: ReleaseDetailSerializer},
    ),
    submit=_action(gettext_lazy("Submit the draft for approval (its requester); the release rule must pass.")),
    approve=_action(
        gettext_lazy(
            "Approve (a release authority other than the requester): the rule runs again, then the signed package "
            "is produced, once."
        )
    ),
    refuse=_action(
        gettext_lazy("Refuse with a reason (a release authority other than the requester)."), ReasonSerializer
    ),
    withdraw=_action(gettext_lazy("Withdraw a draft or a release waiting for approval (its requester).")),
    recall=_action(gettext_lazy("Recall a released package with a reason (a release authority)."), ReasonSerializer),
    recall_receipt=_action(gettext_lazy("Record the partner's receipt of the recall."), RecallReceiptSerializer),
)
class ReleaseViewSet(ApiViewSet):
    serializer_class = ReleaseSerializer

    def _release(self, pk: UUID) -> Release:
        return release_get(user=_user(self.request), pk=pk, request=self.request)

    def _answer(self, pk: UUID, status_code: int = status.HTTP_200_OK) -> Response:
        """The release as it is now, read again through the policy."""
        release = release_shown(self._release(pk), _user(self.request))
        return Response(ReleaseDetailSerializer(release).data, status=status_code)

    def list(self, request: Request) -> Response:
        user = _user(request)
        filters = _filters(ReleaseFilterSerializer, request)
        releases = release_list(user=user, status=filters.get("status", ""))
        if "partner" in filters:  # a partner the caller may not see filters to nothing
            releases = releases.filter(partner__in=partner_list(user=user).filter(pk=filters["partner"]))
        releases = with_partner_visibility(releases.prefetch_related(*MARKINGS), user, **PARTNER_FIELDS)
        return self.page(releases, ReleaseSerializer)

    def retrieve(self, request: Request, pk: UUID) -> Response:
        return self._answer(pk)

    def create(self, request: Request) -> Response:
        data = self.parse(ReleaseCreateSerializer)
        release = services.release_create(
            by=_user(request),
            partner=data.validated_data["partner"],
            justification=data.validated_data["justification"],
            content=data.content(),
        )
        return self._answer(release.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: UUID) -> Response:
        changes = self.parse(ReleaseUpdateSerializer, partial=True)
        release = self._release(pk)
        services.release_update(
            by=_user(request),
            release=release,
            justification=changes.validated_data.get("justification", release.justification),
            content=changes.content(release),
        )
        return self._answer(pk)

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: UUID) -> Response:
        services.release_submit(by=_user(request), release=self._release(pk))
        return self._answer(pk)

    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: UUID) -> Response:
        services.release_approve(by=_user(request), release=self._release(pk))
        return self._answer(pk)

    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: UUID) -> Response:
        reason = self.parse(ReasonSerializer).validated_data["reason"]
        services.release_refuse(by=_user(request), release=self._release(pk), reason=reason)
        return self._answer(pk)

    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: UUID) -> Response:
        services.release_withdraw(by=_user(request), release=self._release(pk))
        return self._answer(pk)

    @action(detail=True, methods=["post"])
    def recall(self, request: Request, pk: UUID) -> Response:
        reason = self.parse(ReasonSerializer).validated_data["reason"]
        services.release_recall(by=_user(request), release=self._release(pk), reason=reason)
        return self._answer(pk)

    @action(detail=True, methods=["post"], url_path="recall-receipt", url_name="recall-receipt")
    def recall_receipt(self, request: Request, pk: UUID) -> Response:
        data = self.parse(RecallReceiptSerializer).validated_data
        services.recall_receipt(
            by=_user(request),
            release=self._release(pk),
            received_at=data["received_at"],
            received_by=data["received_by"],
        )
        return self._answer(pk)


# ---------------------------------------------------------------- consents


def consent_shown(consent: Consent, user: User) -> Consent:
    shown = shown_ids(user, consent.items.values_list("pk", flat=True))
    consent.shown_items = sorted(shown)  # type: ignore[attr-defined]
    return mark_partner_visibility(consent, user, **ORIGINATOR_FIELDS)


@extend_schema_view(
    list=extend_schema(parameters=[ConsentFilterSerializer], responses=ConsentSerializer(many=True)),
    retrieve=extend_schema(responses={200: ConsentDetailSerializer}),
    create=extend_schema(request=ConsentCreateSerializer, responses={201: ConsentDetailSerializer}),
)
class ConsentViewSet(ApiViewSet):
    serializer_class = ConsentSerializer

    def list(self, request: Request) -> Response:
        user = _user(request)
        filters = _filters(ConsentFilterSerializer, request)
        consents = consent_list(user=user)
        if "originator_partner" in filters:
            visible = partner_list(user=user).filter(pk=filters["originator_partner"])
            consents = consents.filter(originator_partner__in=visible)
        if filters.get("granted") is not None:
            consents = consents.filter(granted=filters["granted"])
        consents = with_partner_visibility(consents.prefetch_related(*MARKINGS), user, **ORIGINATOR_FIELDS)
        return self.page(consents, ConsentSerializer)

    def retrieve(self, request: Request, pk: UUID) -> Response:
        user = _user(request)
        consent = consent_get(user=user, pk=pk, request=request)
        return Response(ConsentDetailSerializer(consent_shown(consent, user)).data)

    def create(self, request: Request) -> Response:
        user = _user(request)
        data = self.parse(ConsentCreateSerializer).validated_data
        consent = services.consent_record(by=user, **data)
        consent = consent_get(user=user, pk=consent.pk, request=request)
        return Response(ConsentDetailSerializer(consent_shown(consent, user)).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- consent requests


def consent_request_shown(consent_request: ConsentRequest, user: User) -> ConsentRequest:
    consent_request.shown_items = sorted(  # type: ignore[attr-defined]
        shown_ids(user, consent_request.items.values_list("pk", flat=True))
    )
    answers = consent_list(user=user).filter(request=consent_request).values_list("pk", flat=True)
    consent_request.shown_answers = list(answers)  # type: ignore[attr-defined]
    return mark_partner_visibility(consent_request, user, **ORIGINATOR_FIELDS)


@extend_schema_view(
    list=extend_schema(parameters=[ConsentRequestFilterSerializer], responses=ConsentRequestSerializer(many=True)),
    retrieve=extend_schema(responses={200: ConsentRequestDetailSerializer}),
    create=extend_schema(request=ConsentRequestCreateSerializer, responses={201: ConsentRequestDetailSerializer}),
    withdraw=extend_schema(
        summary=gettext_lazy("Withdraw an open request (who asked, or a release authority)."),
        request=None,
        responses={200: ConsentRequestDetailSerializer},
    ),
)
class ConsentRequestViewSet(ApiViewSet):
    serializer_class = ConsentRequestSerializer

    def _answer(self, pk: UUID, status_code: int = status.HTTP_200_OK) -> Response:
        user = _user(self.request)
        consent_request = consent_request_get(user=user, pk=pk, request=self.request)
        return Response(
            ConsentRequestDetailSerializer(consent_request_shown(consent_request, user)).data, status=status_code
        )

    def list(self, request: Request) -> Response:
        user = _user(request)
        filters = _filters(ConsentRequestFilterSerializer, request)
        requests = consent_request_list(user=user, status=filters.get("status", ""))
        requests = with_partner_visibility(requests.prefetch_related(*MARKINGS), user, **ORIGINATOR_FIELDS)
        return self.page(requests, ConsentRequestSerializer)

    def retrieve(self, request: Request, pk: UUID) -> Response:
        return self._answer(pk)

    def create(self, request: Request) -> Response:
        serializer = self.parse(ConsentRequestCreateSerializer)
        data = serializer.validated_data
        consent_request = services.consent_request_open(
            by=_user(request),
            release=data["release"],
            originator=serializer.originator(),
            message=data["message"],
            answer_due=data["answer_due"],
        )
        return self._answer(consent_request.pk, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: UUID) -> Response:
        user = _user(request)
        consent_request = consent_request_get(user=user, pk=pk, request=request)
        services.consent_request_withdraw(by=user, request=consent_request)
        return self._answer(pk)


# ---------------------------------------------------------------- tearlines


def tearline_shown(tearline: Tearline, user: User) -> Tearline:
    """The tearline with the sources `user` may read and what is owed to their originators before it leaves (for
    any partner other than the originator: a partner given back its own material is owed nothing)."""
    links = list(tearline.source_links.select_related("item"))
    shown = shown_ids(user, [link.item_id for link in links])
    tearline.shown_sources = [link for link in links if str(link.item_id) in shown]  # type: ignore[attr-defined]
    anyone = rule.Recipient(id="", country="")  # none of the originators: every obligation is owed
    visible_partners = {str(pk) for pk in partner_list(user=user).values_list("pk", flat=True)}
    obligations = []
    for source in services.tearline_value(tearline).sources:
        if source.id not in shown:
            continue
        for originator, reasons in rule.obligations(source, anyone).items():
            partner = originator.id if originator.kind == rule.PARTNER and originator.id in visible_partners else None
            obligations.append(
                {
                    "item": source.id,
                    "originator_kind": originator.kind,
                    "originator_partner": partner,
                    "originator_service": originator.id if originator.kind == rule.SERVICE else None,
                    "reasons": reasons,
                }
            )
    tearline.obligations = obligations  # type: ignore[attr-defined]
    return tearline


@extend_schema_view(
    list=extend_schema(responses=TearlineSerializer(many=True)),
    retrieve=extend_schema(responses={200: TearlineDetailSerializer}),
    create=extend_schema(request=TearlineWriteSerializer, responses={201: TearlineDetailSerializer}),
    partial_update=extend_schema(
        description=gettext_lazy(
            "Rewrite a tearline (its author), while no downgrade is asked for and no release of it is submitted; "
            "what is left out stays as it is."
        ),
        request=TearlineWriteSerializer,
        responses={200: TearlineDetailSerializer},
    ),
)
class TearlineViewSet(ApiViewSet):
    serializer_class = TearlineSerializer

    def _answer(self, pk: UUID, status_code: int = status.HTTP_200_OK) -> Response:
        user = _user(self.request)
        tearline = tearline_get(user=user, pk=pk, request=self.request)
        return Response(TearlineDetailSerializer(tearline_shown(tearline, user)).data, status=status_code)

    def list(self, request: Request) -> Response:
        _filters(TearlineFilterSerializer, request)
        tearlines = tearline_list(user=_user(request)).prefetch_related(*MARKINGS)
        return self.page(tearlines, TearlineSerializer)

    def retrieve(self, request: Request, pk: UUID) -> Response:
        return self._answer(pk)

    def create(self, request: Request) -> Response:
        data = self.parse(TearlineWriteSerializer).validated_data
        tearline = services.tearline_save(by=_user(request), **data)
        return self._answer(tearline.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: UUID) -> Response:
        user = _user(request)
        data = self.parse(TearlineWriteSerializer, partial=True).validated_data
        tearline = tearline_get(user=user, pk=pk, request=request)
        services.tearline_save(
            by=user,
            tearline=tearline,
            title=data.get("title", tearline.title),
            text=data.get("text", tearline.text),
            sources=data["sources"] if "sources" in data else list(tearline.sources.all()),
        )
        return self._answer(pk)
