"""The OpenAPI description of the token scheme (drf-spectacular extension, registered when the app is ready)."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from liaison.api.auth import ApiTokenAuthentication


class LiaisonAutoSchema(AutoSchema):
    """drf-spectacular's schema, with what it leaves out of request bodies: a string that must not be blank must not
    be only white space either (the serializers trim it before they check it)."""

    def _map_serializer_field(self, field: Any, direction: str, bypass_extensions: bool = False) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and not field.allow_blank
            and field.trim_whitespace
            and schema.get("type") == "string"
            and "pattern" not in schema
            and "enum" not in schema
            and "format" not in schema
            and not any(isinstance(validator, RegexValidator) for validator in field.validators)
        ):
            schema["pattern"] = r"\S"
        return schema


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


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error of the API, whatever its status.",
    "properties": {
        "code": {
            "type": "string",
            "description": "Stable machine-readable code: invalid, unprocessable, refused, conflict, not_found, "
            "not_authenticated, authentication_failed, throttled, request_too_large, parse_error, "
            "unsupported_media_type, not_acceptable, method_not_allowed, server_error, …",
        },
        "detail": {"type": "string", "description": "What went wrong and what to do, in the reader's language."},
        "rule": {"type": "string", "description": "With `refused`: the rule of the policy that refused."},
        "failures": {
            "type": "array",
            "description": "With `refused` by the release rule: every failing rule, each with its code, the item it "
            "concerns (null for the release as a whole or an item you may not see), why, and what unblocks it.",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "item": {"type": "string", "format": "uuid", "nullable": True},
                    "message": {"type": "string"},
                    "unblock": {"type": "string"},
                },
                "required": ["code", "item", "message", "unblock"],
            },
        },
        "errors": {
            "type": "object",
            "additionalProperties": True,
            "description": "With `invalid` and `unprocessable`: the messages per field (`quotes.0.item` for nested).",
        },
    },
    "required": ["code", "detail"],
}

# (status, description, applies to: see `_applies`)
ERRORS: list[tuple[str, str, str]] = [
    ("400", "The request breaks the published schema, or its JSON cannot be read (too deep, malformed).", "input"),
    ("401", "No credentials, or a token that is unknown, revoked or expired.", "all"),
    ("403", "A role or a rule of the policy refused; `rule` names it.", "all"),
    ("404", "Unknown, or not visible to you: the same answer (also a page number past the last page).", "all"),
    ("406", "The client accepts no representation this API produces (it answers application/json).", "all"),
    (
        "409",
        "Out of step with the object's state: a workflow step out of order, a frozen report, a second approval.",
        "body|write",
    ),
    ("413", "The body is larger than the instance accepts.", "body"),
    ("415", "The body is not application/json.", "body"),
    (
        "422",
        "The request matches the schema but a rule refuses it: an unknown or unseen reference, a date that cannot "
        "be recorded, invisible direction-control characters or NUL in a text, a rule of the domain.",
        "input|write",
    ),
    ("429", "Too many failed authentications from this address: wait for Retry-After seconds.", "all"),
    ("500", "An unexpected error; nothing was saved.", "all"),
]


def _applies(scope: str, operation: dict[str, Any], method: str) -> bool:
    """Whether an error of `scope` applies: "all" operations, those with a "body", with "input" (a body or query
    parameters), or every "write" (any method but GET, body or not: a workflow action out of step is a 409);
    "a|b" is either."""
    has_body = "requestBody" in operation
    has_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
    applies = {"all": True, "body": has_body, "input": has_body or has_query, "write": method != "get"}
    return any(applies[part] for part in scope.split("|"))


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every operation documents every error status it can really answer,
    each as JSON with the one `Error` shape (the exception handler and the site's error handlers produce it)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status_code, description, scope in ERRORS:
                if not _applies(scope, operation, method):
                    continue
                answer: dict[str, Any] = {"description": description, "content": reference}
                if status_code == "401":
                    answer["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}, "required": True}}
                if status_code == "429":
                    answer["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "required": True}}
                responses[status_code] = answer
    return result
