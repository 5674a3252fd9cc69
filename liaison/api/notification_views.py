"""API endpoints of the notification centre: the caller's own notices (unread first), marking one or all read.
A notice carries its target's title, id and page only while the caller may read the target; otherwise they are
null and `title` is null too (the page shows a neutral text instead)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from liaison.api.views import ApiViewSet, _filters, _user
from liaison.notifications.models import Notification, NotificationKind
from liaison.notifications.selectors import notification_get, notification_list, with_target_titles
from liaison.notifications.services import notification_mark_all_read, notification_mark_read
from liaison.notifications.targets import target_title, target_url


class NotificationFilterSerializer(serializers.Serializer[Any]):
    unread = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Only the unread notices (true) or the read (false)."
    )


class NotificationSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    kind = serializers.ChoiceField(choices=NotificationKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    title = serializers.SerializerMethodField(help_text="The target's title; null when the caller may not read it.")
    target_type = serializers.SerializerMethodField(help_text="e.g. reports.report; null when unreadable.")
    target_id = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The target's page; null when unreadable.")
    about_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    read_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def _readable(self, obj: Notification) -> bool:
        return getattr(obj, "target_title", None) is not None

    def get_title(self, obj: Notification) -> str | None:
        return target_title(obj.target_type_id, getattr(obj, "target_title", None))

    def get_target_type(self, obj: Notification) -> str | None:
        return f"{obj.target_type.app_label}.{obj.target_type.model}" if self._readable(obj) else None

    def get_target_id(self, obj: Notification) -> UUID | None:
        return obj.target_id if self._readable(obj) else None

    def get_url(self, obj: Notification) -> str | None:
        return (target_url(obj.target_type_id, obj.target_id) or None) if self._readable(obj) else None


class MarkedReadSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField(help_text="How many notices were marked read.")


@extend_schema_view(
    list=extend_schema(parameters=[NotificationFilterSerializer], responses=NotificationSerializer(many=True)),
)
class NotificationViewSet(ApiViewSet):
    serializer_class = NotificationSerializer

    def list(self, request: Request) -> Response:
        user = _user(request)
        filters = _filters(NotificationFilterSerializer, request)
        notifications = notification_list(user=user)
        if filters.get("unread") is not None:
            notifications = notifications.filter(read_at__isnull=filters["unread"])
        page = list(self.paginate_queryset(notifications) or [])
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: UUID) -> Response:
        user = _user(request)
        notification = notification_mark_read(by=user, notification=notification_get(user=user, pk=pk), request=request)
        shown = with_target_titles(Notification.objects.filter(pk=notification.pk), user).get()
        return Response(NotificationSerializer(shown).data)

    @extend_schema(request=None, responses={200: MarkedReadSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": notification_mark_all_read(by=_user(request), request=request)})
