"""Reads of break-glass requests, all through the policy (`liaison.policy.breakglass`): a requester's own list,
the approvers' pending list, one request with its objects and reads, and one named object during a window."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from liaison.accounts.models import User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record_read
from liaison.breakglass.models import BreakGlassRead, BreakGlassRequest, BreakGlassStatus, BreakGlassTarget
from liaison.policy.breakglass import break_glass_object, break_glass_requests_visible_to
from liaison.policy.models import MarkedModel

LIST_LIMIT = 200


def _requests(user: User) -> QuerySet[BreakGlassRequest]:
    return break_glass_requests_visible_to(
        BreakGlassRequest.objects.select_related("requester", "decided_by").annotate(
            target_count=Count("targets", distinct=True), read_count=Count("reads", distinct=True)
        ),
        user,
    )


def breakglass_list_mine(*, user: User) -> list[BreakGlassRequest]:
    """The requests `user` made, newest first."""
    return list(_requests(user).filter(requester_id=user.pk).order_by("-created_at", "pk")[:LIST_LIMIT])


def breakglass_list_pending(*, user: User) -> list[BreakGlassRequest]:
    """Requests waiting for a decision that `user` may take (never their own), oldest first."""
    pending = _requests(user).filter(status=BreakGlassStatus.PENDING).exclude(requester_id=user.pk)
    return list(pending.order_by("created_at", "pk")[:LIST_LIMIT])


def breakglass_list_recent(*, user: User) -> list[BreakGlassRequest]:
    """Every request lately decided or closed, newest first (for the approvers' page)."""
    done = _requests(user).exclude(status=BreakGlassStatus.PENDING)
    return list(done.order_by("-created_at", "pk")[:50])


def breakglass_get(*, user: User, pk: Any) -> BreakGlassRequest:
    """One request with its objects and reads; 404 for anyone the policy does not show it to."""
    qs = break_glass_requests_visible_to(
        BreakGlassRequest.objects.select_related("requester", "decided_by", "closed_by").prefetch_related(
            "targets", Prefetch("reads", BreakGlassRead.objects.select_related("target"))
        ),
        user,
    )
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def breakglass_object_get(
    *, user: User, pk: Any, target_pk: Any, request: Any = None
) -> tuple[BreakGlassTarget, MarkedModel]:
    """The object one target of request `pk` names, for its requester while the window is open (the policy
    decides); 404 otherwise, with the refusal recorded (naming only the ids asked for and the rule)."""
    target = (
        BreakGlassTarget.objects.select_related("request__requester")
        .filter(pk=target_pk, request_id=pk, request__requester_id=user.pk)
        .first()
    )
    obj, decision = (None, None) if target is None else break_glass_object(user, target, timezone.now())
    if target is None or obj is None:
        record_read(
            actor=user,
            event=AuditEvent.ACCESS_REFUSED,
            target_type="breakglass.breakglasstarget",
            target_id=str(target_pk),
            extra={"break_glass": str(pk), "rule": decision.rule if decision else "break_glass.window"},
            request=request,
        )
        raise Http404
    return target, obj
