"""Writes of concerns: a colleague submits one; a security officer triages, answers with the rationale, closes, and
publishes the answer without the requester's identity (or withdraws it). Each step is audited in its own transaction;
answering notifies the requester."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.concerns.models import (
    Concern,
    ConcernCategory,
    ConcernOutcome,
    ConcernSeverity,
    ConcernStatus,
)
from liaison.concerns.selectors import can_handle_concerns
from liaison.core.exceptions import Conflict, DomainError, InputFieldError
from liaison.notifications.models import NotificationKind
from liaison.notifications.services import notify

SUBJECT_MAX = 200
POST_MAX = 200
TEXT_MAX = 5000
REFERENCE_ATTEMPTS = 5


def _text(value: str, *, field: str, label: str, limit: int) -> str:
    """A stripped, non-empty text of at most `limit` characters with no NUL byte, or an error naming the field."""
    value = (value or "").strip()
    if "\x00" in value:
        raise InputFieldError(
            field, _("%(label)s contains a NUL character; retype it as plain text.") % {"label": label}
        )
    if not value:
        raise InputFieldError(field, _("%(label)s is required.") % {"label": label})
    if len(value) > limit:
        raise InputFieldError(
            field,
            _("%(label)s is too long: keep it under %(max)s characters.") % {"label": label, "max": limit},
        )
    return value


def _choice(value: str, choices: type[Any], *, field: str, label: str) -> str:
    if value not in choices.values:
        raise InputFieldError(field, _("Choose a %(label)s from the list.") % {"label": label})
    return value


def _next_reference(year: int) -> str:
    """The next free reference of `year` (PR-2026-0001…): one more than the highest already given."""
    prefix = f"PR-{year}-"
    last = (
        Concern.objects.filter(reference__startswith=prefix).order_by("-reference").values_list("reference", flat=True)
    ).first()
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def concern_submit(
    *,
    by: User,
    category: str,
    subject: str,
    description: str,
    post_or_service: str,
    request: Any = None,
) -> Concern:
    """Any signed-in colleague raises a concern. Its reference is the next of the year; two submissions racing for
    the same number both succeed, the loser taking the next one (the unique reference decides)."""
    category = _choice(category, ConcernCategory, field="category", label=_("category"))
    subject = _text(subject, field="subject", label=_("The subject"), limit=SUBJECT_MAX)
    description = _text(description, field="description", label=_("The description"), limit=TEXT_MAX)
    post_or_service = _text(post_or_service, field="post_or_service", label=_("The post or service"), limit=POST_MAX)
    with transaction.atomic():
        for _attempt in range(REFERENCE_ATTEMPTS):
            try:
                with transaction.atomic():
                    concern = Concern.objects.create(
                        reference=_next_reference(timezone.now().year),
                        requester=by,
                        category=category,
                        subject=subject,
                        description=description,
                        post_or_service=post_or_service,
                    )
            except IntegrityError:  # a concurrent submission took this number: take the next one
                continue
            break
        else:
            raise Conflict(_("Many concerns are being submitted at this moment; submit yours again."))
        record(
            actor=by,
            event=AuditEvent.CONCERN_SUBMITTED,
            target=concern,
            extra={"reference": concern.reference, "category": category},
            request=request,
        )
    return concern


def _locked(concern: Concern) -> Concern:
    return (
        Concern.objects.select_for_update(of=("self",))
        .select_related("requester", "requester__service")
        .get(pk=concern.pk)
    )


def concern_triage(*, concern: Concern, by: User, severity: str, owner: User, request: Any = None) -> Concern:
    """A security officer sets a concern's severity and who handles it; the first triage is its first response.
    A concern may be triaged again (a new severity or handler) until it is answered."""
    severity = _choice(severity, ConcernSeverity, field="severity", label=_("severity"))
    if not can_handle_concerns(owner) or not owner.is_active:
        raise InputFieldError("owner", _("Choose a security officer to handle the concern."))
    with transaction.atomic():
        concern = _locked(concern)
        if concern.status not in (ConcernStatus.SUBMITTED, ConcernStatus.TRIAGED):
            raise Conflict(_("This concern is already answered; its triage can no longer change."))
        concern.severity = severity
        concern.owner = owner
        concern.status = ConcernStatus.TRIAGED
        concern.triaged_at = concern.triaged_at or timezone.now()
        concern.save(update_fields=["severity", "owner", "status", "triaged_at", "updated_at"])
        record(
            actor=by,
            event=AuditEvent.CONCERN_TRIAGED,
            target=concern,
            extra={"reference": concern.reference, "severity": severity, "owner": str(owner.pk)},
            request=request,
        )
    return concern


def concern_answer(*, concern: Concern, by: User, outcome: str, answer: str, request: Any = None) -> Concern:
    """A security officer answers a triaged concern: the outcome and the rationale, what will or will not be done
    and why. The requester is notified."""
    outcome = _choice(outcome, ConcernOutcome, field="outcome", label=_("outcome"))
    answer = _text(answer, field="answer", label=_("The answer"), limit=TEXT_MAX)
    with transaction.atomic():
        concern = _locked(concern)
        if concern.status == ConcernStatus.SUBMITTED:
            raise Conflict(_("Triage the concern (severity and handler) before answering it."))
        if concern.status != ConcernStatus.TRIAGED:
            raise Conflict(_("This concern is already answered."))
        concern.outcome = outcome
        concern.answer = answer
        concern.status = ConcernStatus.ANSWERED
        concern.answered_at = timezone.now()
        concern.answered_by = by
        concern.save(update_fields=["outcome", "answer", "status", "answered_at", "answered_by", "updated_at"])
        record(
            actor=by,
            event=AuditEvent.CONCERN_ANSWERED,
            target=concern,
            extra={"reference": concern.reference, "outcome": outcome},
            request=request,
        )
        notify(
            recipient=concern.requester,
            kind=NotificationKind.CONCERN_ANSWERED,
            target=concern,
            key=str(concern.pk),
            about_at=concern.answered_at,
        )
    return concern


def concern_close(*, concern: Concern, by: User, request: Any = None) -> Concern:
    """A security officer closes an answered concern: nothing more is owed to the requester."""
    with transaction.atomic():
        concern = _locked(concern)
        if concern.status == ConcernStatus.CLOSED:
            raise Conflict(_("This concern is already closed."))
        if concern.status != ConcernStatus.ANSWERED:
            raise Conflict(_("Answer the concern before closing it: the requester is owed the rationale."))
        concern.status = ConcernStatus.CLOSED
        concern.closed_at = timezone.now()
        concern.save(update_fields=["status", "closed_at", "updated_at"])
        record(
            actor=by,
            event=AuditEvent.CONCERN_CLOSED,
            target=concern,
            extra={"reference": concern.reference},
            request=request,
        )
    return concern


def _folded(text: str) -> str:
    """Lower case without accents, so that « Hélène » and « HELENE » are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def identity_leaks(concern: Concern, *texts: str) -> list[str]:
    """What in `texts` would identify the requester: their alias, login, civil names, or the post or service they
    wrote, each matched as a whole word, ignoring case and accents. Empty when the texts are safe to publish."""
    requester = concern.requester
    full_name = f"{requester.civil_first_name} {requester.civil_last_name}".strip()
    candidates = [
        (_("the requester's alias"), requester.alias),
        (_("the requester's login"), requester.username),
        (_("the requester's civil name"), full_name),
        (_("the requester's civil name"), requester.civil_first_name),
        (_("the requester's civil name"), requester.civil_last_name),
        (_("the post or service"), concern.post_or_service),
    ]
    haystack = _folded("\n".join(texts))
    found: list[str] = []
    for label, value in candidates:
        needle = _folded(value.strip())
        if len(needle) < 2 or label in found:
            continue
        if re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack):
            found.append(label)
    return found


def concern_publish(*, concern: Concern, by: User, question: str, answer: str, request: Any = None) -> Concern:
    """A security officer publishes an answered concern as a question and answer every colleague can read. Refused
    while the text names the requester (alias, login, civil name) or their post or service; publishing again
    replaces the published text."""
    question = _text(question, field="question", label=_("The question"), limit=TEXT_MAX)
    answer = _text(answer, field="answer", label=_("The answer"), limit=TEXT_MAX)
    with transaction.atomic():
        concern = _locked(concern)
        if concern.status not in (ConcernStatus.ANSWERED, ConcernStatus.CLOSED):
            raise Conflict(_("Only an answered concern can be published."))
        leaks = identity_leaks(concern, question, answer)
        if leaks:
            raise DomainError(
                _("The text would identify the requester: it contains %(what)s. Remove it, then publish.")
                % {"what": ", ".join(leaks)}
            )
        first = not concern.is_published
        concern.is_published = True
        concern.published_at = concern.published_at if not first else timezone.now()
        concern.published_question = question
        concern.published_answer = answer
        concern.save(
            update_fields=["is_published", "published_at", "published_question", "published_answer", "updated_at"]
        )
        record(
            actor=by,
            event=AuditEvent.CONCERN_PUBLISHED,
            target=concern,
            extra={"reference": concern.reference, "edit": not first},
            request=request,
        )
    return concern


def concern_unpublish(*, concern: Concern, by: User, request: Any = None) -> Concern:
    """A security officer withdraws a published answer; its text is kept for a later publication."""
    with transaction.atomic():
        concern = _locked(concern)
        if not concern.is_published:
            raise Conflict(_("This concern's answer is not published."))
        concern.is_published = False
        concern.published_at = None
        concern.save(update_fields=["is_published", "published_at", "updated_at"])
        record(
            actor=by,
            event=AuditEvent.CONCERN_UNPUBLISHED,
            target=concern,
            extra={"reference": concern.reference},
            request=request,
        )
    return concern
