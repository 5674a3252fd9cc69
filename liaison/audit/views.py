from __future__ import annotations

from typing import cast

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from liaison.accounts.models import RoleCode
from liaison.accounts.selectors import auth_failure_window_list, throttled_address_list
from liaison.audit import checkpoints as ckpt
from liaison.audit.events import AuditEvent
from liaison.audit.models import ReadEvent
from liaison.audit.selectors import audit_entry_list, last_verification, parse_ids, read_record_list
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
    checkpoint = ckpt.checkpoint_latest()
    return render(
        request,
        "audit/log.html",
        {
            "checkpoint": checkpoint,
            "signature_ok": checkpoint is not None and ckpt.checkpoint_signature_ok(checkpoint),
            "last_verification": last_verification(),
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
    checkpoint = ckpt.checkpoint_latest()
    against = ckpt.verify_latest()
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
            "checkpoint": checkpoint.tree_size if checkpoint else None,
            "checkpoint_ok": against.ok if against else None,
            "checkpoint_problems": sorted(against.codes()) if against else [],
        },
        request=request,
    )
    late_seconds = LATE_SEALS * settings.LIAISON_READ_SEAL_SECONDS
    return render(
        request,
        "audit/verify.html",
        {
            "report": report,
            "reads": reads,
            "late_seconds": late_seconds,
            "checkpoint": checkpoint,
            "against": against,
            "verdicts": [(ckpt.VERDICT_LABELS.get(v.code, v.code), v) for v in against.verdicts] if against else [],
        },
    )


def _download(request: HttpRequest, kind: str, extra: dict[str, object]) -> None:
    record(actor=request.user, event=AuditEvent.AUDIT_EXPORTED, extra={"file": kind, **extra}, request=request)


@roles_required(*READERS)
def checkpoint_download_view(request: HttpRequest) -> HttpResponse:
    """The latest signed checkpoint, for the auditor to keep outside the instance (404 before the first one)."""
    checkpoint = ckpt.checkpoint_latest()
    if checkpoint is None:
        raise Http404
    _download(request, "checkpoint", {"tree_size": checkpoint.tree_size})
    response = HttpResponse(checkpoint.note, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="liaison-audit-checkpoint-{checkpoint.tree_size}.txt"'
    return response


@roles_required(*READERS)
def export_download_view(request: HttpRequest) -> HttpResponse:
    """The export of the chain up to its head now, streamed (`liaison-audit-export/1`, JSON Lines)."""
    head = ckpt.export_head()
    _download(request, "export", {"head_seq": head})
    response = StreamingHttpResponse(ckpt.export_lines(head), content_type="application/jsonl")
    response["Content-Disposition"] = f'attachment; filename="liaison-audit-export-{head}.jsonl"'
    return cast(HttpResponse, response)  # streamed: the gate's type names plain responses only


@roles_required(*READERS)
def public_key_download_view(request: HttpRequest) -> HttpResponse:
    """The key checkpoints are checked with: the verifier key line (origin, key id, key), then the PEM key."""
    _download(request, "public_key", {})
    response = HttpResponse(ckpt.public_key_text(), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="liaison-audit-key.txt"'
    return response


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
