"""The API reads JSON only, bounded in size and in depth: a body larger than the instance accepts is a 413, one
nested deeper than any request of this API needs is a 400 that says so — never an exhausted stack (a 2 kB body
nested 1,100 levels deep used to crash the interpreter's recursion limit)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def json_depth(value: Any) -> int:
    """How deeply arrays and objects nest in `value` (a scalar is 0), computed without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, Mapping):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _refuse_constant(name: str) -> None:
    raise ParseError(_("JSON parse error: %(value)s is not a number JSON allows.") % {"value": name})


class BoundedJSONParser(JSONParser):
    def parse(self, stream: IO[Any], media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge(
                _("The body is larger than %(size)d bytes, the most this instance accepts. Send less at once.")
                % {"size": limit}
            )
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_refuse_constant)
        except RecursionError:
            data = None
            too_deep = True
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": error}) from None
        else:
            too_deep = json_depth(data) > MAX_DEPTH
        if too_deep:
            raise ParseError(
                _("The JSON body is nested more than %(depth)d levels deep: no request of this API needs that.")
                % {"depth": MAX_DEPTH}
            )
        return data
