"""Report PDFs: rendered with WeasyPrint (classification banner and watermark on every page), signed as PAdES-B-B
with pyHanko under the instance's ECDSA P-256 certificate, and verified offline against the instance CA."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from liaison.accounts.models import User
from liaison.keys.store import pdf_signer
from liaison.policy.models import MarkedModel
from liaison.reports.models import SECTIONS, Report

SIGNATURE_FIELD = "LiaisonApproval"


def banner_text(marked: MarkedModel) -> str:
    """The marking line printed at the top and bottom of every page of a report or a release package: level,
    compartments, caveats, controls."""
    marking = marked.marking()
    parts = [marked.classification.label]
    parts += sorted(code.upper() for code in marking.compartments)
    parts += sorted(caveat.code.upper() for caveat in marked.caveats.all())
    if marking.no_foreign_release:
        parts.append(_("NO FOREIGN RELEASE"))
    if marking.tlp:
        parts.append(f"TLP:{marking.tlp}")
    if marking.originators:
        parts.append(_("ORIGINATOR CONTROL"))
    return " / ".join(parts)


def css_string(text: str) -> str:
    """A CSS string literal that nothing in `text` can break out of (it lands inside a <style> element)."""
    # Six-digit escapes for all but ASCII letters and digits (a space after an escape would be eaten as its end).
    escaped = "".join(ch if ch.isascii() and ch.isalnum() else f"\\{ord(ch):06x}" for ch in text)
    return f'"{escaped}"'


def payload_digest(report: Report) -> str:
    """The first 32 hex digits of the SHA-256 of the signed payload, printed so a reader can match the JSON."""
    return hashlib.sha256(report.signed_payload.encode()).hexdigest()[:32]


def _context(report: Report, reader: User, export_code: str, exported_at: dt.datetime) -> dict[str, Any]:
    exchange = report.exchange
    return {
        "report": report,
        "exchange": exchange,
        "partners": list(exchange.partners.all()),
        "sections": [(label, getattr(report, name)) for name, label in SECTIONS],
        "quotes": list(report.quotes.select_related("item__classification")),
        "reader_alias": reader.alias,
        "export_code": export_code,
        "exported_at_utc": exported_at.astimezone(dt.UTC).replace(microsecond=0).isoformat(),
        "payload_digest": payload_digest(report) if report.signature else "",
    }


def render_pdf(template: str, *, banner: str, context: dict[str, Any]) -> bytes:
    """An A4 PDF from a template extending `pdf_base.html`, in the active language: `banner` (the marking line)
    printed at the top and bottom of every page, pages numbered."""
    from weasyprint import HTML

    page_label = _("page")
    frame = {
        "banner": banner,
        "banner_css": css_string(banner),
        "page_css": f"{css_string(page_label + ' ')} counter(page) {css_string(' / ')} counter(pages)",
        "language": get_language() or "fr",
    }
    pdf: bytes = HTML(string=render_to_string(template, context | frame)).write_pdf()
    return pdf


def render_report_pdf(*, report: Report, reader: User, export_code: str, exported_at: dt.datetime) -> bytes:
    """The report as an A4 PDF in the active language, watermarked with the reader, the time and the export code."""
    context = _context(report, reader, export_code, exported_at)
    return render_pdf("reports/report_pdf.html", banner=banner_text(report), context=context)


def sign_pdf(pdf: bytes, *, reason: str = "Approved report") -> bytes:
    """Add a PAdES-B-B signature (ECDSA P-256, SHA-256) in the `LiaisonApproval` field, as an incremental update;
    `reason` is the signature's stated reason (what the signer approves)."""
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=reason,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    with pdf_signer() as signer:  # the instance's key: a file, or a key in the HSM
        output = signers.PdfSigner(meta, signer=signer).sign_pdf(writer)
    return output.getvalue()


@dataclass(frozen=True)
class PdfVerification:
    valid: bool
    intact: bool
    trusted: bool
    signer: str
    message: str


def verify_pdf(data: bytes, ca_cert_pem: bytes) -> PdfVerification:
    """Valid when the file holds at least one signature, every signature is intact, covers the whole file (nothing
    appended after signing) and its certificate chains to the given CA. Works offline: nothing is fetched."""
    try:
        roots = list(load_certs_from_pemder_data(ca_cert_pem))
        ValidationContext(trust_roots=roots)  # a bad certificate fails here, not in the middle of a check
    except Exception as exc:
        return PdfVerification(False, False, False, "", f"the CA certificate cannot be read: {exc}")
    if not roots:
        return PdfVerification(False, False, False, "", "the CA file holds no certificate")
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:
        return PdfVerification(False, False, False, "", f"the file cannot be read as a PDF: {exc}")
    if not embedded:
        return PdfVerification(False, False, False, "", "the PDF carries no signature")
    valid = intact = trusted = True
    signers_seen: list[str] = []
    problems: list[str] = []
    for sig in embedded:
        try:
            status = validate_pdf_signature(sig, ValidationContext(trust_roots=roots, allow_fetching=False))
        except Exception as exc:
            valid = intact = trusted = False
            problems.append(f"signature {sig.field_name!r} cannot be checked: {exc}")
            continue
        signer = status.signing_cert.subject.human_friendly if status.signing_cert else "unknown signer"
        signers_seen.append(signer)
        if not (status.intact and status.valid):
            intact = valid = trusted = False
            problems.append(f"signature {sig.field_name!r} does not match the signed bytes (the file was altered)")
        elif not status.trusted:
            trusted = valid = False
            problems.append(f"the certificate of {signer!r} does not chain to the given CA")
        if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            valid = False
            problems.append(f"signature {sig.field_name!r} does not cover the whole file (content added after signing)")
    signer_text = "; ".join(signers_seen)
    if valid:
        count = len(embedded)
        return PdfVerification(True, True, True, signer_text, f"{count} signature(s) by {signer_text}, whole file")
    return PdfVerification(False, intact, trusted, signer_text, "; ".join(problems))
