"""The break-glass rule, in one place: an administrator reads an object outside the read rule only through an
approved, open window of their own request that names it; a request is decided by someone else, an administrator
or a security officer. The read rule itself (`access.py`) is untouched: break-glass pages are separate paths that
ask this module, and normal pages stay as they are for administrators."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from liaison.policy.access import Decision
from liaison.policy.gates import has_any_role

if TYPE_CHECKING:
    from liaison.accounts.models import User
    from liaison.breakglass.models import BreakGlassRequest, BreakGlassTarget
    from liaison.policy.models import MarkedModel

REQUESTER_ROLES = ("administrator",)
APPROVER_ROLES = ("administrator", "security_officer")


def can_request_break_glass(user: Any) -> bool:
    return has_any_role(user, *REQUESTER_ROLES)


def is_break_glass_approver(user: Any) -> bool:
    return has_any_role(user, *APPROVER_ROLES)


def break_glass_requests_visible_to(qs: QuerySet[Any], user: User) -> QuerySet[Any]:
    """The requests `user` may see: approvers (administrators, security officers) see every request, anyone else
    none (a requester is an administrator, so sees their own)."""
    if not is_break_glass_approver(user):
        return qs.none()
    return qs


def break_glass_decide_decision(user: User, request: BreakGlassRequest) -> Decision:
    """Whether `user` may approve or refuse `request`: an approver other than the requester, while it waits."""
    from liaison.breakglass.models import BreakGlassStatus

    if not is_break_glass_approver(user):
        return Decision.refuse("break_glass.approver", _("Only an administrator or a security officer decides."))
    if user.pk == request.requester_id:
        return Decision.refuse(
            "break_glass.four_eyes",
            _("You cannot decide your own request."),
            _("Another administrator or a security officer decides it."),
        )
    if request.status != BreakGlassStatus.PENDING:
        return Decision.refuse("break_glass.state", _("This request is already decided or closed."))
    return Decision.allow()


def break_glass_close_decision(user: User, request: BreakGlassRequest, now: datetime) -> Decision:
    """Whether `user` may close `request` now: its requester or an approver, while it waits or its window is open."""
    from liaison.breakglass.models import BreakGlassStatus

    if user.pk != request.requester_id and not is_break_glass_approver(user):
        return Decision.refuse("break_glass.approver", _("Only the requester or an approver closes a request."))
    if request.status == BreakGlassStatus.PENDING or request.is_open(now):
        return Decision.allow()
    return Decision.refuse("break_glass.state", _("This request is no longer pending and its window is not open."))


def _open_windows(user: User, now: datetime) -> Q:
    return Q(
        request__requester_id=user.pk,
        request__status="approved",
        request__opens_at__lte=now,
        request__expires_at__gt=now,
    )


def break_glass_decision(user: User, obj: MarkedModel, now: datetime) -> Decision:
    """Whether `user` may read `obj` at `now` through break-glass: an active administrator with an approved window
    of their own, open at `now` (to the second), whose request names `obj`. Nothing else, whatever the read rule."""
    from liaison.breakglass.models import BreakGlassTarget

    if not can_request_break_glass(user):
        return Decision.refuse("break_glass.role", _("Break-glass access is for administrators only."))
    label = obj._meta.label_lower
    named = BreakGlassTarget.objects.filter(_open_windows(user, now), Q(kind=label) | Q(kind=""), object_id=obj.pk)
    if not named.exists():
        return Decision.refuse(
            "break_glass.window",
            _("No open break-glass window of yours names this object."),
            _("Request break-glass access with a justification."),
        )
    return Decision.allow()


def break_glass_object(user: User, target: BreakGlassTarget, now: datetime) -> tuple[MarkedModel | None, Decision]:
    """The object `target` names, for `user` at `now`, if the break-glass rule lets them read it; otherwise None
    and the refusal (the caller answers 404 either way). A bare id is looked for among every kind that may be named.
    The requester's own window is checked first, so no look-up runs for anyone else or outside the window."""
    from liaison.breakglass.identifiers import KINDS

    if target.request.requester_id != user.pk or not target.request.is_open(now):
        return None, Decision.refuse("break_glass.window", _("No open break-glass window of yours names this object."))
    labels = [target.kind] if target.kind else list(KINDS)
    for label in labels:
        model = apps.get_model(label)
        obj = (
            model._default_manager.select_related("classification__scheme", "created_by")
            .filter(pk=target.object_id)
            .first()
        )
        if obj is not None:
            decision = break_glass_decision(user, obj, now)
            return (obj if decision.allowed else None), decision
    return None, Decision.refuse("break_glass.unknown", _("No object has this id."))
