"""Who reviews whom. A person's managers are the active desk heads of their service other than themselves; where
their service has none, those of the nearest service above it (`Service.parent`); where no service up the tree has
one, the security officers. An item unanswered past the due date escalates to the desk heads of the next service
above the reviewing one (the managers' manager) and to the security officers, who may then decide it too. Nobody
ever decides an item about themselves (four-eyes).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from liaison.accounts.models import RoleCode, Service, User


def _desk_heads(service: Service, *, other_than: User) -> QuerySet[User]:
    return User.objects.filter(service=service, is_active=True, roles__code=RoleCode.DESK_HEAD).exclude(
        pk=other_than.pk
    )


def _first_with_desk_head(service: Service | None, person: User) -> Service | None:
    seen: set[int] = set()
    while service is not None and service.pk not in seen:
        seen.add(service.pk)
        if _desk_heads(service, other_than=person).exists():
            return service
        service = service.parent
    return None


def reviewing_services(person: User) -> tuple[Service | None, Service | None]:
    """The service whose desk heads review `person` and the one an overdue item escalates to (None: the security
    officers alone)."""
    reviewer = _first_with_desk_head(person.service, person)
    if reviewer is None:
        return None, None
    return reviewer, _first_with_desk_head(reviewer.parent, person)


def decidable_q(user: User) -> Q:
    """The review items `user` may decide now, as a condition on the item's own row (the campaign's openness and
    the item's state are checked by the services)."""
    mine = Q(pk__in=[])
    if user.service_id is not None and user.has_role(RoleCode.DESK_HEAD):
        mine |= Q(reviewer_service_id=user.service_id)
        mine |= Q(escalated_at__isnull=False, escalation_service_id=user.service_id)
    if user.has_role(RoleCode.SECURITY_OFFICER):
        mine |= Q(reviewer_service__isnull=True) | Q(escalated_at__isnull=False)
    return mine & ~Q(person_id=user.pk)


def managers_of(*, service: Service | None, person: User | None = None) -> QuerySet[User]:
    """The active desk heads of `service` (other than `person`), or the security officers when it is None."""
    if service is None:
        users = User.objects.filter(is_active=True, roles__code=RoleCode.SECURITY_OFFICER)
    else:
        users = User.objects.filter(service=service, is_active=True, roles__code=RoleCode.DESK_HEAD)
    if person is not None:
        users = users.exclude(pk=person.pk)
    return users.distinct()


def security_officers() -> QuerySet[User]:
    return User.objects.filter(is_active=True, roles__code=RoleCode.SECURITY_OFFICER).distinct()
