"""API endpoints of follow-ups: list (filtered, through the read rule), detail, create, and the actions of their
life as POSTs (acknowledge, reestimate, answer, refuse, complete, comment). Each parses, calls one service and
answers the follow-up as it is now, read again through the policy."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from liaison.api.serializers.followup import (
    AcknowledgeSerializer,
    AnswerSerializer,
    CommentSerializer,
    CompleteSerializer,
    FollowUpCreateSerializer,
    FollowUpDetailSerializer,
    FollowUpFilterSerializer,
    FollowUpSerializer,
    ReestimateSerializer,
    RefuseSerializer,
)
from liaison.api.views import ApiViewSet, _filters, _user
from liaison.followup import services
from liaison.followup.models import FollowUp, FollowUpKind
from liaison.followup.selectors import followup_get, followup_list


def _action(summary: Any, request: type[serializers.Serializer[Any]]) -> Any:
    return extend_schema(summary=summary, request=request, responses={200: FollowUpDetailSerializer})


@extend_schema_view(
    list=extend_schema(parameters=[FollowUpFilterSerializer], responses=FollowUpSerializer(many=True)),
    retrieve=extend_schema(responses={200: FollowUpDetailSerializer}),
    create=extend_schema(request=FollowUpCreateSerializer, responses={201: FollowUpDetailSerializer}),
    acknowledge=_action(
        gettext_lazy(
            "Acknowledge a request received with an estimated answer; for a request sent to a partner, record the "
            "partner's acknowledgement and estimate."
        ),
        AcknowledgeSerializer,
    ),
    reestimate=_action(gettext_lazy("Move the estimated answer, with the reason."), ReestimateSerializer),
    answer=_action(gettext_lazy("Close a request as answered, with what was given."), AnswerSerializer),
    refuse=_action(gettext_lazy("Close a request as refused, with the reasons."), RefuseSerializer),
    complete=_action(gettext_lazy("Mark a task done."), CompleteSerializer),
    comment=_action(gettext_lazy("Comment on an open follow-up."), CommentSerializer),
)
class FollowUpViewSet(ApiViewSet):
    serializer_class = FollowUpSerializer

    def _followup(self, pk: UUID) -> FollowUp:
        return followup_get(user=_user(self.request), pk=pk, request=self.request)

    def _answer(self, pk: UUID, status_code: int = status.HTTP_200_OK) -> Response:
        followup = self._followup(pk)
        return Response(FollowUpDetailSerializer(followup, context={"request": self.request}).data, status=status_code)

    def list(self, request: Request) -> Response:
        filters = _filters(FollowUpFilterSerializer, request)
        followups = followup_list(
            user=_user(request),
            owner=filters.get("owner"),
            open_only=filters.get("open_only", False),
            kind=filters.get("kind"),
            partner=filters.get("partner"),
            overdue=filters.get("overdue", False),
        )
        if filters.get("status"):
            followups = followups.filter(status=filters["status"])
        return self.page(followups.prefetch_related("caveats"), FollowUpSerializer)

    def retrieve(self, request: Request, pk: UUID) -> Response:
        return self._answer(pk)

    def create(self, request: Request) -> Response:
        arguments = self.parse(FollowUpCreateSerializer).create_arguments()
        followup = services.followup_create(by=_user(request), **arguments)
        return self._answer(followup.pk, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: UUID) -> Response:
        data = self.parse(AcknowledgeSerializer).validated_data
        followup = self._followup(pk)
        if followup.kind == FollowUpKind.RFI_OUT:
            services.followup_record_partner_ack(
                by=_user(request),
                followup=followup,
                estimate_at=data["estimate_at"],
                acknowledged_at=data.get("acknowledged_at"),
                partner_reference=data["partner_reference"],
            )
        else:
            services.followup_acknowledge(
                by=_user(request),
                followup=followup,
                estimate_at=data["estimate_at"],
                acknowledged_at=data.get("acknowledged_at"),
            )
        return self._answer(pk)

    @action(detail=True, methods=["post"])
    def reestimate(self, request: Request, pk: UUID) -> Response:
        data = self.parse(ReestimateSerializer).validated_data
        services.followup_reestimate(
            by=_user(request), followup=self._followup(pk), estimate_at=data["estimate_at"], reason=data["reason"]
        )
        return self._answer(pk)

    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: UUID) -> Response:
        arguments = self.parse(AnswerSerializer).answer_arguments()
        services.followup_answer(by=_user(request), followup=self._followup(pk), **arguments)
        return self._answer(pk)

    @action(detail=True, methods=["post"])
    def refuse(self, request: Request, pk: UUID) -> Response:
        reasons = self.parse(RefuseSerializer).validated_data["reasons"]
        services.followup_refuse(by=_user(request), followup=self._followup(pk), reasons=reasons)
        return self._answer(pk)

    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: UUID) -> Response:
        comment = self.parse(CompleteSerializer).validated_data["comment"]
        services.followup_complete(by=_user(request), followup=self._followup(pk), comment=comment)
        return self._answer(pk)

    @action(detail=True, methods=["post"])
    def comment(self, request: Request, pk: UUID) -> Response:
        comment = self.parse(CommentSerializer).validated_data["comment"]
        services.followup_comment(by=_user(request), followup=self._followup(pk), comment=comment)
        return self._answer(pk)
