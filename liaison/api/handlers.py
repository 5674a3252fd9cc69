"""How the API pages lists and turns every error into a JSON answer with a stable `code` and a `detail` message:
a role or rule refusal is a 403 that names the rule (a refusal of the release rule also lists every failing rule),
a request out of step with the object's state a 409, any other error a user can cause a 400 (with `errors` per
field where fields are at fault), an unseen object a plain 404. Errors raised before a view runs (unknown address,
oversized body, server error) get the same shape from `liaison.core.http.api_error_response`, used by the site's
error handlers for every path under `/api/v1/`."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import set_rollback

from liaison.api.serializers.release_output import shown_failures
from liaison.core.exceptions import Conflict, DomainError, PolicyRefusal
from liaison.releases.services import ReleaseRefused, failures_as_json

UNPROCESSABLE = "unprocessable"
# Errors about values that match the schema: rules of the domain, and characters no text may hold (NUL, lone
# surrogates), which JSON strings can carry but the database cannot store.
UNPROCESSABLE_CODES = {UNPROCESSABLE, "null_characters_not_allowed", "surrogate_characters_not_allowed"}


class ApiPagination(PageNumberPagination):
    """Pages of 50 by default; `page_size` between 1 and 200, refused (not ignored) when it is not."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Any) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_page_number(self, request: Any, paginator: Any) -> int | str:
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw in self.last_page_strings:
            return super().get_page_number(request, paginator)
        if not raw.isdigit() or int(raw) < 1:
            raise exceptions.ValidationError({self.page_query_param: [_("Give a page number from 1.")]})
        return int(raw)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
            if parameter["name"] == self.page_query_param:
                parameter["schema"] |= {"minimum": 1}
        return parameters


def _first_message(errors: Any) -> str:
    """The first message of DRF's nested field errors, to serve as `detail`."""
    while isinstance(errors, dict | list) and errors:
        errors = next(iter(errors.values())) if isinstance(errors, dict) else errors[0]
    return str(errors) if errors else ""


def _leaf_codes(codes: Any) -> set[str]:
    if isinstance(codes, dict):
        return set().union(*(_leaf_codes(c) for c in codes.values())) if codes else set()
    if isinstance(codes, list):
        return set().union(*(_leaf_codes(c) for c in codes)) if codes else set()
    return {str(codes)}


def _validation_answer(exc: exceptions.ValidationError) -> tuple[int, dict[str, Any]]:
    """400 when the body breaks the published schema; 422 when it matches it but a rule refuses every value at
    fault (all its errors carry the `unprocessable` code)."""
    errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    field = next(iter(errors), "non_field_errors")
    first = _first_message(errors[field]) if errors else ""
    code = UNPROCESSABLE if _leaf_codes(exc.get_codes()) <= UNPROCESSABLE_CODES else "invalid"
    body = {"code": code, "detail": first if field == "non_field_errors" else f"{field}: {first}", "errors": errors}
    return (status.HTTP_422_UNPROCESSABLE_ENTITY if code == UNPROCESSABLE else status.HTTP_400_BAD_REQUEST), body


def _body(exc: exceptions.APIException) -> dict[str, Any]:
    detail = exc.detail
    message = _first_message(detail) if isinstance(detail, dict | list) else str(detail)
    return {"code": str(exc.default_code), "detail": message}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, PolicyRefusal):
        set_rollback()
        body: dict[str, Any] = {"code": "refused", "rule": exc.rule, "detail": exc.message}
        if isinstance(exc, ReleaseRefused):  # every failing rule, naming only the items the caller may see
            body["failures"] = shown_failures(context["request"].user, failures_as_json(exc.decision))
        return Response(body, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Conflict):
        set_rollback()
        return Response({"code": "conflict", "detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DomainError):
        set_rollback()
        return Response({"code": UNPROCESSABLE, "detail": exc.message}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or not visible to you."))
    if not isinstance(exc, exceptions.APIException):
        return None  # an unexpected error: Django's 500 handler answers in JSON under /api/v1/
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
    set_rollback()
    if isinstance(exc, exceptions.ValidationError):
        status_code, body = _validation_answer(exc)
        return Response(body, status=status_code, headers=headers)
    return Response(_body(exc), status=exc.status_code, headers=headers)
