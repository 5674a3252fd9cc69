"""The OpenAPI description of the token scheme (drf-spectacular extension, registered when the app is ready)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from liaison.api.auth import ApiTokenAuthentication


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI description documents the token header."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": gettext_lazy('A personal API token with the prefix "Token", e.g. "Token 3fZ…".'),
        }
