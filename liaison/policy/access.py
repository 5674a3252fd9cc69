"""The read rule, in one place: clearance dominates classification, all compartments held, and in the audience.

`visible_to` is the queryset filter every path uses (applied in SQL, before any LIMIT); `can_read` and
`users_who_can_see` are the same rule seen from one object or from the users' side. Administrators are not above
it: no role bypasses this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import BooleanField, Expression, Q, QuerySet
from django.utils import timezone
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


@dataclass(frozen=True)
class Reader:
    """What the read rule needs to know about a user, read once per request (per user instance): who they are, the
    rank of their clearance, the compartments they hold, their service and roles."""

    user_id: Any
    rank: int
    compartments: tuple[int, ...]
    service_id: int | None
    roles: frozenset[str]


def reader(user: User) -> Reader:
    """The user's `Reader`, computed on first use and kept on the instance: a request loads its user once, so this
    is once per request. Changing the user's clearance or service on the instance is seen at once; changing their
    compartments or roles drops it (`forget_reader`, wired to those relations' m2m_changed in accounts)."""
    assert user.clearance is not None  # is_cleared_reader
    cached: Reader | None = getattr(user, "_policy_reader", None)
    if (
        cached is not None
        and cached.rank == user.clearance.rank
        and cached.service_id == user.service_id
        and cached.user_id == user.pk
    ):
        return cached
    fresh = Reader(
        user_id=user.pk,
        rank=user.clearance.rank,
        compartments=tuple(sorted(user.compartments.values_list("pk", flat=True))),
        service_id=user.service_id,
        roles=user.role_codes(),
    )
    user._policy_reader = fresh  # type: ignore[attr-defined]
    return fresh


def forget_reader(user: Any) -> None:
    for name in ("_policy_reader", "_role_codes"):
        if hasattr(user, name):
            delattr(user, name)


def rule_q(model: type[MarkedModel], user: User, who: Reader, now: datetime) -> Q:
    """The read rule over `model` for `who`, as a condition on the object's own row: its columns and uncorrelated
    subqueries, no join (so that it can be compiled once and reused, below)."""
    from liaison.policy.models import ClassificationLevel

    comp_through, comp_src, comp_dst = _through_subquery(model, "compartments")
    missing = comp_through.objects.exclude(**{f"{comp_dst}__in": who.compartments}).values(comp_src)
    levels = ClassificationLevel.objects.filter(rank__lte=who.rank).values("pk")
    content_type = ContentType.objects.get_for_model(model)
    # A user without a service must not match grants whose service is NULL (those are grants to users).
    grantee = (
        Q(user_id=who.user_id) if who.service_id is None else Q(user_id=who.user_id) | Q(service_id=who.service_id)
    )
    grants = AccessGrant.objects.active(now).filter(content_type=content_type).filter(grantee).values("object_id")
    audience = Q(created_by_id=who.user_id) | Q(pk__in=grants) | model.extra_audience_q(user)
    if who.service_id is not None:
        shared_through, shared_src, shared_dst = _through_subquery(model, "shared_with_services")
        audience |= Q(pk__in=shared_through.objects.filter(**{shared_dst: who.service_id}).values(shared_src))
    return Q(classification__in=levels) & ~Q(pk__in=missing) & audience


# A time no real query uses: the rule is compiled once with it, and each use puts the current time in its place.
_COMPILE_NOW = datetime(2999, 12, 31, 23, 59, 58, 123457, tzinfo=UTC)
_BASE = "\x00base\x00"  # stands for the object table's alias in a compiled rule


class _Passenger:
    """A value carried through `lru_cache` without being part of its key."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Passenger)


@dataclass(frozen=True)
class _Compiled:
    template: str  # the rule's SQL with _BASE where the object table's alias goes
    params: tuple[Any, ...]
    now_slots: tuple[int, ...]  # positions of the time parameter


@lru_cache(maxsize=4096)
def _compiled_rule(label: str, alias: str, who: Reader, user: _Passenger) -> _Compiled | None:
    """The read rule's SQL for one model and one reader, compiled once per process: building and compiling the
    ORM condition costs milliseconds per use, substituting the alias and the time costs nothing. The key is
    everything the rule reads about the user (`Reader`); the user instance only rides along for
    `extra_audience_q`, which reads nothing else of it. None when the rule needs a join (then the ORM applies it
    at each use, as correct and only slower)."""
    connection = connections[alias]
    model = apps.get_model(label)
    query = model._base_manager.using(alias).filter(rule_q(model, user.value, who, _COMPILE_NOW)).query
    if sum(1 for count in query.alias_refcount.values() if count) != 1:
        return None  # a join (joins set up and then trimmed away keep an entry with no reference)
    compiler = query.get_compiler(alias)
    sql, params = compiler.compile(query.where)
    table = compiler.quote_name_unless_alias(query.get_initial_alias())
    marker = connection.ops.adapt_datetimefield_value(_COMPILE_NOW)
    slots = tuple(n for n, value in enumerate(params) if value == marker)
    return _Compiled(sql.replace(f"{table}.", f"{_BASE}."), tuple(params), slots)


class ReadRule(Expression):
    """The compiled read rule as a condition of a query over the object table. It follows the table's alias when
    the query is nested in another (Django renames the aliases of a subquery), and its own subqueries are
    uncorrelated, so the alias appears only at its top level."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, compiled: _Compiled, params: tuple[Any, ...], table_alias: str | None = None) -> None:
        super().__init__()
        self.compiled = compiled
        self.params = params
        self.table_alias = table_alias

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> ReadRule:
        clone = self.copy()
        clone.table_alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map: Mapping[str, str]) -> ReadRule:
        clone = self.copy()
        clone.table_alias = change_map.get(self.table_alias or "", self.table_alias)
        return clone

    def get_group_by_cols(self) -> list[Any]:
        return []

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        assert self.table_alias is not None  # resolved by the query that uses it
        table = compiler.quote_name_unless_alias(self.table_alias)
        return "(" + self.compiled.template.replace(_BASE, table) + ")", list(self.params)


def visible_to(qs: Q_, user: User) -> Q_:
    """Restrict a queryset of marked objects to those `user` may read (the read rule, in SQL, applied before any
    LIMIT)."""
    model = qs.model
    if not is_cleared_reader(user):
        return qs.none()
    who = reader(user)
    compiled = _compiled_rule(model._meta.label, qs.db, who, _Passenger(user))
    if compiled is None:
        return qs.filter(rule_q(model, user, who, timezone.now()))
    params = compiled.params
    if compiled.now_slots:
        now = connections[qs.db].ops.adapt_datetimefield_value(timezone.now())
        values = list(params)
        for slot in compiled.now_slots:
            values[slot] = now
        params = tuple(values)
    return qs.filter(ReadRule(compiled, params))


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
