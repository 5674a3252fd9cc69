"""API endpoints: parse, call one selector or service, serialize. Every object is fetched through the selectors,
so an object the caller may not see answers 404 exactly like one that does not exist, and lists are filtered and
counted in SQL before they are sliced into pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from liaison.accounts.models import User
from liaison.api.serializers.inputs import (
    ExchangeCreateSerializer,
    ExchangeFilterSerializer,
    ItemCreateSerializer,
    ItemFilterSerializer,
    ItemWriteSerializer,
    PartnerFilterSerializer,
    ReportCreateSerializer,
    ReportDisseminateSerializer,
    ReportFilterSerializer,
    ReportReturnSerializer,
    ReportUpdateSerializer,
    unprocessable,
)
from liaison.api.serializers.output import (
    ExchangeDetailSerializer,
    ExchangeSerializer,
    ItemDetailSerializer,
    ItemSerializer,
    ItemVersionSerializer,
    PartnerDetailSerializer,
    PartnerSerializer,
    ReportDetailSerializer,
    ReportSerializer,
)
from liaison.audit.services import record_list_read
from liaison.core.text import bidi_controls_paths, bidi_controls_refusal
from liaison.exchanges.selectors import exchange_get, exchange_list, item_get, item_list, item_versions
from liaison.exchanges.services import exchange_create, item_create, item_update
from liaison.partners.selectors import partner_get, partner_list
from liaison.reports.models import Report
from liaison.reports.selectors import report_get, report_list
from liaison.reports.services import (
    report_acknowledge,
    report_approve,
    report_create,
    report_disseminate,
    report_return,
    report_submit,
    report_update,
)


def _user(request: Request) -> User:
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user


PAGING = {"page", "page_size", "format"}


def _filters(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    """The list filters, strictly: an unknown filter or one given without a value is refused, never ignored."""
    known = set(serializer_class().fields)
    unknown = sorted(set(request.query_params) - known - PAGING)
    if unknown:
        raise serializers.ValidationError(
            {
                name: [
                    _("Unknown filter: the filters of this list are %(known)s.") % {"known": ", ".join(sorted(known))}
                ]
                for name in unknown
            }
        )
    empty = sorted(name for name in known if request.query_params.get(name, None) == "")
    if empty:
        raise serializers.ValidationError({name: [_("Give a value, or leave this filter out.")] for name in empty})
    filters = serializer_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return dict(filters.validated_data)


class ApiViewSet(viewsets.GenericViewSet[Any]):
    """Writes validate the whole body before they fetch anything: a refused request reads and records nothing."""

    lookup_value_converter = "uuid"

    def page(
        self, queryset: QuerySet[Any] | list[Any], serializer_class: type[serializers.Serializer[Any]]
    ) -> Response:
        """One page of a list already filtered by the read rule; the objects shown are recorded in the audit log."""
        page = list(self.paginate_queryset(queryset) or [])
        record_list_read(actor=self.request.user, objects=page, view=f"api:{self.basename}-list", request=self.request)
        return self.get_paginated_response(serializer_class(page, many=True).data)

    def parse(self, serializer_class: type[serializers.Serializer[Any]], partial: bool = False) -> Any:
        """The request body validated by `serializer_class`; strings carrying direction controls are refused."""
        disguised = bidi_controls_paths(self.request.data)
        if disguised:
            raise unprocessable({where: [bidi_controls_refusal(found)] for where, found in sorted(disguised.items())})
        serializer = serializer_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer


@extend_schema_view(
    list=extend_schema(parameters=[PartnerFilterSerializer], responses=PartnerSerializer(many=True)),
    retrieve=extend_schema(responses={200: PartnerDetailSerializer}),
)
class PartnerViewSet(ApiViewSet):
    serializer_class = PartnerSerializer

    def list(self, request: Request) -> Response:
        filters = _filters(PartnerFilterSerializer, request)
        partners = partner_list(
            user=_user(request),
            zone=filters.get("zone", ""),
            status=filters.get("status", ""),
            query=filters.get("q", ""),
        )
        return self.page(partners.prefetch_related("caveats"), PartnerSerializer)

    def retrieve(self, request: Request, pk: UUID) -> Response:
        return Response(PartnerDetailSerializer(partner_get(user=_user(request), pk=pk, request=request)).data)


@extend_schema_view(
    list=extend_schema(parameters=[ExchangeFilterSerializer], responses=ExchangeSerializer(many=True)),
    retrieve=extend_schema(responses={200: ExchangeDetailSerializer}),
    create=extend_schema(request=ExchangeCreateSerializer, responses={201: ExchangeDetailSerializer}),
)
class ExchangeViewSet(ApiViewSet):
    serializer_class = ExchangeSerializer

    def list(self, request: Request) -> Response:
        filters = _filters(ExchangeFilterSerializer, request)
        exchanges = exchange_list(user=_user(request), partner=filters.get("partner"), upcoming=filters.get("upcoming"))
        return self.page(exchanges.prefetch_related("caveats"), ExchangeSerializer)

    def retrieve(self, request: Request, pk: UUID) -> Response:
        return Response(ExchangeDetailSerializer(exchange_get(user=_user(request), pk=pk, request=request)).data)

    def create(self, request: Request) -> Response:
        arguments = self.parse(ExchangeCreateSerializer).create_arguments()
        exchange = exchange_create(by=_user(request), **arguments)
        return Response(ExchangeDetailSerializer(exchange).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(parameters=[ItemFilterSerializer], responses=ItemSerializer(many=True)),
    retrieve=extend_schema(responses={200: ItemDetailSerializer}),
    create=extend_schema(request=ItemCreateSerializer, responses={201: ItemDetailSerializer}),
    partial_update=extend_schema(
        description=gettext_lazy("Make a new version of the item from the fields sent; the others stay as they are."),
        request=ItemWriteSerializer,
        responses={200: ItemDetailSerializer},
    ),
    versions=extend_schema(responses={200: ItemVersionSerializer(many=True)}),
)
class ItemViewSet(ApiViewSet):
    serializer_class = ItemSerializer

    def list(self, request: Request) -> Response:
        filters = _filters(ItemFilterSerializer, request)
        items = item_list(user=_user(request), partner=filters.get("partner"))
        if "exchange" in filters:
            items = items.filter(exchange_id=filters["exchange"])
        return self.page(items.prefetch_related("caveats"), ItemSerializer)

    def retrieve(self, request: Request, pk: UUID) -> Response:
        return Response(ItemDetailSerializer(item_get(user=_user(request), pk=pk, request=request)).data)

    def create(self, request: Request) -> Response:
        serializer = self.parse(ItemCreateSerializer)
        item = item_create(
            by=_user(request), exchange=serializer.validated_data["exchange"], data=serializer.item_input()
        )
        return Response(ItemDetailSerializer(item).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: UUID) -> Response:
        user = _user(request)
        changes = self.parse(ItemWriteSerializer, partial=True)
        item = item_get(user=user, pk=pk, request=request)
        item = item_update(by=user, item=item, data=changes.item_input(item))
        return Response(ItemDetailSerializer(item).data)

    @action(detail=True, methods=["get"])
    def versions(self, request: Request, pk: UUID) -> Response:
        user = _user(request)
        item = item_get(user=user, pk=pk, request=request)
        return self.page(item_versions(user=user, item=item), ItemVersionSerializer)


def _workflow(summary: Any, request: type[serializers.Serializer[Any]] | None = None) -> Any:
    return extend_schema(
        summary=summary,
        request=request,
        responses={200: ReportDetailSerializer},
    )


@extend_schema_view(
    list=extend_schema(parameters=[ReportFilterSerializer], responses=ReportSerializer(many=True)),
    retrieve=extend_schema(responses={200: ReportDetailSerializer}),
    create=extend_schema(request=ReportCreateSerializer, responses={201: ReportDetailSerializer}),
    partial_update=extend_schema(
        description=gettext_lazy("Edit a draft or returned report (author only); what is left out stays as it is."),
        request=ReportUpdateSerializer,
        responses={200: ReportDetailSerializer},
    ),
    submit=_workflow(gettext_lazy("Submit the report for review (author).")),
    return_=_workflow(
        gettext_lazy("Return the report to its author with comments (desk head)."), ReportReturnSerializer
    ),
    approve=_workflow(gettext_lazy("Approve the report: it is frozen and signed (desk head, not the author).")),
    disseminate=_workflow(
        "Disseminate the approved report to internal services (desk head).", ReportDisseminateSerializer
    ),
    acknowledge=_workflow(gettext_lazy("Acknowledge receipt for your service.")),
)
class ReportViewSet(ApiViewSet):
    serializer_class = ReportSerializer

    def _report(self, pk: UUID) -> Report:
        return report_get(user=_user(self.request), pk=pk, request=self.request)

    def _answer(self, pk: UUID, status_code: int = status.HTTP_200_OK) -> Response:
        """The report as it is now, read again through the policy."""
        return Response(ReportDetailSerializer(self._report(pk)).data, status=status_code)

    def list(self, request: Request) -> Response:
        filters = _filters(ReportFilterSerializer, request)
        reports = report_list(user=_user(request), status=filters.get("status", ""))
        return self.page(reports.prefetch_related("caveats"), ReportSerializer)

    def retrieve(self, request: Request, pk: UUID) -> Response:
        return Response(ReportDetailSerializer(self._report(pk)).data)

    def create(self, request: Request) -> Response:
        data = self.parse(ReportCreateSerializer).validated_data
        report = report_create(by=_user(request), exchange=data["exchange"], title=data["title"])
        return self._answer(report.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: UUID) -> Response:
        changes = self.parse(ReportUpdateSerializer, partial=True)
        report = self._report(pk)
        report_update(by=_user(request), report=report, **changes.update_arguments(report))
        return self._answer(pk)

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: UUID) -> Response:
        report_submit(by=_user(request), report=self._report(pk))
        return self._answer(pk)

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: UUID) -> Response:
        comment = self.parse(ReportReturnSerializer).validated_data["comment"]
        report_return(by=_user(request), report=self._report(pk), comment=comment)
        return self._answer(pk)

    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: UUID) -> Response:
        report_approve(by=_user(request), report=self._report(pk))
        return self._answer(pk)

    @action(detail=True, methods=["post"])
    def disseminate(self, request: Request, pk: UUID) -> Response:
        services = self.parse(ReportDisseminateSerializer).validated_data["services"]
        report_disseminate(by=_user(request), report=self._report(pk), services=services)
        return self._answer(pk)

    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: UUID) -> Response:
        report_acknowledge(by=_user(request), report=self._report(pk))
        return self._answer(pk)
