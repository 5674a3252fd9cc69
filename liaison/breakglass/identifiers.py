"""What a break-glass request may name, read from what the administrator types: the address of an object's page
or its bare id. Parsing is syntax only, never a look-up, so the request form cannot tell whether an object exists
(no oracle): existence shows only during an approved window, where every read is recorded."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from liaison.core.exceptions import InputFieldError

# The marked objects a request may name: model label → the name of its page (None: no page, id only).
KINDS: dict[str, str | None] = {
    "partners.partner": "partners:detail",
    "partners.contact": None,
    "exchanges.exchange": "exchanges:detail",
    "exchanges.informationitem": "exchanges:item_detail",
    "reports.report": "reports:detail",
    "releases.release": "releases:detail",
    "releases.tearline": "releases:tearline_detail",
    "followup.followup": "followup:detail",
}
PAGES = {page: label for label, page in KINDS.items() if page is not None}
MAX_TARGETS = 20


@dataclass(frozen=True)
class Identifier:
    kind: str  # a model label of KINDS, or "" for a bare id (any kind)
    object_id: uuid.UUID
    entered: str


def parse_identifier(text: str) -> Identifier:
    """One identifier: a bare id, or the address (full or path) of a partner, exchange, item, report, release,
    tearline or follow-up page."""
    entered = text.strip()
    try:
        return Identifier("", uuid.UUID(entered), entered)
    except ValueError:
        pass
    path = urlsplit(entered).path
    try:
        match = resolve(path if path.endswith("/") else path + "/")
    except Resolver404:
        match = None
    label = PAGES.get(match.view_name) if match is not None else None
    if match is None or label is None or not isinstance(match.kwargs.get("pk"), uuid.UUID):
        raise InputFieldError(
            "objects",
            _(
                "“%(text)s” is neither an id nor the address of a partner, exchange, item, report, release, tearline "
                "or follow-up page. Paste the address of the object's page, or its id."
            )
            % {"text": entered[:120]},
        )
    return Identifier(label, match.kwargs["pk"], entered)


def parse_identifiers(text: str) -> list[Identifier]:
    """One identifier per line (blank lines ignored, repeats dropped); at least one, at most MAX_TARGETS."""
    found: list[Identifier] = []
    seen: set[tuple[str, uuid.UUID]] = set()
    for line in text.splitlines():
        if not line.strip():
            continue
        identifier = parse_identifier(line)
        if (identifier.kind, identifier.object_id) not in seen:
            seen.add((identifier.kind, identifier.object_id))
            found.append(identifier)
    if not found:
        raise InputFieldError("objects", _("Name at least one object: paste its page's address or its id."))
    if len(found) > MAX_TARGETS:
        raise InputFieldError(
            "objects",
            _("A request may name at most %(max)d objects; split it into several requests.") % {"max": MAX_TARGETS},
        )
    return found
