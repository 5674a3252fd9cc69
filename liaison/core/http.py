"""What every answer under the API's prefix shares: errors are JSON with a stable `code` and a `detail` message,
including the ones met before any API view runs (unknown address, oversized or malformed body, server error)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

API_PREFIX = "/api/v1/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error_response(status_code: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail}, status=status_code)
