"""Follow-ups that other parts of the office open or close: proposed follow-ups of an approved report, a consent
request to an originator, a question from a recipient service about a report, and the hand-over of an officer's
follow-ups and partners when they rotate."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import RECORDING_ROLES, RoleCode, User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.exceptions import DomainError, PolicyRefusal
from liaison.followup.deadlines import default_due, due_on_day, parse_proposed
from liaison.followup.models import (
    OPEN_STATUSES,
    FollowUp,
    FollowUpAction,
    FollowUpEvent,
    FollowUpKind,
    FollowUpStatus,
    Handover,
    Priority,
)
from liaison.followup.services import _audit, _event
from liaison.partners.models import Partner
from liaison.policy.access import read_decision, require_readable, visible_to
from liaison.policy.apply import apply_marking
from liaison.policy.markings import Marking
from liaison.policy.models import MarkedModel
from liaison.releases.models import ConsentRequest
from liaison.reports.models import Report, ReportRecipient


def _open_linked(
    *,
    by: User,
    kind: str,
    title: str,
    owner: User,
    due_at: datetime,
    marking: Marking,
    created_by: User,
    description: str = "",
    **links: object,
) -> FollowUp:
    """Create a follow-up another workflow asked for (inside that workflow's transaction), marked as its source."""
    followup = FollowUp(
        kind=kind,
        title=title[:200],
        description=description,
        priority=Priority.NORMAL,
        owner=owner,
        assigned_at=timezone.now(),
        due_at=due_at,
        created_by=created_by,
        classification=owner.clearance or created_by.clearance,
        **links,
    )
    apply_marking(followup, marking)
    _event(followup, FollowUpAction.CREATED, by)
    _audit(by, followup, FollowUpAction.CREATED, created=True, kind=kind, owner=owner.alias)
    return followup


# ---------------------------------------------------------------- report approval


def followups_from_report(*, report: Report, by: User) -> list[FollowUp]:
    """Turn the proposed follow-ups of a report being approved into tasks owned by its author, linked to the report
    and its exchange, with the report's markings (one per line; see `deadlines.parse_proposed`). A day that has
    passed, or none, gives the default deadline of a normal request."""
    author = report.created_by
    now = timezone.now()
    zone = author.zone
    created = []
    for proposed in parse_proposed(report.proposed_followups):
        due_at = due_on_day(proposed.due_on, zone) if proposed.due_on else None
        if due_at is None or due_at <= now:
            due_at = default_due(Priority.NORMAL, start=now, zone=zone)
        created.append(
            _open_linked(
                by=by,
                kind=FollowUpKind.TASK,
                title=proposed.text,
                description=proposed.text if len(proposed.text) > 200 else "",
                owner=author,
                due_at=due_at,
                marking=report.marking(),
                created_by=author,
                report=report,
                exchange=report.exchange,
            )
        )
    return created


# ---------------------------------------------------------------- consent requests


def followup_for_consent_request(*, request: ConsentRequest, by: User) -> FollowUp:
    """A consent request to an originator is followed up by its author until it is answered or withdrawn: due on
    its answer date (end of day in the author's zone), or after the default of a normal request."""
    author = request.created_by
    zone = author.zone
    now = timezone.now()
    due_at = due_on_day(request.answer_due, zone) if request.answer_due else None
    if due_at is None or due_at <= now:
        due_at = default_due(Priority.NORMAL, start=now, zone=zone)
    followup = _open_linked(
        by=by,
        kind=FollowUpKind.CONSENT,
        title=_("Consent from %(originator)s for a release to %(partner)s")
        % {"originator": request.originator_label, "partner": request.partner},
        description=request.message,
        owner=author,
        due_at=due_at,
        marking=request.marking(),
        created_by=author,
        consent_request=request,
        partner=request.originator_partner,
    )
    followup.items.set(list(request.items.all()))
    return followup


def followup_close_for_consent_request(*, request: ConsentRequest, by: User, answered: bool) -> None:
    """Close the consent follow-up when its request is answered (or withdrawn); nothing to do if none is open."""
    followup = FollowUp.objects.select_for_update().filter(consent_request=request, status__in=OPEN_STATUSES).first()
    if followup is None:
        return
    status = FollowUpStatus.ANSWERED if answered else FollowUpStatus.CANCELLED
    action = FollowUpAction.ANSWERED if answered else FollowUpAction.CANCELLED
    outcome = _("The originator's answer was recorded.") if answered else _("The consent request was withdrawn.")
    followup.status = status
    followup.closed_at = timezone.now()
    followup.closed_by = by
    followup.outcome = outcome
    followup.save()
    _event(followup, action, by, outcome)
    _audit(by, followup, action)


# ---------------------------------------------------------------- questions from recipient services


def followup_ask_about_report(*, by: User, report: Report, question: str, due_at: datetime | None = None) -> FollowUp:
    """A recipient of a disseminated report asks its author a question: an internal request owned by the author,
    seen by the asking service, marked as the report."""
    require_readable(by, [report], _("report"))
    if by.service_id is None or not ReportRecipient.objects.filter(report=report, service_id=by.service_id).exists():
        raise PolicyRefusal("recipient", _("Only a service the report was sent to asks its author about it."))
    if not question.strip():
        raise DomainError(_("Write your question."))
    author = report.created_by
    if not author.is_active:
        raise DomainError(_("The author of this report has left: ask the desk head of their service."))
    now = timezone.now()
    if due_at is not None and due_at <= now:
        raise DomainError(_("The due date is in the past: give a date and time to come."))
    with transaction.atomic():
        lines = question.strip().splitlines()
        followup = _open_linked(
            by=by,
            kind=FollowUpKind.RFI_INTERNAL,
            title=_("Question on “%(report)s”: %(question)s") % {"report": report.title, "question": lines[0]},
            description=question.strip(),
            owner=author,
            due_at=due_at or default_due(Priority.NORMAL, start=now, zone=author.zone),
            marking=report.marking(),
            created_by=by,
            report=report,
            exchange=report.exchange,
            requested_by_service_id=by.service_id,
        )
    return followup


# ---------------------------------------------------------------- hand-over


def _cleared_for(user: User, obj: MarkedModel) -> bool:
    decision = read_decision(user, obj)
    return decision.allowed or decision.rule == "audience"


def followup_handover(*, from_user: User, to_user: User, note: str, by: User) -> Handover:
    """Give every open follow-up of a rotating officer, and the partners they are in charge of, to their successor,
    with a hand-over note. A desk head of the officer's service does it, for a successor of the same service; it is
    refused, all or nothing, if the successor could not read some of them (the refusal counts them, never names
    them). Only what the desk head may read moves."""
    if not (by.has_role(RoleCode.DESK_HEAD) and by.service_id is not None and by.service_id == from_user.service_id):
        raise PolicyRefusal("role", _("Only a desk head of the officer's service hands their files over."))
    if to_user.pk == from_user.pk:
        raise DomainError(_("Choose someone else to take over."))
    if not to_user.is_active or to_user.service_id != from_user.service_id:
        raise DomainError(_("Choose an active member of the same service to take over."))
    if not any(to_user.has_role(code) for code in RECORDING_ROLES):
        raise DomainError(_("Choose a liaison officer or a desk head to take over."))
    if not note.strip():
        raise DomainError(_("Write the hand-over note: what the successor needs to know."))
    with transaction.atomic():
        # Only what the desk head may read moves: what they may not read is neither counted nor shown to them.
        followups = list(
            visible_to(FollowUp.objects.filter(owner=from_user, status__in=OPEN_STATUSES), by).select_for_update()
        )
        partners = list(visible_to(Partner.objects.filter(officers_in_charge=from_user), by))
        # Once owner (officer in charge) they are in the audience: what counts is their clearance and compartments.
        unreadable = sum(not _cleared_for(to_user, f) for f in followups)
        unreadable_partners = sum(not _cleared_for(to_user, p) for p in partners)
        if unreadable or unreadable_partners:
            raise DomainError(
                _(
                    "%(alias)s could not read %(followups)d of these follow-ups and %(partners)d of these partners: "
                    "choose someone with the clearance and compartments, or reassign those one by one first."
                )
                % {"alias": to_user.alias, "followups": unreadable, "partners": unreadable_partners}
            )
        now = timezone.now()
        for followup in followups:
            followup.owner = to_user
            followup.assigned_at = now
            followup.save(update_fields=["owner", "assigned_at", "updated_at"])
        FollowUpEvent.objects.bulk_create(
            FollowUpEvent(followup=f, action=FollowUpAction.HANDED_OVER, by=by, comment=note.strip(), at=now)
            for f in followups
        )
        for partner in partners:
            partner.officers_in_charge.remove(from_user)
            partner.officers_in_charge.add(to_user)
        handover = Handover.objects.create(
            from_user=from_user,
            to_user=to_user,
            note=note.strip(),
            by=by,
            at=now,
            counts={"followups": len(followups), "partners": len(partners)},
        )
        record(
            actor=by,
            event=AuditEvent.OBJECT_CREATED,
            target=handover,
            extra={
                "action": FollowUpAction.HANDED_OVER,
                "from": from_user.alias,
                "to": to_user.alias,
                "followups": sorted(str(f.pk) for f in followups),
                "partners": sorted(str(p.pk) for p in partners),
            },
        )
    return handover


def handover_preview(*, from_user: User, by: User) -> dict[str, int]:
    """What a hand-over of `from_user` by `by` would move: only what `by` may read is counted."""
    return {
        "followups": visible_to(FollowUp.objects.filter(owner=from_user, status__in=OPEN_STATUSES), by).count(),
        "partners": visible_to(Partner.objects.filter(officers_in_charge=from_user), by).count(),
    }
