"""Writes of access reviews: opening a campaign (its items), deciding an item (a revocation takes effect at once),
confirming the rest explicitly, and closing a campaign (unanswered items revoked or flagged, the signed result into
the audit log). Each service is atomic and audited, and refuses a mistake with a message saying what to do."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import RoleCode, Service, User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.exceptions import Conflict, DomainError, PolicyRefusal
from liaison.policy.gates import has_any_role
from liaison.policy.models import ClassificationLevel
from liaison.reviews.managers import decidable_q, reviewing_services
from liaison.reviews.models import (
    CampaignStatus,
    EntitlementKind,
    ItemDecision,
    ReviewCampaign,
    ReviewItem,
    UnansweredOutcome,
)
from liaison.reviews.result import result_document, sign_result

CAMPAIGN_OWNERS = (RoleCode.SECURITY_OFFICER, RoleCode.ADMINISTRATOR)
NAME_MAX = 200
REASON_MAX = 2000


def _require_owner(by: User) -> None:
    if not has_any_role(by, *CAMPAIGN_OWNERS):
        raise PolicyRefusal(
            "reviews.owner", _("Only a security officer or an administrator opens and closes access reviews.")
        )


def campaign_marking() -> ClassificationLevel:
    """A campaign says who holds which compartment: it is marked with the national level of the restricted rank
    (DIFFUSION RESTREINTE in the French scheme), or the lowest level above it."""
    level = (
        ClassificationLevel.objects.filter(scheme__is_national=True, rank__gte=1).order_by("rank").first()
        or ClassificationLevel.objects.filter(scheme__is_national=True).order_by("-rank").first()
    )
    if level is None:
        raise DomainError(_("The national classification scheme has no level: seed the vocabularies first."))
    return level


def _people(services: Sequence[Service]) -> list[User]:
    users = User.objects.filter(is_active=True).select_related("service", "clearance")
    if services:
        users = users.filter(service__in=services)
    return list(users.prefetch_related("compartments", "roles").order_by("username"))


def _items_for(campaign: ReviewCampaign, person: User) -> list[ReviewItem]:
    reviewer, escalation = reviewing_services(person)
    common = {"campaign": campaign, "person": person, "reviewer_service": reviewer, "escalation_service": escalation}
    items = []
    if person.clearance_id is not None:
        items.append(ReviewItem(kind=EntitlementKind.CLEARANCE, clearance=person.clearance, **common))
    items += [ReviewItem(kind=EntitlementKind.COMPARTMENT, compartment=c, **common) for c in person.compartments.all()]
    items += [ReviewItem(kind=EntitlementKind.ROLE, role=r, **common) for r in person.roles.all()]
    return items


def campaign_open(
    *, name: str, due_on: date, services: Sequence[Service] = (), by: User, request: object = None
) -> ReviewCampaign:
    """Open a campaign over every active user (or the users of `services`): one item per person and entitlement
    they hold now (clearance, each compartment, each role), each to be decided by that person's managers."""
    _require_owner(by)
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise DomainError(_("Give the campaign a name of at most %(max)d characters.") % {"max": NAME_MAX})
    if due_on < timezone.localdate():
        raise DomainError(_("The due date has passed: choose today or a later day."))
    with transaction.atomic():
        campaign = ReviewCampaign.objects.create(
            name=name, due_on=due_on, classification=campaign_marking(), created_by=by
        )
        campaign.services.set(services)
        items: list[ReviewItem] = []
        for person in _people(services):
            items += _items_for(campaign, person)
        if not items:
            raise DomainError(_("Nobody in this scope holds an entitlement to review: choose other services."))
        ReviewItem.objects.bulk_create(items)
        record(
            actor=by,
            event=AuditEvent.REVIEW_CAMPAIGN_OPENED,
            target=campaign,
            extra={
                "name": name,
                "due_on": due_on.isoformat(),
                "services": sorted(s.code for s in services),
                "items": len(items),
                "people": len({item.person_id for item in items}),
            },
            request=request,  # type: ignore[arg-type]
        )
    return campaign


def _locked_item(item: ReviewItem, by: User) -> ReviewItem:
    """The item again, locked, if `by` may decide it now; otherwise a refusal that names the rule."""
    fresh = (
        ReviewItem.objects.select_for_update(of=("self",))
        .select_related("campaign", "person", "clearance", "compartment", "role")
        .filter(pk=item.pk)
        .first()
    )
    if fresh is None or not ReviewItem.objects.filter(decidable_q(by), pk=item.pk).exists():
        raise PolicyRefusal(
            "reviews.manager", _("Only the person's managers decide this item, and never about themselves.")
        )
    if not fresh.campaign.is_open:
        raise Conflict(_("This campaign is closed: its decisions can no longer change."))
    if not fresh.is_pending:
        raise Conflict(_("This item has already been decided; reload the page to see the decision."))
    return fresh


def _lower_clearance(item: ReviewItem, to: ClassificationLevel | None) -> None:
    person = item.person
    current = User.objects.select_related("clearance").get(pk=person.pk).clearance
    if to is not None:
        if not to.scheme.is_national:
            raise DomainError(_("Choose a level of the national scheme."))
        if current is not None and to.rank >= current.rank:
            raise DomainError(
                _("Choose a level lower than the current clearance (%(level)s), or none.") % {"level": current.label}
            )
    User.objects.filter(pk=person.pk).update(clearance=to)


def _apply_revocation(item: ReviewItem, lowered_to: ClassificationLevel | None) -> None:
    """Take the entitlement away now: the person's next request reads their account afresh (policy.access.reader)."""
    person = item.person
    if item.kind == EntitlementKind.CLEARANCE:
        _lower_clearance(item, lowered_to)
    elif item.kind == EntitlementKind.COMPARTMENT:
        person.compartments.remove(item.compartment)  # type: ignore[arg-type]
    else:
        person.roles.remove(item.role)  # type: ignore[arg-type]


def _audit_decision(item: ReviewItem, by: User, request: object) -> None:
    record(
        actor=by,
        event=AuditEvent.REVIEW_REVOKED if item.decision == ItemDecision.REVOKED else AuditEvent.REVIEW_CONFIRMED,
        target=item.person,
        extra={
            "campaign": str(item.campaign_id),
            "item": str(item.pk),
            "kind": item.kind,
            "code": item.entitlement_code,
            "decision": item.decision,
            "lowered_to": item.new_clearance.code if item.new_clearance else None,
            "reason": item.reason,
            "automatic": item.is_automatic,
        },
        request=request,  # type: ignore[arg-type]
    )


def item_confirm(*, item: ReviewItem, by: User, request: object = None) -> ReviewItem:
    """Confirm that the person still needs this entitlement."""
    with transaction.atomic():
        item = _locked_item(item, by)
        item.decision, item.decided_by, item.decided_at = ItemDecision.CONFIRMED, by, timezone.now()
        item.save(update_fields=["decision", "decided_by", "decided_at", "updated_at"])
        _audit_decision(item, by, request)
    return item


def item_revoke(
    *,
    item: ReviewItem,
    by: User,
    reason: str,
    lowered_to: ClassificationLevel | None = None,
    request: object = None,
) -> ReviewItem:
    """Revoke the entitlement, with a reason; it takes effect at once. A clearance is lowered to `lowered_to` (a
    lower level of the national scheme) or removed when it is None."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the entitlement is revoked: a revocation needs a reason."))
    if len(reason) > REASON_MAX:
        raise DomainError(_("Keep the reason under %(max)d characters.") % {"max": REASON_MAX})
    with transaction.atomic():
        item = _locked_item(item, by)
        if item.kind != EntitlementKind.CLEARANCE:
            lowered_to = None
        _apply_revocation(item, lowered_to)
        item.decision, item.decided_by, item.decided_at = ItemDecision.REVOKED, by, timezone.now()
        item.reason, item.new_clearance = reason, lowered_to
        item.save(update_fields=["decision", "decided_by", "decided_at", "reason", "new_clearance", "updated_at"])
        _audit_decision(item, by, request)
    return item


def items_confirm_rest(
    *, campaign: ReviewCampaign, item_ids: Iterable[object], by: User, request: object = None
) -> int:
    """Confirm, in one step, the items the manager was shown and ticked as checked (`item_ids`): only those still
    pending that they may decide; returns how many were confirmed."""
    ids = [str(pk) for pk in item_ids]
    if not ids:
        raise DomainError(_("No item was listed to confirm: reload the page and tick the confirmation."))
    with transaction.atomic():
        pending = (
            ReviewItem.objects.filter(decidable_q(by), campaign=campaign, pk__in=ids, decision=ItemDecision.PENDING)
            .select_for_update(of=("self",))
            .values_list("pk", flat=True)
        )
        count = 0
        for pk in list(pending):
            item_confirm(item=ReviewItem(pk=pk), by=by, request=request)
            count += 1
    return count


def _unanswered_outcome() -> str:
    return str(settings.LIAISON_REVIEW_UNANSWERED)


def unanswered_outcome_label() -> str:
    """What closing does to items still unanswered, in the reader's language."""
    return str(UnansweredOutcome(_unanswered_outcome()).label)


def campaign_close(*, campaign: ReviewCampaign, by: User, request: object = None) -> ReviewCampaign:
    """Close the campaign: items still pending are revoked (clearances removed) or flagged, as
    `LIAISON_REVIEW_UNANSWERED` says; then the result, every decision, is signed into the audit log."""
    _require_owner(by)
    outcome = _unanswered_outcome()
    with transaction.atomic():
        campaign = ReviewCampaign.objects.select_for_update().get(pk=campaign.pk)
        if not campaign.is_open:
            raise Conflict(_("This campaign is already closed."))
        now = timezone.now()
        pending = ReviewItem.objects.filter(campaign=campaign, decision=ItemDecision.PENDING).select_related(
            "campaign", "person", "clearance", "compartment", "role"
        )
        for item in pending:
            if outcome == UnansweredOutcome.REVOKE:
                _apply_revocation(item, None)
                item.decision, item.reason = ItemDecision.REVOKED, _("Unanswered when the campaign closed.")
            else:
                item.decision, item.reason = ItemDecision.FLAGGED, _("Unanswered when the campaign closed.")
            item.decided_by, item.decided_at, item.is_automatic = by, now, True
            item.save(update_fields=["decision", "reason", "decided_by", "decided_at", "is_automatic", "updated_at"])
            _audit_decision(item, by, request)
        campaign.status, campaign.closed_at, campaign.closed_by = CampaignStatus.CLOSED, now, by
        campaign.unanswered_outcome = outcome
        campaign.save(update_fields=["status", "closed_at", "closed_by", "unanswered_outcome", "updated_at"])
        campaign.refresh_from_db()
        signed = sign_result(result_document(campaign))
        entry = record(
            actor=by,
            event=AuditEvent.REVIEW_CAMPAIGN_CLOSED,
            target=campaign,
            extra={"campaign": str(campaign.pk), **signed},
            request=request,  # type: ignore[arg-type]
        )
        campaign.result_seq = entry.seq
        campaign.save(update_fields=["result_seq", "updated_at"])
    return campaign
