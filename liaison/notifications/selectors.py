"""Reads of notifications: a recipient's own, each with the title and link of its target only while the read rule
lets the recipient read that target (decided in the same query, through `visible_to`)."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.shortcuts import get_object_or_404

from liaison.accounts.models import User
from liaison.notifications.models import Notification
from liaison.notifications.targets import TARGETS
from liaison.policy.access import visible_to


def with_target_titles(notifications: QuerySet[Notification], user: User) -> QuerySet[Notification]:
    """Annotate `target_title`: the target's title if `user` may read the target now, else NULL."""
    whens = []
    for target in TARGETS:
        readable = target.readable(target.model._default_manager.filter(pk=OuterRef("target_id")), user)
        title = Subquery(readable.values(target.title_field)[:1])
        whens.append(When(target_type_id=target.content_type.pk, then=title))
    return notifications.annotate(target_title=Case(*whens, default=Value(None), output_field=CharField()))


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The user's notifications, unread first, then newest first."""
    mine = Notification.objects.filter(recipient=user).select_related("target_type")
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return with_target_titles(mine, user).order_by(unread.desc(), "-created_at", "pk")


def notification_unread_count(*, user: User) -> int:
    """One query: the badge in the header counts the user's own unread notices."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_get(*, user: User, pk: Any) -> Notification:
    """One of the user's own notifications; anyone else's answers 404 like an unknown id."""
    return get_object_or_404(Notification, recipient=user, pk=pk)


def notification_targets_shown(*, user: User, notifications: list[Notification]) -> list[Any]:
    """The targets a page of notices names, read through `visible_to` (for the page's classification banner): one
    query per kind of target, plus its compartments, whatever the number of notices."""
    shown: list[Any] = []
    for target in TARGETS:
        if not target.is_marked:
            continue
        ids = [
            n.target_id
            for n in notifications
            if n.target_type_id == target.content_type.pk and getattr(n, "target_title", None)
        ]
        if ids:
            readable = visible_to(target.model._default_manager.filter(pk__in=ids), user)
            shown += readable.select_related("classification").prefetch_related("compartments")
    return shown
