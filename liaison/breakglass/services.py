"""Writes of break-glass access: request, decide (approve or refuse), close early, and record a read. Each service
is atomic, writes its audit entry in the same transaction and notifies the security officers; the policy module
(`liaison.policy.breakglass`) decides who may do what."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import RoleCode, User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record, record_read
from liaison.breakglass.identifiers import Identifier
from liaison.breakglass.models import BreakGlassRead, BreakGlassRequest, BreakGlassStatus, BreakGlassTarget
from liaison.core.exceptions import Conflict, DomainError, PolicyRefusal
from liaison.notifications.models import NotificationKind
from liaison.notifications.services import notify
from liaison.policy.access import Decision
from liaison.policy.breakglass import (
    break_glass_close_decision,
    break_glass_decide_decision,
    can_request_break_glass,
)
from liaison.policy.models import MarkedModel


def _refuse(decision: Decision) -> None:
    if decision.allowed:
        return
    if decision.rule == "break_glass.state":
        raise Conflict(decision.message)
    raise PolicyRefusal(decision.rule, " ".join(filter(None, [decision.message, decision.unblock])))


def security_officers() -> list[User]:
    return list(User.objects.filter(is_active=True, roles__code=RoleCode.SECURITY_OFFICER).distinct().order_by("pk"))


def _approvers(request: BreakGlassRequest) -> list[User]:
    """Those told of a new request: the security officers and the other administrators."""
    users = User.objects.filter(
        is_active=True, roles__code__in=[RoleCode.SECURITY_OFFICER, RoleCode.ADMINISTRATOR]
    ).exclude(pk=request.requester_id)
    return list(users.distinct().order_by("pk"))


def _notify_all(users: list[User], kind: NotificationKind, request: BreakGlassRequest, key: str) -> None:
    for user in users:
        notify(recipient=user, kind=kind, target=request, key=key, about_at=timezone.now())


def breakglass_request(*, by: User, justification: str, minutes: int, objects: list[Identifier]) -> BreakGlassRequest:
    """Record an administrator's request for the objects named (as entered, never looked up) and tell the approvers."""
    if not can_request_break_glass(by):
        raise PolicyRefusal("break_glass.role", _("Break-glass access is for administrators only."))
    justification = justification.strip()
    if len(justification) < 20:
        raise DomainError(_("Say why you need this access, in at least 20 characters."))
    maximum = settings.LIAISON_BREAKGLASS_MAX_MINUTES
    if not 1 <= minutes <= maximum:
        raise DomainError(_("Choose a duration between 1 and %(max)d minutes.") % {"max": maximum})
    if not objects:
        raise DomainError(_("Name at least one object: paste its page's address or its id."))
    with transaction.atomic():
        request = BreakGlassRequest.objects.create(requester=by, justification=justification, minutes=minutes)
        BreakGlassTarget.objects.bulk_create(
            BreakGlassTarget(request=request, kind=o.kind, object_id=o.object_id, entered=o.entered[:300], position=n)
            for n, o in enumerate(objects)
        )
        record(
            actor=by,
            event=AuditEvent.BREAKGLASS_REQUESTED,
            target=request,
            extra={
                "reference": request.reference,
                "minutes": minutes,
                "objects": [f"{o.kind or '*'}:{o.object_id}" for o in objects],
            },
        )
        _notify_all(_approvers(request), NotificationKind.BREAKGLASS_REQUESTED, request, f"{request.pk}:requested")
    return request


def breakglass_decide(*, by: User, request: BreakGlassRequest, approve: bool, reason: str) -> BreakGlassRequest:
    """Approve (the window opens now for the requested minutes) or refuse, with a reason; never by the requester."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason of your decision."))
    with transaction.atomic():
        request = BreakGlassRequest.objects.select_for_update().get(pk=request.pk)
        _refuse(break_glass_decide_decision(by, request))
        now = timezone.now()
        request.decided_by, request.decided_at, request.decision_reason = by, now, reason
        if approve:
            request.status = BreakGlassStatus.APPROVED
            request.opens_at = now
            request.expires_at = now + timedelta(minutes=request.minutes)
        else:
            request.status = BreakGlassStatus.REFUSED
        request.save()
        record(
            actor=by,
            event=AuditEvent.BREAKGLASS_APPROVED if approve else AuditEvent.BREAKGLASS_REFUSED,
            target=request,
            extra={
                "reference": request.reference,
                "requester": str(request.requester_id),
                "expires_at": request.expires_at.isoformat() if request.expires_at else None,
            },
        )
        told = [*security_officers(), request.requester]
        _notify_all(_unique(told), NotificationKind.BREAKGLASS_DECIDED, request, f"{request.pk}:decided")
    return request


def breakglass_close(*, by: User, request: BreakGlassRequest, reason: str = "") -> BreakGlassRequest:
    """End a window early (or withdraw a pending request): the requester or an approver; reads stop at once."""
    with transaction.atomic():
        request = BreakGlassRequest.objects.select_for_update().get(pk=request.pk)
        now = timezone.now()
        _refuse(break_glass_close_decision(by, request, now))
        was = request.status
        request.status = BreakGlassStatus.CLOSED
        request.closed_at, request.closed_by, request.close_reason = now, by, reason.strip()
        if request.expires_at is not None:
            request.expires_at = now
        request.save()
        record(
            actor=by,
            event=AuditEvent.BREAKGLASS_CLOSED,
            target=request,
            extra={"reference": request.reference, "was": was},
        )
        told = [*security_officers(), request.requester]
        _notify_all(_unique(told), NotificationKind.BREAKGLASS_DECIDED, request, f"{request.pk}:closed")
    return request


def breakglass_read_record(
    *, by: User, target: BreakGlassTarget, obj: MarkedModel, request: Any = None
) -> BreakGlassRead:
    """Record one read of `obj` through `target`'s window (the policy has allowed it): the audit read record, the
    request's read row and a notice to every security officer, together or not at all."""
    bg_request = target.request
    with transaction.atomic():
        read = BreakGlassRead.objects.create(request=bg_request, target=target, read_at=timezone.now())
        record_read(
            actor=by,
            event=AuditEvent.OBJECT_READ,
            target=obj,
            extra={"break_glass": bg_request.reference},
            request=request,
        )
        _notify_all(
            security_officers(), NotificationKind.BREAKGLASS_READ, bg_request, f"{bg_request.pk}:read:{read.pk}"
        )
    return read


def _unique(users: list[User]) -> list[User]:
    seen: dict[Any, User] = {}
    for user in users:
        seen.setdefault(user.pk, user)
    return list(seen.values())
