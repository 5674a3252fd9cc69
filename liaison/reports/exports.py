"""Exports of a report: a watermarked PDF (PAdES-signed once approved) or the signed JSON payload. Every export gets
a unique code printed in it, a ReportExport row with the SHA-256 of what left, and an audit entry."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.exceptions import Conflict
from liaison.keys.store import get_signer
from liaison.reports.models import ExportFormat, Report, ReportExport
from liaison.reports.pdf import render_report_pdf, sign_pdf

CODE_PREFIX = "EXP-"


def _new_code() -> str:
    """EXP- and 12 random hex digits (48 bits): unguessable, and short enough to read off a photographed page."""
    while True:
        code = CODE_PREFIX + secrets.token_hex(6).upper()
        if not ReportExport.objects.filter(code=code).exists():
            return code


def _finish(export: ReportExport, data: bytes, request: HttpRequest | None) -> None:
    export.sha256 = hashlib.sha256(data).hexdigest()
    export.save(force_insert=True)
    record(
        actor=export.exported_by,
        event=AuditEvent.OBJECT_EXPORTED,
        target=export.report,
        extra={"format": export.format, "code": export.code},
        request=request,
    )


def report_export_pdf(*, by: User, report: Report, request: HttpRequest | None = None) -> tuple[bytes, ReportExport]:
    """Render the report for `by` (the caller has applied the read rule); an approved report's PDF is signed."""
    # Rendering and signing take a moment: they happen before the transaction, which then records the export and
    # its audit entry together (a unique code that was never recorded is simply discarded).
    export = ReportExport(
        code=_new_code(), report=report, exported_by=by, exported_at=timezone.now(), format=ExportFormat.PDF
    )
    data = render_report_pdf(report=report, reader=by, export_code=export.code, exported_at=export.exported_at)
    if report.signature:
        data = sign_pdf(data)
    with transaction.atomic():
        _finish(export, data, request)
    return data, export


def signed_json_document(report: Report, export: ReportExport) -> dict[str, Any]:
    """The payload as signed at approval, its detached Ed25519 signature and the export's identity."""
    signer = get_signer()
    return {
        "payload": json.loads(report.signed_payload),
        "signature": {
            "algorithm": "Ed25519",
            "key_id": report.signing_key_id,
            "value": report.signature,
            "public_key": signer.public_key_pem().decode() if signer.key_id == report.signing_key_id else "",
        },
        "export": {
            "code": export.code,
            "exported_by": export.exported_by.alias,
            "exported_at": export.exported_at.astimezone(dt.UTC).isoformat(),
        },
    }


def report_export_json(*, by: User, report: Report, request: HttpRequest | None = None) -> tuple[bytes, ReportExport]:
    """Export an approved report's signed payload; a draft has no signature to vouch for it, so it cannot."""
    if not report.signature or not report.signed_payload:
        raise Conflict(_("Only an approved report can be exported as signed JSON."))
    export = ReportExport(
        code=_new_code(), report=report, exported_by=by, exported_at=timezone.now(), format=ExportFormat.JSON
    )
    data = json.dumps(signed_json_document(report, export), ensure_ascii=False, indent=2).encode()
    with transaction.atomic():
        _finish(export, data, request)
    return data, export
