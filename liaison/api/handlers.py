"""How the API pages lists and turns the domain's errors into HTTP answers: a role or rule refusal is a 403 that
names the rule, any other error a user can cause is a 400 with its message, an unseen object a plain 404."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from liaison.core.exceptions import DomainError, PolicyRefusal


class ApiPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, PolicyRefusal):
        set_rollback()
        return Response({"detail": exc.message, "rule": exc.rule}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DomainError):
        set_rollback()
        return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
