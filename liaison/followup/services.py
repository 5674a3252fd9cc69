"""Writes of follow-ups: creation with sticky markings and default deadlines, and each step of their life
(acknowledge, re-estimate, answer, refuse, complete, cancel, comment, reopen, reassign). Each service is atomic,
writes a history event and an audit entry, and refuses a user's mistake with a message saying what to do."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import RECORDING_ROLES, RoleCode, User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.exceptions import Conflict, DomainError, PolicyRefusal
from liaison.exchanges.models import Exchange, InformationItem
from liaison.followup.deadlines import default_due
from liaison.followup.models import (
    OPEN_STATUSES,
    FollowUp,
    FollowUpAction,
    FollowUpEvent,
    FollowUpKind,
    FollowUpStatus,
    Priority,
)
from liaison.partners.models import Partner
from liaison.policy.access import can_read, read_decision, require_readable
from liaison.policy.apply import apply_marking
from liaison.policy.gates import has_any_role
from liaison.policy.markings import Marking, combine_all
from liaison.releases.models import Release
from liaison.reports.models import Report

PARTNER_REQUESTS = (FollowUpKind.RFI_IN, FollowUpKind.RFI_OUT)
INCOMING = (FollowUpKind.RFI_IN, FollowUpKind.RFI_INTERNAL)
REQUESTS = (FollowUpKind.RFI_IN, FollowUpKind.RFI_OUT, FollowUpKind.RFI_INTERNAL, FollowUpKind.CONSENT)


def _event(
    followup: FollowUp, action: str, by: User, comment: str = "", estimate_at: datetime | None = None
) -> FollowUpEvent:
    return FollowUpEvent.objects.create(
        followup=followup, action=action, by=by, comment=comment, estimate_at=estimate_at
    )


def _audit(by: User, followup: FollowUp, action: str, *, created: bool = False, **extra: object) -> None:
    record(
        actor=by,
        event=AuditEvent.OBJECT_CREATED if created else AuditEvent.OBJECT_CHANGED,
        target=followup,
        extra={"action": action, "status": followup.status, **extra},
    )


def _require_owner_can_read(owner: User, followup: FollowUp) -> None:
    """The owner must be able to read what they own; the refusal says which part of the read rule stops them (the
    writer can read the follow-up, so naming the rule reveals nothing)."""
    decision = read_decision(owner, followup)
    if not decision.allowed:
        raise DomainError(
            _("%(alias)s cannot own this follow-up: %(why)s %(unblock)s")
            % {"alias": owner.alias, "why": decision.message, "unblock": decision.unblock}
        )


def _linked_marking(
    *,
    partner: Partner | None,
    exchange: Exchange | None,
    report: Report | None,
    items: Sequence[InformationItem],
    raise_to: Marking | None,
) -> Marking:
    """At least the markings of everything the follow-up links (sticky), raised to what the writer chose."""
    linked = [obj.marking() for obj in (partner, exchange, report, *items) if obj is not None]
    return combine_all([*linked, raise_to or Marking()])


def followup_create(
    *,
    by: User,
    kind: str,
    title: str,
    owner: User,
    priority: str = Priority.NORMAL,
    due_at: datetime | None = None,
    description: str = "",
    partner: Partner | None = None,
    exchange: Exchange | None = None,
    report: Report | None = None,
    items: Sequence[InformationItem] = (),
    raise_to: Marking | None = None,
    partner_reference: str = "",
) -> FollowUp:
    """Open a task or a request for information. A partner's request without a deadline gets the default for its
    priority; markings are at least those of what it links; the writer must read every link, the owner the result."""
    if not has_any_role(by, *RECORDING_ROLES):
        raise PolicyRefusal("role", _("Only liaison officers and desk heads open follow-ups."))
    if kind not in (FollowUpKind.TASK, FollowUpKind.RFI_IN, FollowUpKind.RFI_OUT):
        raise DomainError(_("Choose a task, a request from a partner or a request to a partner."))
    if priority not in Priority.values:
        raise DomainError(_("Choose a priority: urgent, normal or routine."))
    if not title.strip():
        raise DomainError(_("Give the follow-up a title: what is to be done or asked."))
    if kind in PARTNER_REQUESTS and partner is None:
        raise DomainError(_("Name the partner of this request."))
    for obj, what in ((partner, _("partner")), (exchange, _("exchange")), (report, _("report"))):
        if obj is not None:
            require_readable(by, [obj], what)
    require_readable(by, items, _("item"))
    now = timezone.now()
    if due_at is None:
        due_at = default_due(priority, start=now, zone=owner.zone)
    elif due_at <= now:
        raise DomainError(_("The due date is in the past: give a date and time to come."))
    marking = _linked_marking(partner=partner, exchange=exchange, report=report, items=items, raise_to=raise_to)
    with transaction.atomic():
        followup = FollowUp(
            kind=kind,
            title=title.strip()[:200],
            description=description.strip(),
            priority=priority,
            owner=owner,
            assigned_at=now,
            due_at=due_at,
            partner=partner,
            exchange=exchange or (report.exchange if report is not None else None),
            report=report,
            partner_reference=partner_reference.strip()[:120],
            created_by=by,
            classification=by.clearance,
        )
        apply_marking(followup, marking)
        followup.items.set(items)
        if not can_read(by, followup):
            raise DomainError(_("You could not read a follow-up marked this way: choose markings within your own."))
        _require_owner_can_read(owner, followup)
        _event(followup, FollowUpAction.CREATED, by)
        _audit(by, followup, FollowUpAction.CREATED, created=True, kind=kind, owner=owner.alias)
    return followup


# ---------------------------------------------------------------- who may act


def _is_desk_head_of(by: User, user: User) -> bool:
    return by.has_role(RoleCode.DESK_HEAD) and by.service_id is not None and by.service_id == user.service_id


def followup_can_handle(user: User, followup: FollowUp) -> bool:
    """Whether `user` moves the follow-up along: its owner, or a desk head of the owner's service."""
    return user.pk == followup.owner_id or _is_desk_head_of(user, followup.owner)


def _require_handler(by: User, followup: FollowUp) -> None:
    """The owner, or a desk head of the owner's service, moves a follow-up along (and must be able to read it)."""
    require_readable(by, [followup], _("follow-up"))
    if not followup_can_handle(by, followup):
        raise PolicyRefusal(
            "owner", _("Only the owner of this follow-up or their desk head can do this: comment instead.")
        )


def _require_open(followup: FollowUp) -> None:
    if followup.status not in OPEN_STATUSES:
        raise Conflict(_("This follow-up is closed: reopen it first."))


def _locked(followup: FollowUp) -> FollowUp:
    return FollowUp.objects.select_for_update().select_related("owner").get(pk=followup.pk)


def _close(followup: FollowUp, status: str, by: User, outcome: str) -> None:
    followup.status = status
    followup.closed_at = timezone.now()
    followup.closed_by = by
    followup.outcome = outcome
    followup.save()


# ---------------------------------------------------------------- acknowledgement and estimates


def _check_estimate(estimate_at: datetime, acknowledged_at: datetime) -> None:
    if estimate_at < acknowledged_at:
        raise DomainError(_("The estimated answer is earlier than the acknowledgement: give a date and time after it."))


def _acknowledge(
    *, by: User, followup: FollowUp, estimate_at: datetime, acknowledged_at: datetime | None, reference: str
) -> FollowUp:
    now = timezone.now()
    acknowledged_at = acknowledged_at or now
    if acknowledged_at > now:
        raise DomainError(_("The acknowledgement cannot be in the future: give when it was sent or received."))
    _check_estimate(estimate_at, acknowledged_at)
    with transaction.atomic():
        followup = _locked(followup)
        _require_open(followup)
        if followup.status == FollowUpStatus.ACKNOWLEDGED:
            raise Conflict(_("This request is already acknowledged: re-estimate it if the answer will be late."))
        followup.status = FollowUpStatus.ACKNOWLEDGED
        followup.acknowledged_at = acknowledged_at
        followup.estimate_at = estimate_at
        if reference.strip():
            followup.partner_reference = reference.strip()[:120]
        followup.save()
        _event(followup, FollowUpAction.ACKNOWLEDGED, by, estimate_at=estimate_at)
        _audit(by, followup, FollowUpAction.ACKNOWLEDGED, estimate_at=estimate_at.isoformat())
    return followup


def followup_acknowledge(
    *, by: User, followup: FollowUp, estimate_at: datetime, acknowledged_at: datetime | None = None
) -> FollowUp:
    """Acknowledge a request we received (from a partner or a recipient service) with an estimated answer date,
    which cannot be earlier than the acknowledgement."""
    _require_handler(by, followup)
    if followup.kind not in INCOMING:
        raise Conflict(_("Only a request we received is acknowledged; for a request we sent, record the partner's."))
    return _acknowledge(
        by=by, followup=followup, estimate_at=estimate_at, acknowledged_at=acknowledged_at, reference=""
    )


def followup_record_partner_ack(
    *,
    by: User,
    followup: FollowUp,
    estimate_at: datetime,
    acknowledged_at: datetime | None = None,
    partner_reference: str = "",
) -> FollowUp:
    """Record that the partner acknowledged our request, with their estimated answer date and their reference."""
    _require_handler(by, followup)
    if followup.kind != FollowUpKind.RFI_OUT:
        raise Conflict(_("Only a request sent to a partner has a partner's acknowledgement to record."))
    return _acknowledge(
        by=by, followup=followup, estimate_at=estimate_at, acknowledged_at=acknowledged_at, reference=partner_reference
    )


def followup_reestimate(*, by: User, followup: FollowUp, estimate_at: datetime, reason: str) -> FollowUp:
    """Move the estimated answer of an open request, with the reason: the new estimate must be to come."""
    _require_handler(by, followup)
    if followup.kind not in REQUESTS:
        raise Conflict(_("A task has a due date, not an estimate: comment on it instead."))
    if not reason.strip():
        raise DomainError(_("Say why the estimate moves: a re-estimate needs a reason."))
    if estimate_at <= timezone.now():
        raise DomainError(_("The new estimate is in the past: give a date and time to come."))
    with transaction.atomic():
        followup = _locked(followup)
        _require_open(followup)
        if followup.acknowledged_at is not None:
            _check_estimate(estimate_at, followup.acknowledged_at)
        followup.estimate_at = estimate_at
        followup.save()
        _event(followup, FollowUpAction.RE_ESTIMATED, by, reason.strip(), estimate_at=estimate_at)
        _audit(by, followup, FollowUpAction.RE_ESTIMATED, estimate_at=estimate_at.isoformat())
    return followup


# ---------------------------------------------------------------- closing and reopening


def followup_answer(
    *,
    by: User,
    followup: FollowUp,
    outcome: str,
    release: Release | None = None,
    items: Sequence[InformationItem] = (),
) -> FollowUp:
    """Close a request as answered, with what the answer said and, when it links them, the release or items given
    (their markings are added to the follow-up's: sticky)."""
    _require_handler(by, followup)
    if followup.kind not in REQUESTS:
        raise Conflict(_("A task is completed, not answered."))
    if not outcome.strip():
        raise DomainError(_("Summarise the answer: what was given or learnt."))
    if release is not None:
        require_readable(by, [release], _("release"))
    require_readable(by, items, _("item"))
    with transaction.atomic():
        followup = _locked(followup)
        _require_open(followup)
        extra = [obj.marking() for obj in (release, *items) if obj is not None]
        if extra:
            apply_marking(followup, combine_all([followup.marking(), *extra]))
            _require_owner_can_read(followup.owner, followup)
        followup.answer_release = release
        followup.items.add(*items)
        _close(followup, FollowUpStatus.ANSWERED, by, outcome.strip())
        _event(followup, FollowUpAction.ANSWERED, by, outcome.strip())
        _audit(by, followup, FollowUpAction.ANSWERED, release=str(release.pk) if release else "", items=len(items))
    return followup


def followup_refuse(*, by: User, followup: FollowUp, reasons: str) -> FollowUp:
    """Close a request as refused (by us, or by the partner for a request we sent), with the reasons."""
    _require_handler(by, followup)
    if followup.kind not in REQUESTS:
        raise Conflict(_("A task is completed or cancelled, not refused."))
    if not reasons.strip():
        raise DomainError(_("Give the reasons of the refusal: they are kept with the request."))
    with transaction.atomic():
        followup = _locked(followup)
        _require_open(followup)
        _close(followup, FollowUpStatus.REFUSED, by, reasons.strip())
        _event(followup, FollowUpAction.REFUSED, by, reasons.strip())
        _audit(by, followup, FollowUpAction.REFUSED)
    return followup


def followup_complete(*, by: User, followup: FollowUp, comment: str = "") -> FollowUp:
    """Mark a task done."""
    _require_handler(by, followup)
    if followup.kind != FollowUpKind.TASK:
        raise Conflict(_("A request is closed as answered or refused, not done."))
    with transaction.atomic():
        followup = _locked(followup)
        _require_open(followup)
        _close(followup, FollowUpStatus.DONE, by, comment.strip())
        _event(followup, FollowUpAction.DONE, by, comment.strip())
        _audit(by, followup, FollowUpAction.DONE)
    return followup


def followup_cancel(*, by: User, followup: FollowUp, reason: str = "") -> FollowUp:
    """Cancel an open follow-up that is no longer needed (its owner, their desk head or whoever asked)."""
    require_readable(by, [followup], _("follow-up"))
    if by.pk != followup.created_by_id:
        _require_handler(by, followup)
    with transaction.atomic():
        followup = _locked(followup)
        _require_open(followup)
        _close(followup, FollowUpStatus.CANCELLED, by, reason.strip())
        _event(followup, FollowUpAction.CANCELLED, by, reason.strip())
        _audit(by, followup, FollowUpAction.CANCELLED)
    return followup


def followup_reopen(*, by: User, followup: FollowUp, reason: str, due_at: datetime | None = None) -> FollowUp:
    """Reopen a closed follow-up, with the reason; if its due date has passed, a new one is needed."""
    _require_handler(by, followup)
    if not reason.strip():
        raise DomainError(_("Say why the follow-up is reopened."))
    now = timezone.now()
    if due_at is not None and due_at <= now:
        raise DomainError(_("The due date is in the past: give a date and time to come."))
    with transaction.atomic():
        followup = _locked(followup)
        if followup.status in OPEN_STATUSES:
            raise Conflict(_("This follow-up is already open."))
        if due_at is None and followup.due_at <= now:
            raise DomainError(_("Its due date has passed: give a new due date to reopen it."))
        followup.status = FollowUpStatus.ACKNOWLEDGED if followup.acknowledged_at else FollowUpStatus.OPEN
        followup.closed_at = None
        followup.closed_by = None
        followup.due_at = due_at or followup.due_at
        followup.save()
        _event(followup, FollowUpAction.REOPENED, by, reason.strip())
        _audit(by, followup, FollowUpAction.REOPENED)
    return followup


# ---------------------------------------------------------------- comments and owners


def followup_comment(*, by: User, followup: FollowUp, comment: str) -> FollowUpEvent:
    """Add a comment to the history of an open follow-up; anyone who may read it may comment."""
    require_readable(by, [followup], _("follow-up"))
    if not comment.strip():
        raise DomainError(_("Write the comment."))
    if followup.status not in OPEN_STATUSES:
        raise Conflict(_("This follow-up is closed: reopen it first to comment."))
    with transaction.atomic():
        event = _event(followup, FollowUpAction.COMMENTED, by, comment.strip())
        _audit(by, followup, FollowUpAction.COMMENTED)
    return event


def followup_reassign(*, by: User, followup: FollowUp, to_user: User, comment: str = "") -> FollowUp:
    """Give an open follow-up to someone else, who must be able to read it."""
    _require_handler(by, followup)
    if to_user.pk == followup.owner_id:
        raise DomainError(_("%(alias)s already owns this follow-up.") % {"alias": to_user.alias})
    with transaction.atomic():
        followup = _locked(followup)
        _require_open(followup)
        _require_owner_can_read(to_user, followup)
        followup.owner = to_user
        followup.assigned_at = timezone.now()
        followup.save()
        _event(followup, FollowUpAction.ASSIGNED, by, comment.strip() or to_user.alias)
        _audit(by, followup, FollowUpAction.ASSIGNED, owner=to_user.alias)
    return followup
