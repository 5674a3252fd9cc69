"""Releases to partners: consents and the requests for them, tearlines and their downgrades, release requests from
draft to approval, the package and its recall. Each service gathers the facts, asks the release rule and records."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import RECORDING_ROLES, RoleCode, Service, User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.exceptions import Conflict, DomainError, PolicyRefusal
from liaison.exchanges.models import InformationItem
from liaison.exchanges.models import OriginatorKind as ItemOriginatorKind
from liaison.followup.hooks import followup_close_for_consent_request, followup_for_consent_request
from liaison.partners.models import Partner
from liaison.partners.selectors import partner_release_terms
from liaison.policy import release as rule
from liaison.policy.access import require_readable
from liaison.policy.apply import apply_marking
from liaison.policy.gates import has_any_role
from liaison.policy.markings import Marking, combine_all
from liaison.policy.models import ClassificationLevel
from liaison.releases.models import (
    Consent,
    ConsentRequest,
    ConsentRequestStatus,
    DowngradeStatus,
    OriginatorKind,
    Recall,
    Release,
    ReleaseAction,
    ReleaseEvent,
    ReleaseItem,
    ReleaseStatus,
    Tearline,
    TearlineSource,
)

ORCON_CAVEAT = "orcon"
# Who records consents: those who hear the originators' answers (liaison officers, desk heads, release authorities).
CONSENT_ROLES = (*RECORDING_ROLES, RoleCode.RELEASE_AUTHORITY)


class ReleaseRefused(PolicyRefusal):
    """The release rule refused: `decision` holds every failing rule, item by item."""

    def __init__(self, decision: rule.ReleaseDecision) -> None:
        codes = sorted({failure.code for failure in decision.failures})
        super().__init__(
            codes[0] if len(codes) == 1 else "release",
            _("The release rule refuses this release: %(count)d rule(s) fail. Each is listed with what unblocks it.")
            % {"count": len(decision.failures)},
        )
        self.decision = decision


# ---------------------------------------------------------------- facts for the rule


def item_originator(item: InformationItem) -> rule.Originator:
    if item.originator_kind == ItemOriginatorKind.PARTNER:
        return rule.Originator(rule.PARTNER, str(item.originator_partner_id))
    if item.originator_kind == ItemOriginatorKind.SERVICE:
        service = item.originator_service
        return rule.Originator(rule.SERVICE, service.code if service else "")
    return rule.Originator(rule.OPEN_SOURCE, "")


def released_item(item: InformationItem) -> rule.ReleasedItem:
    """An item as the rule reads it. What a partner gave carries originator control always; an internal service's
    item when that service set the ORCON caveat."""
    # Every originator, fetched with the item by `release_items` (`all_originators`): no query per item.
    marking = item.marking(originators=getattr(item, "all_originators", None))
    originator = item_originator(item)
    orcon = originator.kind == rule.PARTNER or ORCON_CAVEAT in marking.caveats
    return rule.ReleasedItem(id=str(item.pk), marking=marking, originator=originator, orcon=orcon)


def tearline_value(tearline: Tearline) -> rule.Tearline:
    sources = tearline.sources.select_related("classification", "originator_service").prefetch_related(
        "compartments", "caveats", Prefetch("originators", queryset=Partner.objects.all(), to_attr="all_originators")
    )
    return rule.Tearline(
        id=str(tearline.pk), marking=tearline.marking(), sources=tuple(released_item(s) for s in sources)
    )


def consent_facts(items: Sequence[rule.ReleasedItem]) -> list[rule.ConsentRecord]:
    """Every consent on record that may answer an obligation of `items`: those listing one of them, and those for
    all the items of one of their originators."""
    item_ids = [item.id for item in items]
    partners = {i.originator.id for i in items if i.originator.kind == rule.PARTNER}
    partners |= {partner for i in items for partner in i.marking.originators}
    services = {i.originator.id for i in items if i.originator.kind == rule.SERVICE}
    consents = (
        Consent.objects.filter(
            Q(items__in=item_ids)
            | Q(all_items=True, originator_partner__in=partners)
            | Q(all_items=True, originator_service__code__in=services)
        )
        .select_related("originator_service")
        .distinct()
    )
    listed: dict[Any, set[str]] = {}
    for consent_id, item_id in Consent.items.through.objects.filter(
        consent__in=consents, informationitem_id__in=item_ids
    ).values_list("consent_id", "informationitem_id"):
        listed.setdefault(consent_id, set()).add(str(item_id))
    return [consent.as_record(frozenset(listed.get(consent.pk, ()))) for consent in consents]


def check(
    *,
    partner: Partner,
    requester: User,
    items: Sequence[InformationItem] = (),
    tearline: Tearline | None = None,
    on: date | None = None,
    approver: User | None = None,
) -> rule.ReleaseDecision:
    """Gather the facts and ask the release rule: the partner's agreements, each item's markings and originator,
    the consents on record; with `approver`, the four-eyes rule and the approver's role too."""
    released = [released_item(item) for item in items]
    value = tearline_value(tearline) if tearline is not None else None
    owed = list(value.sources) if value is not None else released
    approval = (
        rule.Approval(str(approver.pk), approver.has_role(RoleCode.RELEASE_AUTHORITY)) if approver is not None else None
    )
    return rule.release_check(
        partner=partner_release_terms(partner),
        on=on or timezone.localdate(),
        requester_id=str(requester.pk),
        items=released,
        tearline=value,
        consents=consent_facts(owed),
        approval=approval,
    )


def release_items(release: Release) -> list[InformationItem]:
    """The release's items with their markings, every originator included (the rule needs them all, whoever
    asks), in a fixed number of queries."""
    return [
        link.item
        for link in release.item_links.select_related(
            "item__classification", "item__originator_service", "item__originator_partner"
        ).prefetch_related(
            "item__compartments",
            "item__caveats",
            Prefetch("item__originators", queryset=Partner.objects.all(), to_attr="all_originators"),
        )
    ]


def release_check(release: Release, *, on: date | None = None, approver: User | None = None) -> rule.ReleaseDecision:
    return check(
        partner=release.partner,
        requester=release.created_by,
        items=release_items(release),
        tearline=release.tearline,
        on=on,
        approver=approver,
    )


def failures_as_json(decision: rule.ReleaseDecision) -> list[dict[str, Any]]:
    return [{"code": f.code, "item": f.item, "message": f.message, "unblock": f.unblock} for f in decision.failures]


# ---------------------------------------------------------------- consents


def _originator_fields(
    kind: str, partner: Partner | None, service: Service | None
) -> tuple[str, Partner | None, Service | None]:
    if kind == OriginatorKind.PARTNER and partner is None:
        raise DomainError(_("Name the partner service that answered."))
    if kind == OriginatorKind.SERVICE and service is None:
        raise DomainError(_("Name the internal service that answered."))
    if kind not in OriginatorKind.values:
        raise DomainError(_("Unknown kind of originator."))
    return (
        kind,
        partner if kind == OriginatorKind.PARTNER else None,
        service if kind == OriginatorKind.SERVICE else None,
    )


def _same_originator(item: InformationItem, kind: str, partner: Partner | None, service: Service | None) -> bool:
    """Whether an item's obligations may be owed to this originator: its own originator, or (for a partner) a
    partner whose originator control the item carries."""
    if kind == OriginatorKind.PARTNER and partner is not None:
        owed = {str(pk) for pk in item.originators.values_list("pk", flat=True)}
        return item.originator_partner_id == partner.pk or str(partner.pk) in owed
    if kind == OriginatorKind.SERVICE:
        return item.originator_kind == ItemOriginatorKind.SERVICE and item.originator_service_id == (
            service.pk if service else None
        )
    return item.originator_kind == ItemOriginatorKind.OPEN_SOURCE


def _marking_of_all(objects: Iterable[Any], base: Marking | None = None) -> Marking:
    return combine_all([*([base] if base else []), *(obj.marking() for obj in objects)])


def consent_record(
    *,
    by: User,
    originator_kind: str,
    originator_partner: Partner | None = None,
    originator_service: Service | None = None,
    items: Sequence[InformationItem] = (),
    all_items: bool = False,
    partner: Partner | None = None,
    granted: bool,
    valid_until: date | None = None,
    reference: str,
    note: str = "",
    request: ConsentRequest | None = None,
) -> Consent:
    """Record an originator's answer. Never edits an earlier record: for one question the latest covering record
    decides. Items must be the originator's own (or carry its originator control)."""
    if not has_any_role(by, *CONSENT_ROLES):
        raise PolicyRefusal("role", _("Only liaison officers, desk heads and release authorities record consents."))
    kind, originator_partner, originator_service = _originator_fields(
        originator_kind, originator_partner, originator_service
    )
    if originator_partner is not None:
        require_readable(by, [originator_partner], _("partner"))
    if partner is not None:
        require_readable(by, [partner], _("partner"))
    require_readable(by, items, _("item"))
    if all_items and items:
        raise DomainError(_("Either list the items or choose all of the originator's items, not both."))
    if not all_items and not items:
        raise DomainError(_("List the items the answer covers, or choose all of the originator's items."))
    if all_items and kind == OriginatorKind.OPEN_SOURCE:
        raise DomainError(_("Open sources are not one originator: list the items the answer covers."))
    foreign = [item for item in items if not _same_originator(item, kind, originator_partner, originator_service)]
    if foreign:
        raise DomainError(
            _("“%(title)s” does not come from this originator: a consent covers only the originator's own items.")
            % {"title": foreign[0].title}
        )
    if not reference.strip():
        raise DomainError(_("Say where the answer is (message number, letter, call) so it can be found again."))
    if request is not None and request.status != ConsentRequestStatus.OPEN:
        raise Conflict(_("This consent request is already closed."))
    base = originator_partner.marking() if originator_partner is not None else None
    marking = _marking_of_all(items, base)
    with transaction.atomic():
        consent = Consent(
            originator_kind=kind,
            originator_partner=originator_partner,
            originator_service=originator_service,
            all_items=all_items,
            partner=partner,
            granted=granted,
            valid_until=valid_until,
            reference=reference.strip()[:200],
            note=note.strip(),
            request=request,
            created_by=by,
            classification=items[0].classification if items else by.clearance,
        )
        apply_marking(consent, marking)
        consent.items.set(items)
        if by.service_id:
            consent.shared_with_services.set([by.service_id])
        if request is not None:
            request.status = ConsentRequestStatus.ANSWERED
            request.closed_at = timezone.now()
            request.save(update_fields=["status", "closed_at", "updated_at"])
            followup_close_for_consent_request(request=request, by=by, answered=True)
        record(
            actor=by,
            event=AuditEvent.CONSENT_RECORDED,
            target=consent,
            extra={
                "granted": granted,
                "originator": kind,
                "items": len(items),
                "all_items": all_items,
                "partner": str(partner.pk) if partner else "",
                "valid_until": valid_until.isoformat() if valid_until else "",
            },
        )
    return consent


def consent_request_open(
    *,
    by: User,
    release: Release,
    originator: rule.Originator,
    message: str,
    answer_due: date | None = None,
) -> ConsentRequest:
    """Ask an originator for its consent to a release the rule refuses: the request names the release's items owed
    to that originator (or the tearline's sources), for the release's partner."""
    if by.pk != release.created_by_id and not has_any_role(by, RoleCode.RELEASE_AUTHORITY):
        raise PolicyRefusal("author", _("Only the requester or a release authority asks an originator for consent."))
    if release.status not in (ReleaseStatus.DRAFT, ReleaseStatus.SUBMITTED):
        raise Conflict(_("This release is closed: consent can no longer be asked for it."))
    if not message.strip():
        raise DomainError(_("Write the message to the originator: what you ask and why."))
    items = list(release.tearline.sources.all()) if release.tearline else release_items(release)
    partner = release.partner
    terms = partner_release_terms(partner)
    owed = [item for item in items if originator in rule.obligations(released_item(item), terms)]
    if not owed:
        raise DomainError(_("Nothing in this release is owed to this originator: no consent is needed from it."))
    if originator.kind == rule.PARTNER:
        kind, originator_partner, service = OriginatorKind.PARTNER, Partner.objects.get(pk=originator.id), None
    elif originator.kind == rule.SERVICE:
        kind, originator_partner, service = OriginatorKind.SERVICE, None, Service.objects.get(code=originator.id)
    else:
        kind, originator_partner, service = OriginatorKind.OPEN_SOURCE, None, None
    with transaction.atomic():
        request = ConsentRequest(
            originator_kind=kind,
            originator_partner=originator_partner,
            originator_service=service,
            partner=partner,
            release=release,
            message=message.strip(),
            answer_due=answer_due,
            created_by=by,
            classification=release.classification,
        )
        apply_marking(request, _marking_of_all(owed), level=release.classification)
        request.items.set(owed)
        if by.service_id:
            request.shared_with_services.set([by.service_id])
        record(
            actor=by,
            event=AuditEvent.CONSENT_REQUESTED,
            target=request,
            extra={"release": str(release.pk), "originator": kind, "items": len(owed)},
        )
        followup_for_consent_request(request=request, by=by)
    return request


def consent_request_withdraw(*, by: User, request: ConsentRequest) -> ConsentRequest:
    if by.pk != request.created_by_id and not has_any_role(by, RoleCode.RELEASE_AUTHORITY):
        raise PolicyRefusal("author", _("Only who asked, or a release authority, withdraws a consent request."))
    if request.status != ConsentRequestStatus.OPEN:
        raise Conflict(_("This consent request is already closed."))
    with transaction.atomic():
        request.status = ConsentRequestStatus.WITHDRAWN
        request.closed_at = timezone.now()
        request.save(update_fields=["status", "closed_at", "updated_at"])
        followup_close_for_consent_request(request=request, by=by, answered=False)
        record(actor=by, event=AuditEvent.OBJECT_CHANGED, target=request, extra={"status": request.status})
    return request


# ---------------------------------------------------------------- tearlines


def _tearline_marking(sources: Sequence[InformationItem], downgrade_to: ClassificationLevel | None) -> Marking:
    """The sources' combined markings; an approved downgrade lowers the classification only."""
    marking = _marking_of_all(sources)
    if downgrade_to is not None:
        marking = Marking(**{**marking.__dict__, "rank": downgrade_to.rank})
    return marking


def tearline_save(
    *,
    by: User,
    title: str,
    text: str,
    sources: Sequence[InformationItem],
    tearline: Tearline | None = None,
) -> Tearline:
    """Write (or rewrite, while nothing is fixed) a sanitised text from source items the author may read."""
    if not has_any_role(by, *RECORDING_ROLES):
        raise PolicyRefusal("role", _("Only liaison officers and desk heads write tearlines."))
    if tearline is not None:
        if by.pk != tearline.created_by_id:
            raise PolicyRefusal("author", _("Only the author edits a tearline."))
        if tearline.is_locked:
            raise Conflict(
                _("This tearline is fixed (a downgrade was asked for or a release of it submitted): write a new one.")
            )
    if not title.strip() or not text.strip():
        raise DomainError(_("Give the tearline a title and its sanitised text."))
    if not sources:
        raise DomainError(_("Name the items the tearline is written from: its markings come from them."))
    require_readable(by, sources, _("item"))
    marking = _tearline_marking(sources, None)
    with transaction.atomic():
        if tearline is None:
            tearline = Tearline(created_by=by, classification=sources[0].classification)
        tearline.title = title.strip()[:200]
        tearline.text = text.strip()
        apply_marking(tearline, marking)
        TearlineSource.objects.filter(tearline=tearline).delete()
        TearlineSource.objects.bulk_create(
            TearlineSource(tearline=tearline, item=item, item_version=item.version) for item in sources
        )
        if by.service_id:
            tearline.shared_with_services.set([by.service_id])
        record(actor=by, event=AuditEvent.OBJECT_CHANGED, target=tearline, extra={"sources": len(sources)})
    return tearline


def downgrade_request(*, by: User, tearline: Tearline, level: ClassificationLevel, reason: str) -> Tearline:
    """Ask that the tearline be classified lower than its sources (the sanitised text no longer carries what made
    them so). A second person decides; originator obligations stay owed whatever the downgrade."""
    if by.pk != tearline.created_by_id:
        raise PolicyRefusal("author", _("Only the author of a tearline asks for its downgrade."))
    if tearline.releases.exclude(status=ReleaseStatus.DRAFT).exists():
        raise Conflict(_("A release of this tearline was submitted: its classification no longer changes."))
    if tearline.downgrade_status in (DowngradeStatus.REQUESTED, DowngradeStatus.APPROVED):
        raise Conflict(_("A downgrade of this tearline is already asked for or approved."))
    if not level.scheme.is_national:
        raise DomainError(_("Choose a level of the national scheme."))
    if level.rank >= tearline.classification.rank:
        raise DomainError(_("A downgrade must go below the tearline's current classification."))
    if not reason.strip():
        raise DomainError(_("Explain why the sanitised text no longer needs its sources' classification."))
    with transaction.atomic():
        tearline.downgrade_status = DowngradeStatus.REQUESTED
        tearline.downgrade_to = level
        tearline.downgrade_reason = reason.strip()
        tearline.downgrade_requested_by = by
        tearline.downgrade_requested_at = timezone.now()
        tearline.save()
        record(
            actor=by,
            event=AuditEvent.DOWNGRADE_REQUESTED,
            target=tearline,
            extra={"from_rank": tearline.classification.rank, "to_rank": level.rank},
        )
    return tearline


def downgrade_decide(*, by: User, tearline: Tearline, approve: bool, reason: str = "") -> Tearline:
    """A release authority other than the one who asked approves or refuses a downgrade (four-eyes, audited)."""
    if not by.has_role(RoleCode.RELEASE_AUTHORITY):
        raise PolicyRefusal("release_authority", _("Only a release authority decides a downgrade."))
    if by.pk == tearline.downgrade_requested_by_id:
        raise PolicyRefusal("four_eyes", _("You asked for this downgrade: another release authority decides it."))
    if tearline.downgrade_status != DowngradeStatus.REQUESTED:
        raise Conflict(_("No downgrade of this tearline is waiting for a decision."))
    if not approve and not reason.strip():
        raise DomainError(_("Say why the downgrade is refused."))
    with transaction.atomic():
        tearline = Tearline.objects.select_for_update().get(pk=tearline.pk)
        if tearline.downgrade_status != DowngradeStatus.REQUESTED:
            raise Conflict(_("No downgrade of this tearline is waiting for a decision."))
        from_rank = tearline.classification.rank
        tearline.downgrade_status = DowngradeStatus.APPROVED if approve else DowngradeStatus.REFUSED
        tearline.downgrade_decided_by = by
        tearline.downgrade_decided_at = timezone.now()
        tearline.downgrade_decision_reason = reason.strip()
        tearline.save()
        if approve:
            sources = list(tearline.sources.all())
            apply_marking(tearline, _tearline_marking(sources, tearline.downgrade_to), level=tearline.downgrade_to)
        record(
            actor=by,
            event=AuditEvent.DOWNGRADE_DECIDED,
            target=tearline,
            extra={"approved": approve, "from_rank": from_rank, "to_rank": tearline.classification.rank},
        )
    return tearline


# ---------------------------------------------------------------- release requests


def _event(release: Release, action: str, by: User, comment: str = "") -> None:
    ReleaseEvent.objects.create(release=release, action=action, by=by, comment=comment)


@dataclass(frozen=True)
class Content:
    """What a release carries: items, or one tearline."""

    items: tuple[InformationItem, ...] = ()
    tearline: Tearline | None = None


def _validate_content(by: User, partner: Partner, content: Content) -> None:
    require_readable(by, [partner], _("partner"))
    require_readable(by, content.items, _("item"))
    if content.tearline is not None:
        require_readable(by, [content.tearline], _("tearline"))
        if content.items:
            raise DomainError(_("A release carries items or one tearline, not both: make two releases."))
    if len({item.pk for item in content.items}) != len(content.items):
        raise DomainError(_("An item is named twice: name each item once."))


def _store_content(release: Release, content: Content) -> None:
    release.tearline = content.tearline
    ReleaseItem.objects.filter(release=release).delete()
    ReleaseItem.objects.bulk_create(
        ReleaseItem(release=release, item=item, item_version=item.version, position=n)
        for n, item in enumerate(content.items)
    )


def release_create(*, by: User, partner: Partner, justification: str, content: Content) -> Release:
    """Open a draft release to `partner`. Its markings cover everything it carries; it is seen by the requester's
    service (where the release authorities are) and its approver."""
    if not has_any_role(by, *RECORDING_ROLES):
        raise PolicyRefusal("role", _("Only liaison officers and desk heads request releases."))
    _validate_content(by, partner, content)
    if not justification.strip():
        raise DomainError(_("Say why this should go to the partner: a release needs a justification."))
    sources: list[Any] = [content.tearline] if content.tearline is not None else list(content.items)
    with transaction.atomic():
        release = Release(partner=partner, justification=justification.strip(), created_by=by)
        release.classification = sources[0].classification if sources else partner.classification
        release.tearline = content.tearline
        apply_marking(release, _marking_of_all(sources))
        _store_content(release, content)
        release.save()
        if by.service_id:
            release.shared_with_services.set([by.service_id])
        _event(release, ReleaseAction.CREATED, by)
        record(
            actor=by,
            event=AuditEvent.OBJECT_CREATED,
            target=release,
            extra={"partner": str(partner.pk), "items": len(content.items), "tearline": bool(content.tearline)},
        )
    return release


def release_update(*, by: User, release: Release, justification: str, content: Content) -> Release:
    """Change a draft: its content and justification. Markings never go down (they only cover more)."""
    if by.pk != release.created_by_id:
        raise PolicyRefusal("author", _("Only the requester edits a release."))
    if release.status != ReleaseStatus.DRAFT:
        raise Conflict(_("Only a draft release can be changed: withdraw it and start a new one."))
    _validate_content(by, release.partner, content)
    if not justification.strip():
        raise DomainError(_("Say why this should go to the partner: a release needs a justification."))
    sources: list[Any] = [content.tearline] if content.tearline is not None else list(content.items)
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=release.pk)
        if release.status != ReleaseStatus.DRAFT:
            raise Conflict(_("Only a draft release can be changed: withdraw it and start a new one."))
        release.justification = justification.strip()
        apply_marking(release, _marking_of_all(sources, release.marking()))
        _store_content(release, content)
        release.save()
        _event(release, ReleaseAction.EDITED, by)
        record(
            actor=by,
            event=AuditEvent.OBJECT_CHANGED,
            target=release,
            extra={"items": len(content.items), "tearline": bool(content.tearline)},
        )
    return release


def _record_block(by: User, release: Release, decision: rule.ReleaseDecision, stage: str) -> None:
    with transaction.atomic():
        Release.objects.filter(pk=release.pk).update(last_check=failures_as_json(decision))
        _event(release, ReleaseAction.APPROVAL_BLOCKED, by, ", ".join(sorted({f.code for f in decision.failures})))
        record(
            actor=by,
            event=AuditEvent.RELEASE_BLOCKED,
            target=release,
            extra={"stage": stage, "rules": sorted({f.code for f in decision.failures})},
        )


def release_submit(*, by: User, release: Release) -> Release:
    """Send a draft to the release authorities: only when the rule passes today (approval then checks again)."""
    if by.pk != release.created_by_id:
        raise PolicyRefusal("author", _("Only the requester submits a release."))
    if release.status != ReleaseStatus.DRAFT:
        raise Conflict(_("Only a draft release can be submitted."))
    if release.tearline_id is None and not release.item_links.exists():
        raise DomainError(_("The release carries nothing: add items or a tearline."))
    decision = release_check(release)
    if not decision.allowed:
        _record_block(by, release, decision, "submit")
        raise ReleaseRefused(decision)
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=release.pk)
        if release.status != ReleaseStatus.DRAFT:
            raise Conflict(_("Only a draft release can be submitted."))
        release.status = ReleaseStatus.SUBMITTED
        release.submitted_at = timezone.now()
        release.last_check = []
        release.save()
        _event(release, ReleaseAction.SUBMITTED, by)
        record(actor=by, event=AuditEvent.RELEASE_SUBMITTED, target=release, extra={"partner": str(release.partner_id)})
    return release


def release_approve(*, by: User, release: Release) -> Release:
    """Approve a submitted release: the rule runs again (with the four-eyes rule and the approver's role; a
    consent may have expired), then the signed package is produced and the release recorded, all or nothing.
    A second approval of the same release is a conflict: there is one package."""
    if release.status != ReleaseStatus.SUBMITTED:
        raise Conflict(_("Only a release waiting for approval can be approved."))
    decision = release_check(release, approver=by)
    if not decision.allowed:
        _record_block(by, release, decision, "approve")
        raise ReleaseRefused(decision)
    with transaction.atomic():
        locked = Release.objects.select_for_update().get(pk=release.pk)
        if locked.status != ReleaseStatus.SUBMITTED:
            raise Conflict(_("Only a release waiting for approval can be approved."))
        from liaison.releases.package import package_build

        now = timezone.now()
        package = package_build(release=locked, approver=by, released_at=now)
        locked.status = ReleaseStatus.RELEASED
        locked.decided_by = by
        locked.decided_at = now
        locked.last_check = []
        locked.save()
        _event(locked, ReleaseAction.APPROVED, by)
        record(
            actor=by,
            event=AuditEvent.RELEASE_APPROVED,
            target=locked,
            extra={
                "partner": str(locked.partner_id),
                "requester": str(locked.created_by_id),
                "items": [str(link.item_id) for link in locked.item_links.all()],
                "tearline": str(locked.tearline_id or ""),
                "package": package.code,
                "manifest_sha256": package.manifest_sha256,
                "pdf_sha256": package.pdf_sha256,
            },
        )
    return locked


def _require_release_authority(by: User, release: Release, what: str) -> None:
    if not by.has_role(RoleCode.RELEASE_AUTHORITY):
        raise PolicyRefusal("release_authority", _("Only a release authority %(what)s.") % {"what": what})


def release_refuse(*, by: User, release: Release, reason: str) -> Release:
    _require_release_authority(by, release, _("refuses a release"))
    if by.pk == release.created_by_id:
        raise PolicyRefusal("four_eyes", _("You requested this release: withdraw it instead of refusing it."))
    if not reason.strip():
        raise DomainError(_("Say why the release is refused: the requester needs to know."))
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=release.pk)
        if release.status != ReleaseStatus.SUBMITTED:
            raise Conflict(_("Only a release waiting for approval can be refused."))
        release.status = ReleaseStatus.REFUSED
        release.decided_by = by
        release.decided_at = timezone.now()
        release.decision_reason = reason.strip()
        release.save()
        _event(release, ReleaseAction.REFUSED, by, reason.strip())
        record(actor=by, event=AuditEvent.RELEASE_REFUSED, target=release, extra={"partner": str(release.partner_id)})
    return release


def release_withdraw(*, by: User, release: Release) -> Release:
    if by.pk != release.created_by_id:
        raise PolicyRefusal("author", _("Only the requester withdraws a release."))
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=release.pk)
        if release.status not in (ReleaseStatus.DRAFT, ReleaseStatus.SUBMITTED):
            raise Conflict(_("Only a draft or a release waiting for approval can be withdrawn."))
        release.status = ReleaseStatus.WITHDRAWN
        release.save()
        _event(release, ReleaseAction.WITHDRAWN, by)
        record(actor=by, event=AuditEvent.OBJECT_CHANGED, target=release, extra={"status": release.status})
    return release


def release_recall(*, by: User, release: Release, reason: str) -> Recall:
    """Recall a release: a signed message asks the partner to destroy or return what it received."""
    from liaison.releases.package import recall_message

    _require_release_authority(by, release, _("recalls a release"))
    if not reason.strip():
        raise DomainError(_("Say why the release is recalled: the partner will read it."))
    with transaction.atomic():
        release = Release.objects.select_for_update().get(pk=release.pk)
        if release.status != ReleaseStatus.RELEASED:
            raise Conflict(_("Only a release that was given can be recalled, and only once."))
        now = timezone.now()
        message, signature, key_id = recall_message(release=release, reason=reason.strip(), by=by, at=now)
        recall = Recall.objects.create(
            release=release,
            reason=reason.strip(),
            recalled_by=by,
            message=message.decode(),
            signature=signature,
            signing_key_id=key_id,
        )
        release.status = ReleaseStatus.RECALLED
        release.save()
        _event(release, ReleaseAction.RECALLED, by, reason.strip())
        record(
            actor=by,
            event=AuditEvent.RELEASE_RECALLED,
            target=release,
            extra={"partner": str(release.partner_id), "package": release.package.code, "recall": str(recall.pk)},
        )
    return recall


def recall_receipt(*, by: User, release: Release, received_at: datetime, received_by: str) -> Recall:
    """Record that the partner acknowledged the recall: when, and who at the partner."""
    if not has_any_role(by, *CONSENT_ROLES):
        raise PolicyRefusal("role", _("Only liaison officers, desk heads and release authorities record receipts."))
    if not received_by.strip():
        raise DomainError(_("Say who at the partner acknowledged the recall."))
    with transaction.atomic():
        recall = Recall.objects.select_for_update().filter(release=release).first()
        if recall is None:
            raise Conflict(_("This release was not recalled."))
        if recall.receipt_at is not None:
            raise Conflict(_("The partner's receipt of this recall is already recorded."))
        if received_at > timezone.now() or received_at < recall.created_at:
            raise DomainError(_("The receipt date must lie between the recall and now."))
        recall.receipt_at = received_at
        recall.receipt_by = received_by.strip()[:200]
        recall.receipt_recorded_by = by
        recall.save()
        _event(release, ReleaseAction.RECALL_RECEIPT, by, recall.receipt_by)
        record(
            actor=by,
            event=AuditEvent.RELEASE_RECALL_RECEIPT,
            target=release,
            extra={"recall": str(recall.pk), "received_at": received_at.isoformat()},
        )
    return recall
