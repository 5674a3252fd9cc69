"""The CSAF 2.0 provider location (section 7.1, directory-based distribution) under /.well-known/csaf/: the provider
metadata, one directory per TLP label with `index.txt` and `changes.csv`, and each document with its `.sha256`,
`.sha512` and OpenPGP `.asc` files. TLP:CLEAR (WHITE) documents are served to anyone; the others only to the
security office and to the accounts of the administrations they were sent to — to anyone else they do not exist."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from liaison.advisories.csaf import publisher, utc_text
from liaison.advisories.openpgp import instance_key, instance_user_id
from liaison.advisories.selectors import DIRECTORIES, published_document, published_documents
from liaison.audit.events import AuditEvent
from liaison.audit.services import record

TEXT = "text/plain; charset=utf-8"
SUFFIXES = ("", ".sha256", ".sha512", ".asc")


def _absolute(request: HttpRequest, name: str, *args: object) -> str:
    return request.build_absolute_uri(reverse(name, args=list(args)))


@require_safe
def provider_metadata_view(request: HttpRequest) -> HttpResponse:
    key = instance_key()
    latest = published_documents(user=None, directory="white").order_by("-published_at").first()
    last_updated = latest.published_at if latest and latest.published_at else datetime(2020, 1, 1, tzinfo=UTC)
    metadata = {
        "canonical_url": _absolute(request, "csaf:provider_metadata"),
        "distributions": [
            {"directory_url": _absolute(request, "csaf:directory", directory)} for directory in DIRECTORIES
        ],
        "last_updated": utc_text(last_updated),
        # A closed network's provider: aggregators are not asked to list or mirror it.
        "list_on_CSAF_aggregators": False,
        "metadata_version": "2.0",
        "mirror_on_CSAF_aggregators": False,
        "public_openpgp_keys": [
            {"fingerprint": key.fingerprint_hex, "url": _absolute(request, "csaf:openpgp_key", key.fingerprint_hex)}
        ],
        "publisher": publisher(),
        "role": "csaf_provider",
    }
    return HttpResponse(json.dumps(metadata, indent=2) + "\n", content_type="application/json")


@require_safe
def openpgp_key_view(request: HttpRequest, fingerprint: str) -> HttpResponse:
    key = instance_key()
    if fingerprint.upper() != key.fingerprint_hex:
        raise Http404
    return HttpResponse(key.public_key_block(instance_user_id()), content_type="application/pgp-keys")


@require_safe
def directory_view(request: HttpRequest, directory: str) -> HttpResponse:
    """A TLP directory's landing: its two listings, so that following `directory_url` leads somewhere."""
    published_documents(user=request.user, directory=directory)  # 404 for an unknown directory
    return HttpResponse("index.txt\nchanges.csv\n", content_type=TEXT)


@require_safe
def index_view(request: HttpRequest, directory: str) -> HttpResponse:
    """Every document of the directory the requester may fetch, one path per line (section 7.1.15)."""
    documents = published_documents(user=request.user, directory=directory).order_by("tracking_id")
    lines = [f"{a.year}/{a.file_name}" for a in documents.only("tracking_id")]
    return HttpResponse("".join(f"{line}\n" for line in lines), content_type=TEXT)


@require_safe
def changes_view(request: HttpRequest, directory: str) -> HttpResponse:
    """Path and last change of each document, newest first (section 7.1.16)."""
    documents = published_documents(user=request.user, directory=directory).order_by("-published_at", "tracking_id")
    rows = [
        f'"{a.year}/{a.file_name}","{utc_text(a.published_at)}"\n'
        for a in documents.only("tracking_id", "published_at")
        if a.published_at
    ]
    return HttpResponse("".join(rows), content_type=TEXT)


@require_safe
def document_view(request: HttpRequest, directory: str, year: int, file: str) -> HttpResponse:
    """A document, or its hash or signature file, named as section 7.1.18 says."""
    suffix = next((s for s in SUFFIXES[1:] if file.endswith(s)), "")
    name = file.removesuffix(suffix) if suffix else file
    if not name.endswith(".json"):
        raise Http404
    advisory = published_document(user=request.user, directory=directory, year=year, file_name=name)
    if directory != "white" and suffix == "":
        record(
            actor=request.user,
            event=AuditEvent.ADVISORY_DOWNLOADED,
            target=advisory,
            extra={"tlp": advisory.tlp},
            request=request,
        )
    if suffix == ".sha256":
        return HttpResponse(f"{advisory.sha256}  {name}\n", content_type=TEXT)
    if suffix == ".sha512":
        return HttpResponse(f"{advisory.sha512}  {name}\n", content_type=TEXT)
    if suffix == ".asc":
        return HttpResponse(advisory.signature, content_type="application/pgp-signature")
    return HttpResponse(advisory.document_bytes, content_type="application/json")
