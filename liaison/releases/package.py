"""The package an approved release gives, and the message that recalls it.

A package is a canonical JSON manifest (what was released, to whom, when, by whom, under which markings) with a
detached Ed25519 signature under the instance key, and a PDF of the same content rendered with WeasyPrint (banner
top and bottom, watermark naming the partner and the package code) and PAdES-signed under the instance's PDF
certificate. The PDF is stored encrypted under its own data key (wrapped by the master key) with its SHA-256 and a
keyed digest, like attachments. Everything is built inside the approval's transaction: if an item changed, or
rendering or signing fails, the approval rolls back and the release stays waiting for approval.

A recall message is canonical JSON too, signed the same way: it names the package and its manifest hash, the
reason, who recalls and when, and what the partner must do.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
from typing import Any, NamedTuple

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.exceptions import Conflict, DomainError
from liaison.exchanges import attachments
from liaison.exchanges.models import InformationItem
from liaison.keys.store import get_signer
from liaison.policy.models import MarkedModel
from liaison.releases.models import Recall, Release, ReleasePackage
from liaison.reports.pdf import banner_text, render_pdf, sign_pdf
from liaison.reports.services import canonical

logger = logging.getLogger(__name__)

MANIFEST_FORMAT = "liaison-release-package/1"
RECALL_FORMAT = "liaison-release-recall/1"
CODE_PREFIX = "PKG-"
PDF_SIGNATURE_REASON = "Approved release"
RECALL_ACTION = "destroy_or_return"


class PackageFailed(DomainError):
    """Rendering or signing the package failed: nothing was written, the release still waits for approval."""


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def new_code() -> str:
    """PKG- and 12 random hex digits (48 bits): unguessable, short enough to read off a printed page."""
    while True:
        code = CODE_PREFIX + secrets.token_hex(6).upper()
        if not ReleasePackage.objects.filter(code=code).exists():
            return code


def marking_json(marked: MarkedModel) -> dict[str, Any]:
    """A marking as the manifest states it: the banner line and its parts."""
    marking = marked.marking()
    return {
        "banner": banner_text(marked),
        "classification": marked.classification.label,
        "rank": marking.rank,
        "compartments": sorted(marking.compartments),
        "caveats": sorted(marking.caveats),
        "releasable_to": sorted(marking.releasable_to) if marking.releasable_to is not None else None,
        "no_foreign_release": marking.no_foreign_release,
        "originator_control": bool(marking.originators),
        "tlp": marking.tlp or "",
    }


def _release_items(release: Release) -> list[tuple[InformationItem, int]]:
    links = release.item_links.select_related("item__classification").prefetch_related(
        "item__compartments", "item__caveats", "item__originators"
    )
    return [(link.item, link.item_version) for link in links]


def _content(release: Release) -> dict[str, Any]:
    """What the partner receives: the items at the version approved, or the tearline text (its sources named by
    id and version only: their titles are not the partner's to read)."""
    if release.tearline_id is not None:
        tearline = release.tearline
        assert tearline is not None
        sources = tearline.source_links.order_by("item_id")
        return {
            "tearline": {
                "id": str(tearline.pk),
                "title": tearline.title,
                "text": tearline.text,
                "marking": marking_json(tearline),
                "sources": [{"id": str(link.item_id), "version": link.item_version} for link in sources],
            }
        }
    items = []
    for item, version in _release_items(release):
        if item.version != version:
            raise Conflict(
                _(
                    "“%(title)s” changed since it was added to this release (version %(was)d, now %(now)d): the "
                    "partner would not get what was checked. Refuse this release and request a new one."
                )
                % {"title": item.title, "was": version, "now": item.version}
            )
        items.append(
            {
                "id": str(item.pk),
                "version": item.version,
                "title": item.title,
                "marking": marking_json(item),
                "text": item.text,
            }
        )
    return {"items": items}


def build_manifest(*, release: Release, code: str, approver: User, released_at: dt.datetime) -> dict[str, Any]:
    content = _content(release)
    partner = release.partner
    return {
        "format": MANIFEST_FORMAT,
        "issuer": settings.LIAISON_ORGANISATION,
        "package": code,
        "release": str(release.pk),
        "partner": {"id": str(partner.pk), "name": partner.name, "country": partner.country},
        "released_at": _utc(released_at),
        "requester": release.created_by.alias,
        "approver": approver.alias,
        "justification": release.justification,
        "content": content,
        "content_sha256": hashlib.sha256(canonical(content)).hexdigest(),
        "marking": marking_json(release),
        "banner": banner_text(release),
    }


def render_package_pdf(*, release: Release, manifest: dict[str, Any], manifest_sha256: str) -> bytes:
    """The package as an A4 PDF in the active language: banner top and bottom, watermark with the partner and the
    package code, the items or the tearline, the approval line."""
    context = {
        "manifest": manifest,
        "release": release,
        "partner": release.partner,
        "items": manifest["content"].get("items", []),
        "tearline": manifest["content"].get("tearline"),
        "manifest_sha256": manifest_sha256,
    }
    return render_pdf("releases/package_pdf.html", banner=manifest["banner"], context=context)


def package_build(*, release: Release, approver: User, released_at: dt.datetime) -> ReleasePackage:
    """Build, sign and store the package of `release` (called inside the approval's transaction, on the locked
    row). Raises Conflict if an item changed since it was added, PackageFailed if rendering or signing fails;
    nothing is written then."""
    code = new_code()
    manifest = build_manifest(release=release, code=code, approver=approver, released_at=released_at)
    manifest_bytes = canonical(manifest)
    manifest_sha256 = hashlib.sha256(manifest_bytes).hexdigest()
    try:
        signer = get_signer()
        signature = base64.b64encode(signer.sign(manifest_bytes)).decode()
        pdf = sign_pdf(
            render_package_pdf(release=release, manifest=manifest, manifest_sha256=manifest_sha256),
            reason=PDF_SIGNATURE_REASON,
        )
        package = ReleasePackage(
            release=release,
            manifest=manifest_bytes.decode(),
            manifest_sha256=manifest_sha256,
            signature=signature,
            signing_key_id=signer.key_id,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            pdf_size=len(pdf),
            code=code,
        )
        sealed = attachments.seal(pdf, associated=str(package.pk).encode())
    except Exception as error:  # WeasyPrint, pyHanko, missing keys: the approval must roll back, not crash
        logger.exception("Package of release %s could not be rendered, signed or sealed", release.pk)
        raise PackageFailed(
            _(
                "The package could not be rendered or signed, so nothing was released: the release still waits "
                "for approval. Tell the administrator (the signing keys may be missing), then approve again."
            )
        ) from error
    package.pdf_wrapped_key, package.pdf_nonce = sealed.wrapped_key, sealed.nonce
    package.pdf_ciphertext, package.pdf_digest = sealed.ciphertext, sealed.digest
    package.save(force_insert=True)
    return package


def package_manifest_bytes(package: ReleasePackage) -> bytes:
    """The manifest exactly as signed."""
    return package.manifest.encode()


def package_pdf(package: ReleasePackage) -> bytes:
    """The signed PDF, decrypted; its keyed digest and SHA-256 are checked (DomainError if either fails)."""
    broken = DomainError(_("This release package failed its integrity check. Tell the security officer."))
    try:
        data = attachments.unseal(
            wrapped_key=package.pdf_wrapped_key,
            nonce=package.pdf_nonce,
            ciphertext=package.pdf_ciphertext,
            associated=str(package.pk).encode(),
            digest=package.pdf_digest,
        )
    except DomainError as error:
        raise broken from error
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), package.pdf_sha256):
        raise broken
    return data


def recall_document(*, release: Release, reason: str, by: User, at: dt.datetime) -> dict[str, Any]:
    package: ReleasePackage = release.package
    partner = release.partner
    return {
        "format": RECALL_FORMAT,
        "issuer": settings.LIAISON_ORGANISATION,
        "release": str(release.pk),
        "package": package.code,
        "manifest_sha256": package.manifest_sha256,
        "partner": {"id": str(partner.pk), "name": partner.name, "country": partner.country},
        "reason": reason,
        "recalled_by": by.alias,
        "at": _utc(at),
        "action": RECALL_ACTION,
        "instructions": _(
            "Destroy or return every copy of the package named here, including copies passed on, and acknowledge "
            "this recall to your liaison officer, saying when and by whom."
        ),
    }


def recall_message(*, release: Release, reason: str, by: User, at: dt.datetime) -> tuple[bytes, str, str]:
    """The recall message for the partner: canonical JSON bytes, its base64 Ed25519 signature, the key id."""
    message = canonical(recall_document(release=release, reason=reason, by=by, at=at))
    signer = get_signer()
    return message, base64.b64encode(signer.sign(message)).decode(), signer.key_id


# ---------------------------------------------------------------- downloads


class Download(NamedTuple):
    data: bytes
    content_type: str
    filename: str


PACKAGE_PDF, MANIFEST, MANIFEST_SIGNATURE = "package_pdf", "manifest", "manifest_signature"
RECALL, RECALL_SIGNATURE = "recall", "recall_signature"
DOWNLOADS = (PACKAGE_PDF, MANIFEST, MANIFEST_SIGNATURE, RECALL, RECALL_SIGNATURE)


def _signature_file(signed_file: str, data: bytes, value: str, key_id: str) -> bytes:
    from liaison.releases.verify import signature_document

    document = signature_document(
        signed_file=signed_file, sha256=hashlib.sha256(data).hexdigest(), value=value, key_id=key_id
    )
    return json.dumps(document, indent=2).encode() + b"\n"


def release_download(*, by: User, release: Release, what: str, request: HttpRequest | None = None) -> Download:
    """One file of a release a partner was given, for a reader of the release (the caller fetched it through the
    read rule): the package PDF, the manifest or the recall message, or their detached signatures. A release with
    no package (or no recall) has no such file: 404. Every download is audited like an export."""
    if what not in DOWNLOADS:
        raise Http404
    package = ReleasePackage.objects.filter(release=release).first()
    if package is None:
        raise Http404
    base = f"release-{package.code}"
    if what == PACKAGE_PDF:
        download = Download(package_pdf(package), "application/pdf", f"{base}.pdf")
    elif what in (MANIFEST, MANIFEST_SIGNATURE):
        manifest = package_manifest_bytes(package)
        download = Download(manifest, "application/json", f"{base}-manifest.json")
        if what == MANIFEST_SIGNATURE:
            signature = _signature_file(download.filename, manifest, package.signature, package.signing_key_id)
            download = Download(signature, "application/json", f"{download.filename}.sig")
    else:
        recall = Recall.objects.filter(release=release).first()
        if recall is None:
            raise Http404
        message = recall.message.encode()
        download = Download(message, "application/json", f"{base}-recall.json")
        if what == RECALL_SIGNATURE:
            signature = _signature_file(download.filename, message, recall.signature, recall.signing_key_id)
            download = Download(signature, "application/json", f"{download.filename}.sig")
    record(
        actor=by,
        event=AuditEvent.OBJECT_EXPORTED,
        target=release,
        extra={"format": what, "package": package.code, "sha256": hashlib.sha256(download.data).hexdigest()},
        request=request,
    )
    return download
