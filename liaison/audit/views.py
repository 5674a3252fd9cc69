from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from liaison.accounts.models import RoleCode
from liaison.accounts.selectors import auth_failure_window_list, throttled_address_list
from liaison.audit.events import AuditEvent
from liaison.audit.models import ReadEvent
from liaison.audit.selectors import audit_entry_list, parse_ids, read_record_list
from liaison.audit.services import record
from liaison.audit.verify import LATE_SEALS, verify_chain, verify_reads
from liaison.policy.gates import roles_required

READERS = (RoleCode.AUDITOR, RoleCode.SECURITY_OFFICER)


@roles_required(*READERS)
def audit_log_view(request: HttpRequest) -> HttpResponse:
    """The chain, or with `?log=reads` the recorded reads and refusals with the seal of each."""
    reads = request.GET.get("log") == "reads"
    event, actor = request.GET.get("event", "")[:40], request.GET.get("actor", "")[:80]
    ids = parse_ids(request.GET.get("ids", "")[:4000])
    lister = read_record_list if reads else audit_entry_list
    page = Paginator(lister(event=event, actor=actor, ids=ids), 50).get_page(request.GET.get("page"))
    extra: dict[str, object] = {"page": page.number, **({"log": "reads"} if reads else {})}
    if ids:
        extra["ids"] = ids
    record(actor=request.user, event=AuditEvent.AUDIT_VIEWED, extra=extra, request=request)
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "reads": reads,
            "events": ReadEvent.choices if reads else AuditEvent.choices,
            "filters": {
                "event": event,
                "actor": actor,
                **({"log": "reads"} if reads else {}),
                **({"ids": ",".join(map(str, ids))} if ids else {}),
            },
        },
    )


@require_POST
@roles_required(*READERS)
def audit_verify_view(request: HttpRequest) -> HttpResponse:
    report = verify_chain()
    reads = verify_reads()
    record(
        actor=request.user,
        event=AuditEvent.AUDIT_VERIFIED,
        extra={
            "ok": report.ok,
            "checked": report.checked,
            "first_bad_seq": report.first_bad_seq,
            "reads_ok": reads.ok,
            "reads_checked": reads.checked,
            "reads_problems": reads.problem_count,
            "reads_unsealed": reads.unsealed,
        },
        request=request,
    )
    late_seconds = LATE_SEALS * settings.LIAISON_READ_SEAL_SECONDS
    return render(request, "audit/verify.html", {"report": report, "reads": reads, "late_seconds": late_seconds})


@roles_required(*READERS)
def auth_failure_list_view(request: HttpRequest) -> HttpResponse:
    """Failed authentications as the shared counter holds them: the addresses refused right now, then every window
    (current and recent), newest first."""
    page = Paginator(auth_failure_window_list(), 50).get_page(request.GET.get("page"))
    record(
        actor=request.user,
        event=AuditEvent.AUDIT_VIEWED,
        extra={"view": "auth_failures", "page": page.number},
        request=request,
    )
    return render(
        request,
        "audit/auth_failures.html",
        {
            "page": page,
            "throttled": throttled_address_list(now=timezone.now()),
            "now": timezone.now(),
            "max_failures": settings.LIAISON_AUTH_MAX_FAILURES_PER_ADDRESS,
            "window_minutes": settings.LIAISON_AUTH_WINDOW_SECONDS / 60,
            "filters": {},
        },
    )
