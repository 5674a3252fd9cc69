"""The compte-rendu workflow: draft → submitted → returned or approved (frozen and signed) → disseminated →
acknowledged. Markings of a report are computed from what it quotes and can only go up."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import RECORDING_ROLES, RoleCode, Service, User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.exceptions import Conflict, DomainError, PolicyRefusal
from liaison.exchanges.models import Exchange, InformationItem
from liaison.followup.hooks import followups_from_report
from liaison.keys.store import get_signer
from liaison.policy.access import Decision, require_readable
from liaison.policy.apply import apply_marking
from liaison.policy.gates import has_any_role
from liaison.policy.markings import Marking, combine_all
from liaison.reports.models import (
    SECTIONS,
    Report,
    ReportAction,
    ReportEvent,
    ReportQuote,
    ReportRecipient,
    ReportStatus,
    RoutingRule,
)

PAYLOAD_VERSION = "liaison-report/1"


def _event(report: Report, action: str, by: User, comment: str = "") -> None:
    ReportEvent.objects.create(report=report, action=action, by=by, comment=comment)


def report_create(*, by: User, exchange: Exchange, title: str = "") -> Report:
    """Open a draft report on an exchange; it starts with the exchange's markings and is seen by its author only."""
    if not has_any_role(by, *RECORDING_ROLES):
        raise PolicyRefusal("role", _("Only liaison officers and desk heads write reports."))
    require_readable(by, [exchange], _("exchange"))
    with transaction.atomic():
        report = Report(
            exchange=exchange,
            title=(title or _("Report: %(title)s") % {"title": exchange.title}).strip()[:200],
            participants_notes=", ".join(sorted(p.alias for p in exchange.participants.all())),
            created_by=by,
            classification=exchange.classification,
        )
        report.save()
        apply_marking(report, exchange.marking(), level=exchange.classification)
        report.zones.set(list(exchange.zones.all()))
        _event(report, ReportAction.CREATED, by)
        record(actor=by, event=AuditEvent.OBJECT_CREATED, target=report)
    return report


@dataclass
class Quote:
    item: InformationItem
    extract: str


def _required_marking(report: Report, quotes: Iterable[Quote]) -> Marking:
    """What the report must carry at least: its exchange's markings and those of every item it quotes."""
    return combine_all([report.exchange.marking(), *(quote.item.marking() for quote in quotes)])


def report_update(
    *,
    by: User,
    report: Report,
    title: str,
    sections: dict[str, str],
    quotes: list[Quote],
    raise_to: Marking | None = None,
) -> Report:
    """Edit a draft or returned report. Its markings become the combination of its current markings, the quoted
    items' and whatever the author raises them to: they never go down."""
    if report.is_frozen:
        raise Conflict(_("This report is approved: its content is frozen. Write a new report to add to it."))
    if by.pk != report.created_by_id:
        raise PolicyRefusal("author", _("Only the author edits a report; reviewers return it with comments."))
    if report.status == ReportStatus.SUBMITTED:
        raise Conflict(_("This report is waiting for review: it can be edited again once returned."))
    if not title.strip():
        raise DomainError(_("Give the report a title."))
    for quote in quotes:
        require_readable(by, [quote.item], _("item"))
        if not quote.extract.strip():
            raise DomainError(_("A quoted extract cannot be empty: remove the quote or write the extract."))
    unknown = set(sections) - {name for name, _label in SECTIONS}
    if unknown:
        raise DomainError(_("Unknown report section."))
    with transaction.atomic():
        # Lock first: the markings combine with what is stored now, so concurrent edits cannot lower them.
        report = Report.objects.select_for_update().select_related("exchange").get(pk=report.pk)
        if report.is_frozen:
            raise Conflict(_("This report is approved: its content is frozen. Write a new report to add to it."))
        marking = combine_all([report.marking(), _required_marking(report, quotes), raise_to or Marking()])
        report.title = title.strip()[:200]
        for name, value in sections.items():
            setattr(report, name, value)
        report.save()
        apply_marking(report, marking)
        report.quotes.all().delete()
        ReportQuote.objects.bulk_create(
            ReportQuote(report=report, item=q.item, item_version=q.item.version, extract=q.extract, position=n)
            for n, q in enumerate(quotes)
        )
        _event(report, ReportAction.EDITED, by)
        record(actor=by, event=AuditEvent.OBJECT_CHANGED, target=report, extra={"quotes": len(quotes)})
    return report


def report_submit(*, by: User, report: Report) -> Report:
    if by.pk != report.created_by_id:
        raise PolicyRefusal("author", _("Only the author submits a report."))
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise Conflict(_("Only a draft or returned report can be submitted."))
    if not any(getattr(report, name).strip() for name, _label in SECTIONS):
        raise DomainError(_("The report is empty: write at least one section before submitting it."))
    with transaction.atomic():
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = timezone.now()
        report.save(update_fields=["status", "submitted_at", "updated_at"])
        _event(report, ReportAction.SUBMITTED, by)
        record(actor=by, event=AuditEvent.OBJECT_CHANGED, target=report, extra={"status": report.status})
    return report


def _require_reviewer(by: User, report: Report) -> None:
    if not by.has_role(RoleCode.DESK_HEAD):
        raise PolicyRefusal("role", _("Only a desk head reviews reports."))
    if by.pk == report.created_by_id:
        raise PolicyRefusal("four_eyes", _("You cannot review your own report: another desk head must do it."))
    require_readable(by, [report], _("report"))
    if report.status != ReportStatus.SUBMITTED:
        raise Conflict(_("Only a submitted report can be reviewed."))


def report_return(*, by: User, report: Report, comment: str) -> Report:
    """Send a submitted report back to its author with the reviewer's comments."""
    _require_reviewer(by, report)
    if not comment.strip():
        raise DomainError(_("Say what the author should change: a return needs a comment."))
    with transaction.atomic():
        report.status = ReportStatus.RETURNED
        report.save(update_fields=["status", "updated_at"])
        _event(report, ReportAction.RETURNED, by, comment.strip())
        record(actor=by, event=AuditEvent.OBJECT_CHANGED, target=report, extra={"status": report.status})
    return report


def signed_payload(report: Report) -> dict[str, Any]:
    """Everything an approval vouches for, in a form that can be checked offline."""
    marking = report.marking()
    return {
        "format": PAYLOAD_VERSION,
        "id": str(report.pk),
        "exchange": {"id": str(report.exchange_id), "title": report.exchange.title},
        "title": report.title,
        "sections": {name: getattr(report, name) for name, _label in SECTIONS},
        "quotes": [
            {"item": str(q.item_id), "version": q.item_version, "extract": q.extract} for q in report.quotes.all()
        ],
        "markings": {
            "classification": report.classification.label,
            "rank": marking.rank,
            "compartments": sorted(marking.compartments),
            "caveats": sorted(marking.caveats),
            "originators": sorted(marking.originators),
            "releasable_to": None if marking.releasable_to is None else sorted(marking.releasable_to),
            "no_foreign_release": marking.no_foreign_release,
            "handling_code": marking.handling,
            "tlp": marking.tlp,
            "pap": marking.pap,
        },
        "author": report.created_by.alias,
        "approved_by": report.approved_by.alias if report.approved_by else "",
        "approved_at": report.approved_at.isoformat() if report.approved_at else "",
    }


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def report_approve(*, by: User, report: Report) -> Report:
    """Approve a submitted report: its content is frozen and signed with the instance key."""
    _require_reviewer(by, report)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        report.status = ReportStatus.APPROVED
        report.approved_by = by
        report.approved_at = timezone.now()
        signer = get_signer()
        payload = canonical(signed_payload(report))
        report.signed_payload = payload.decode()
        report.signature = base64.b64encode(signer.sign(payload)).decode()
        report.signing_key_id = signer.key_id
        report.save()
        _event(report, ReportAction.APPROVED, by)
        followups_from_report(report=report, by=by)
        record(
            actor=by,
            event=AuditEvent.OBJECT_CHANGED,
            target=report,
            extra={"status": report.status, "key_id": signer.key_id},
        )
    return report


def route_suggestions(report: Report) -> list[Service]:
    """Services the routing rules name for the report's themes (and zones)."""
    compartments = list(report.compartments.values_list("pk", flat=True))
    zones = list(report.zones.values_list("pk", flat=True))
    rules = RoutingRule.objects.filter(compartment__in=compartments).select_related("service")
    services = {rule.service for rule in rules if rule.zone_id is None or rule.zone_id in zones}
    return sorted(services, key=lambda s: s.code)


def recipient_decision(report: Report, service: Service) -> Decision:
    """A service may receive the report only if some active member of it could read it once shared with them."""
    members = User.objects.filter(service=service, is_active=True, clearance__rank__gte=report.classification.rank)
    if not members.exists():
        return Decision.refuse(
            "clearance",
            _("No one in this service is cleared to the report's classification."),
            _("Choose a service with cleared members, or ask for a sanitised version."),
        )
    for compartment_id in report.compartments.values_list("pk", flat=True):
        members = members.filter(compartments=compartment_id)
    if not members.exists():
        return Decision.refuse(
            "compartments",
            _("No one in this service holds every compartment of the report."),
            _("Choose a service whose analysts hold these compartments."),
        )
    return Decision.allow()


def eligible_services(report: Report) -> list[Service]:
    return [s for s in Service.objects.filter(is_recipient=True) if recipient_decision(report, s).allowed]


def report_disseminate(*, by: User, report: Report, services: Iterable[Service]) -> Report:
    """Send an approved report to internal services; each must pass the read rule, each must acknowledge."""
    if not by.has_role(RoleCode.DESK_HEAD):
        raise PolicyRefusal("role", _("Only a desk head disseminates reports."))
    if by.service_id is None or by.service_id != report.created_by.service_id:
        raise PolicyRefusal(
            "onward_dissemination",
            _("Only the hierarchy of the author's service disseminates a report; recipients do not pass it on."),
        )
    require_readable(by, [report], _("report"))
    if report.status not in (ReportStatus.APPROVED, ReportStatus.DISSEMINATED):
        raise Conflict(_("Only an approved report can be disseminated."))
    services = list(services)
    if not services:
        raise DomainError(_("Choose at least one recipient service."))
    refused = [(s, recipient_decision(report, s)) for s in services]
    refused = [(s, d) for s, d in refused if not d.allowed]
    if refused:
        service, decision = refused[0]
        raise PolicyRefusal(decision.rule, f"{service}: {decision.message} {decision.unblock}")
    with transaction.atomic():
        due = timezone.now() + timedelta(days=settings.LIAISON_ACK_DAYS)
        for service in services:
            ReportRecipient.objects.get_or_create(
                report=report, service=service, defaults={"added_by": by, "due_at": due}
            )
        report.shared_with_services.add(*services)
        report.status = ReportStatus.DISSEMINATED
        report.disseminated_at = report.disseminated_at or timezone.now()
        report.save(update_fields=["status", "disseminated_at", "updated_at"])
        _event(report, ReportAction.DISSEMINATED, by, ", ".join(s.code for s in services))
        record(
            actor=by,
            event=AuditEvent.OBJECT_CHANGED,
            target=report,
            extra={"status": report.status, "services": sorted(s.code for s in services)},
        )
    return report


def report_acknowledge(*, by: User, report: Report) -> ReportRecipient:
    """Acknowledge receipt for one's service (accusé de réception)."""
    require_readable(by, [report], _("report"))
    recipient = None
    if by.service_id is not None:
        recipient = ReportRecipient.objects.filter(report=report, service_id=by.service_id).first()
    if recipient is None:
        raise DomainError(_("Your service is not a recipient of this report."))
    if recipient.acknowledged_at is not None:
        raise Conflict(_("Your service has already acknowledged this report."))
    with transaction.atomic():
        recipient.acknowledged_at = timezone.now()
        recipient.acknowledged_by = by
        recipient.save(update_fields=["acknowledged_at", "acknowledged_by"])
        _event(report, ReportAction.ACKNOWLEDGED, by, by.service.code if by.service else "")
        record(actor=by, event=AuditEvent.OBJECT_CHANGED, target=report, extra={"acknowledged": True})
    return recipient
