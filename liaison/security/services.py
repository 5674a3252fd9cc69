"""Writes of the strengthening plan: importing a framework catalogue, objectives and measures (security office),
updates and evidence on a measure (security office or the measure's owner). Each service is atomic and audited,
and refuses a mistake with a message saying what to do."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record, record_read
from liaison.core.exceptions import DomainError, PolicyRefusal
from liaison.exchanges import attachments
from liaison.policy.security_office import can_edit_plan, can_report_on_measure
from liaison.security.frameworks import CatalogueRefused, Problem, parse_catalogue
from liaison.security.models import (
    Framework,
    FrameworkControl,
    Indicator,
    LineOfDefence,
    Measure,
    MeasureEvidence,
    MeasureStatus,
    MeasureUpdate,
    Objective,
)

REFERENCE_MAX = 20
TITLE_MAX = 200
COMMENT_MAX = 4000


def _require_editor(by: User | None) -> None:
    if by is not None and not can_edit_plan(by):
        raise PolicyRefusal("security.plan_editor", _("Only a security officer changes the plan and its catalogues."))


def framework_import(*, name: str, data: bytes, by: User | None, request: Any = None) -> Framework:
    """Import a catalogue file (YAML or CSV) as a new framework with its controls, all or nothing: any problem
    (listed with its line) or a code and version already imported refuses the whole file."""
    _require_editor(by)
    parsed = parse_catalogue(name=name, data=data)
    if Framework.objects.filter(code=parsed.code, version=parsed.version).exists():
        raise CatalogueRefused([_already(parsed.code, parsed.version, parsed.header_line)])
    digest = hashlib.sha256(data).hexdigest()
    try:
        with transaction.atomic():
            framework = Framework.objects.create(
                code=parsed.code,
                version=parsed.version,
                name_fr=parsed.name_fr,
                name_en=parsed.name_en,
                publisher=parsed.publisher,
                source_name=name.rsplit("/", 1)[-1][:200],
                source_sha256=digest,
                imported_by=by,
            )
            FrameworkControl.objects.bulk_create(
                FrameworkControl(
                    framework=framework,
                    control_id=control.control_id,
                    level=control.level,
                    function=control.function,
                    category=control.category,
                    title_fr=control.title_fr,
                    title_en=control.title_en,
                    text_fr=control.text_fr,
                    text_en=control.text_en,
                    is_key_measure=control.is_key_measure,
                    position=position,
                )
                for position, control in enumerate(parsed.controls, start=1)
            )
            record(
                actor=by,
                event=AuditEvent.FRAMEWORK_IMPORTED,
                target=framework,
                extra={
                    "code": parsed.code,
                    "version": parsed.version,
                    "file": framework.source_name,
                    "sha256": digest,
                    "controls": len(parsed.controls),
                },
                request=request,
            )
    except IntegrityError as error:  # imported by someone else in the meantime
        raise CatalogueRefused([_already(parsed.code, parsed.version, parsed.header_line)]) from error
    return framework


def _already(code: str, version: str, line: int) -> Problem:
    return Problem(
        line,
        _("framework %(code)s version %(version)s is already imported: give the new file another version.")
        % {"code": code, "version": version},
    )


def _clean_reference(reference: str) -> str:
    reference = reference.strip()
    if not reference or len(reference) > REFERENCE_MAX:
        raise DomainError(_("Give a reference of at most %(max)d characters.") % {"max": REFERENCE_MAX})
    return reference


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title or len(title) > TITLE_MAX:
        raise DomainError(_("Give a title of at most %(max)d characters.") % {"max": TITLE_MAX})
    return title


def objective_save(
    *,
    objective: Objective | None = None,
    reference: str,
    title: str,
    description: str = "",
    target_on: date | None = None,
    by: User,
    request: Any = None,
) -> Objective:
    """Create an objective (when `objective` is None) or change one; references are unique across the plan."""
    _require_editor(by)
    reference, title = _clean_reference(reference), _clean_title(title)
    taken = Objective.objects.filter(reference=reference)
    if objective is not None:
        taken = taken.exclude(pk=objective.pk)
    if taken.exists():
        raise DomainError(_("Another objective has the reference %(ref)s: choose another.") % {"ref": reference})
    with transaction.atomic():
        if objective is None:
            position = Objective.objects.count() + 1
            objective = Objective.objects.create(
                reference=reference,
                title=title,
                description=description.strip(),
                target_on=target_on,
                position=position,
                created_by=by,
            )
            event = AuditEvent.OBJECTIVE_CREATED
        else:
            objective.reference, objective.title = reference, title
            objective.description, objective.target_on = description.strip(), target_on
            objective.save(update_fields=["reference", "title", "description", "target_on", "updated_at"])
            event = AuditEvent.OBJECTIVE_CHANGED
        record(actor=by, event=event, target=objective, extra={"reference": reference}, request=request)
    return objective


def measure_save(
    *,
    measure: Measure | None = None,
    objective: Objective,
    reference: str,
    title: str,
    description: str = "",
    line: int,
    owner: User,
    due_on: date,
    controls: Sequence[FrameworkControl] = (),
    indicators: Sequence[Indicator] = (),
    by: User,
    request: Any = None,
) -> Measure:
    """Create a measure (planned, 0 %) or change its definition; its status and progress change only through
    updates, so that each change is in its history."""
    _require_editor(by)
    reference, title = _clean_reference(reference), _clean_title(title)
    if line not in LineOfDefence.values:
        raise DomainError(_("Choose the measure's line of defence."))
    if not owner.is_active:
        raise DomainError(_("The owner's account is disabled: choose an active user."))
    taken = Measure.objects.filter(reference=reference)
    if measure is not None:
        taken = taken.exclude(pk=measure.pk)
    if taken.exists():
        raise DomainError(_("Another measure has the reference %(ref)s: choose another.") % {"ref": reference})
    fields = {
        "objective": objective,
        "reference": reference,
        "title": title,
        "description": description.strip(),
        "line": line,
        "owner": owner,
        "due_on": due_on,
    }
    with transaction.atomic():
        if measure is None:
            measure = Measure.objects.create(created_by=by, **fields)
            event = AuditEvent.MEASURE_CREATED
        else:
            for name, value in fields.items():
                setattr(measure, name, value)
            measure.save(update_fields=[*fields, "updated_at"])
            event = AuditEvent.MEASURE_CHANGED
        measure.controls.set(controls)
        measure.indicators.set(indicators)
        record(
            actor=by,
            event=event,
            target=measure,
            extra={
                "reference": reference,
                "owner": str(owner.pk),
                "line": line,
                "controls": sorted(str(c.pk) for c in controls),
                "indicators": sorted(i.code for i in indicators),
            },
            request=request,
        )
    return measure


def measure_update_add(
    *,
    measure: Measure,
    by: User,
    comment: str = "",
    status: str,
    progress: int,
    request: Any = None,
) -> MeasureUpdate:
    """Record a step of a measure (by the security office or the measure's owner): a comment with the status and
    progress it leaves the measure in. Done sets the completion date and 100 %; leaving done clears the date."""
    if not can_report_on_measure(by, measure):
        raise PolicyRefusal(
            "security.measure_owner", _("Only the measure's owner or a security officer reports on it.")
        )
    comment = comment.strip()
    if status not in MeasureStatus.values:
        raise DomainError(_("Choose a status."))
    if not 0 <= progress <= 100:
        raise DomainError(_("Progress is a percentage: give a whole number from 0 to 100."))
    if len(comment) > COMMENT_MAX:
        raise DomainError(_("Keep the comment under %(max)d characters.") % {"max": COMMENT_MAX})
    if status == MeasureStatus.DONE:
        progress = 100
    with transaction.atomic():
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        if not comment and status == locked.status and progress == locked.progress:
            raise DomainError(_("Nothing changed: write a comment, or change the status or the progress."))
        before = {"status": locked.status, "progress": locked.progress}
        locked.status, locked.progress = status, progress
        if status == MeasureStatus.DONE:
            locked.completed_on = locked.completed_on or timezone.localdate()
        else:
            locked.completed_on = None
        locked.save(update_fields=["status", "progress", "completed_on", "updated_at"])
        update = MeasureUpdate.objects.create(
            measure=locked, author=by, comment=comment, status=status, progress=progress
        )
        record(
            actor=by,
            event=AuditEvent.MEASURE_UPDATED,
            target=locked,
            extra={"before": before, "after": {"status": status, "progress": progress}, "update": str(update.pk)},
            request=request,
        )
    measure.status, measure.progress, measure.completed_on = locked.status, locked.progress, locked.completed_on
    return update


def evidence_add(
    *, measure: Measure, by: User, filename: str, data: bytes, description: str = "", request: Any = None
) -> MeasureEvidence:
    """Attach a file to a measure (security office or owner), checked like an attachment and stored encrypted
    under its own data key."""
    if not can_report_on_measure(by, measure):
        raise PolicyRefusal(
            "security.measure_owner", _("Only the measure's owner or a security officer adds evidence.")
        )
    name, content_type = attachments.check_upload(filename, data, settings.LIAISON_MAX_ATTACHMENT_BYTES)
    description = description.strip()[:300]
    with transaction.atomic():
        evidence = MeasureEvidence(
            measure=measure,
            description=description,
            filename=name,
            content_type=content_type,
            size=len(data),
            uploaded_by=by,
        )
        sealed = attachments.seal(data, associated=str(evidence.pk).encode())
        evidence.wrapped_key, evidence.nonce = sealed.wrapped_key, sealed.nonce
        evidence.ciphertext, evidence.content_hmac = sealed.ciphertext, sealed.digest
        evidence.save(force_insert=True)
        record(
            actor=by,
            event=AuditEvent.EVIDENCE_ADDED,
            target=evidence,
            extra={"measure": str(measure.pk), "size": len(data), "type": content_type},
            request=request,
        )
    return evidence


def evidence_read(*, evidence: MeasureEvidence, by: User, request: Any = None) -> bytes:
    """Decrypt a piece of evidence for someone who may read its measure (the caller fetched it through the
    selector); the read is recorded."""
    data = attachments.unseal(
        wrapped_key=evidence.wrapped_key,
        nonce=evidence.nonce,
        ciphertext=evidence.ciphertext,
        associated=str(evidence.pk).encode(),
        digest=evidence.content_hmac,
    )
    record_read(actor=by, event=AuditEvent.OBJECT_READ, target=evidence, request=request)
    return data
