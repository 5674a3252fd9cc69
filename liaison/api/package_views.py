"""API downloads of what a partner was given: the signed package PDF, the manifest and its detached signature, the
recall message and its signature. The release is fetched through the read rule (404 when unseen, exactly like an
unknown id); every download is audited like an export. The bytes are those the web downloads give."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.http import HttpResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.api.views import _user
from liaison.releases.package import (
    MANIFEST,
    MANIFEST_SIGNATURE,
    PACKAGE_PDF,
    RECALL,
    RECALL_SIGNATURE,
    release_download,
)
from liaison.releases.package_views import attachment_response
from liaison.releases.selectors import release_get


class PdfRenderer(BaseRenderer):
    """Lets a client that asks for application/pdf get the file; errors stay JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        return data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()


class ReleaseDownloadView(APIView):
    what = ""

    def get(self, request: Request, pk: UUID) -> HttpResponse:
        user = _user(request)
        release = release_get(user=user, pk=pk, request=request)
        return attachment_response(release_download(by=user, release=release, what=self.what, request=request))


JSON_FILE = {(200, "application/json"): OpenApiTypes.OBJECT}


class PackagePdfView(ReleaseDownloadView):
    what = PACKAGE_PDF
    renderer_classes = [JSONRenderer, PdfRenderer]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        """Errors are JSON whatever the client asked for: only the file itself is a PDF."""
        if isinstance(response, Response):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        operation_id="release_package_pdf",
        tags=["releases"],
        summary=gettext_lazy("The signed package PDF of an approved release (PAdES)."),
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, pk: UUID) -> HttpResponse:
        return super().get(request, pk)


class PackageManifestView(ReleaseDownloadView):
    what = MANIFEST

    @extend_schema(
        operation_id="release_package_manifest",
        tags=["releases"],
        summary=gettext_lazy("The manifest of an approved release: canonical JSON, exactly the bytes signed."),
        responses=JSON_FILE,
    )
    def get(self, request: Request, pk: UUID) -> HttpResponse:
        return super().get(request, pk)


class PackageSignatureView(ReleaseDownloadView):
    what = MANIFEST_SIGNATURE

    @extend_schema(
        operation_id="release_package_signature",
        tags=["releases"],
        summary=gettext_lazy("The detached Ed25519 signature of the manifest."),
        responses=JSON_FILE,
    )
    def get(self, request: Request, pk: UUID) -> HttpResponse:
        return super().get(request, pk)


class RecallMessageView(ReleaseDownloadView):
    what = RECALL

    @extend_schema(
        operation_id="release_recall_message",
        tags=["releases"],
        summary=gettext_lazy("The recall message of a recalled release: canonical JSON, exactly the bytes signed."),
        responses=JSON_FILE,
    )
    def get(self, request: Request, pk: UUID) -> HttpResponse:
        return super().get(request, pk)


class RecallSignatureView(ReleaseDownloadView):
    what = RECALL_SIGNATURE

    @extend_schema(
        operation_id="release_recall_signature",
        tags=["releases"],
        summary=gettext_lazy("The detached Ed25519 signature of the recall message."),
        responses=JSON_FILE,
    )
    def get(self, request: Request, pk: UUID) -> HttpResponse:
        return super().get(request, pk)
