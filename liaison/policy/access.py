"""The read rule, in one place: clearance dominates classification, all compartments held, and in the audience.

`visible_to` is the queryset filter every path uses (applied in SQL, before any LIMIT); `can_read` and
`users_who_can_see` are the same rule seen from one object or from the users' side. Administrators are not above
it: no role bypasses this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from liaison.policy.models import AccessGrant, MarkedModel

if TYPE_CHECKING:
    from liaison.accounts.models import User

Q_ = TypeVar("Q_", bound=QuerySet[Any])


@dataclass(frozen=True)
class Decision:
    """The answer of a policy check: allowed, or the rule that refused, why, and what would unblock it."""

    allowed: bool
    rule: str = ""
    message: str = ""
    unblock: str = ""

    @classmethod
    def allow(cls) -> Decision:
        return cls(True)

    @classmethod
    def refuse(cls, rule: str, message: str, unblock: str = "") -> Decision:
        return cls(False, rule, message, unblock)


def _through_subquery(model: type[MarkedModel], field_name: str) -> tuple[Any, str, str]:
    field = model._meta.get_field(field_name)
    through = field.remote_field.through  # type: ignore[union-attr]
    return through, field.m2m_field_name(), field.m2m_reverse_field_name()  # type: ignore[union-attr]


def is_cleared_reader(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.clearance_id is not None)


def visible_to(qs: Q_, user: User) -> Q_:
    """Restrict a queryset of marked objects to those `user` may read (the read rule, in SQL)."""
    model = qs.model
    if not is_cleared_reader(user):
        return qs.none()
    held = user.compartments.values("pk")
    comp_through, comp_src, comp_dst = _through_subquery(model, "compartments")
    missing = comp_through.objects.exclude(**{f"{comp_dst}__in": held}).values(comp_src)
    content_type = ContentType.objects.get_for_model(model)
    # A user without a service must not match grants whose service is NULL (those are grants to users).
    grantee = Q(user=user) if user.service_id is None else Q(user=user) | Q(service_id=user.service_id)
    grants = AccessGrant.objects.active().filter(content_type=content_type).filter(grantee).values("object_id")
    audience = Q(created_by=user) | Q(pk__in=grants) | model.extra_audience_q(user)
    if user.service_id is not None:
        shared_through, shared_src, shared_dst = _through_subquery(model, "shared_with_services")
        audience |= Q(pk__in=shared_through.objects.filter(**{shared_dst: user.service_id}).values(shared_src))
    assert user.clearance is not None  # is_cleared_reader
    return qs.filter(classification__rank__lte=user.clearance.rank).exclude(pk__in=missing).filter(audience)


def can_read(user: User, obj: MarkedModel) -> bool:
    """Whether `user` may read `obj`; asks the database through `visible_to` so there is one truth."""
    return visible_to(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def require_readable(user: User, objects: Iterable[MarkedModel], what: str) -> None:
    """Refuse a write that names an object the user may not read, in the same words as for one that does not
    exist (so the refusal reveals nothing)."""
    from liaison.core.exceptions import DomainError

    for obj in objects:
        if not can_read(user, obj):
            raise DomainError(_("Unknown %(what)s: choose one from the list.") % {"what": what})


def users_who_can_see(obj: MarkedModel) -> QuerySet[User]:
    """Every active user the read rule lets read `obj` (for notifications and recipient choice)."""
    from liaison.accounts.models import User

    users = User.objects.filter(is_active=True, clearance__rank__gte=obj.classification.rank)
    for compartment_id in obj.compartments.values_list("pk", flat=True):
        users = users.filter(compartments=compartment_id)
    content_type = ContentType.objects.get_for_model(type(obj))
    grants = AccessGrant.objects.active().filter(content_type=content_type, object_id=obj.pk)
    audience = (
        Q(pk=obj.created_by_id)
        | Q(service__in=obj.shared_with_services.values("pk"))
        | Q(pk__in=grants.filter(user__isnull=False).values("user_id"))
        | Q(service__in=grants.filter(service__isnull=False).values("service_id"))
        | obj.extra_audience_users_q()
    )
    return users.filter(audience).distinct()


def read_decision(user: User, obj: MarkedModel) -> Decision:
    """Which part of the read rule lets `user` read `obj` or not, for someone entitled to know (the object's
    author choosing recipients, say). Never shown to `user` themselves about an object they cannot see."""
    if not is_cleared_reader(user):
        return Decision.refuse("account", _("This account is inactive or has no clearance."))
    assert user.clearance is not None
    if user.clearance.rank < obj.classification.rank:
        return Decision.refuse(
            "clearance",
            _("Their clearance is below the classification of this document."),
            _("Choose someone cleared at that level, or have their clearance raised."),
        )
    held = set(user.compartments.values_list("pk", flat=True))
    if not set(obj.compartments.values_list("pk", flat=True)) <= held:
        return Decision.refuse(
            "compartments",
            _("They do not hold every compartment of this document."),
            _("Choose someone holding those compartments, or ask their manager to request them."),
        )
    if not can_read(user, obj):
        return Decision.refuse(
            "audience",
            _("They are not in the audience of this document."),
            _("Share it with their service or give them an explicit, justified grant."),
        )
    return Decision.allow()


M = TypeVar("M", bound=MarkedModel)


def get_visible_or_404(qs: QuerySet[M], user: User, pk: Any, *, request: Any = None) -> M:
    """Fetch one object through the read rule. Unseen and non-existent objects both answer 404; the refusal and
    the read are audited (the refusal names only the id that was asked for)."""
    from django.http import Http404

    from liaison.audit.events import AuditEvent
    from liaison.audit.services import record_read

    obj = visible_to(qs, user).filter(pk=pk).first()
    if obj is None:
        record_read(
            actor=user,
            event=AuditEvent.ACCESS_REFUSED,
            target_type=qs.model._meta.label_lower,
            target_id=str(pk),
            request=request,
        )
        raise Http404
    record_read(actor=user, event=AuditEvent.OBJECT_READ, target=obj, request=request)
    return obj
