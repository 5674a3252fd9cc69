"""What a break-glass page shows of an object: its own fields, read-only. Links to other objects are left out
(their titles belong to objects the window does not name); the author is shown by alias."""

from __future__ import annotations

from typing import Any

from django.db import models

from liaison.policy.models import MarkedModel

# Marking columns (the banner shows them) and the copies kept for signatures are not repeated.
HIDDEN = {
    "id",
    "classification",
    "releasable_to",
    "no_foreign_release",
    "handling_code",
    "tlp",
    "pap",
    "signed_payload",
    "signature",
    "signing_key_id",
}


def object_fields(obj: MarkedModel) -> list[tuple[str, Any]]:
    """(label, value) of each plain field of `obj`, in the model's order; empty values left out."""
    from liaison.accounts.models import User

    rows: list[tuple[str, Any]] = []
    for field in obj._meta.concrete_fields:
        if field.name in HIDDEN or isinstance(field, models.BinaryField):
            continue
        if isinstance(field, models.ForeignKey):
            if field.related_model is not User:
                continue
            related = getattr(obj, field.name)
            value: Any = related.alias if related is not None else ""
        elif field.choices:
            value = getattr(obj, f"get_{field.name}_display")()
        else:
            value = getattr(obj, field.attname)
        if value in ("", None, [], {}):
            continue
        rows.append((str(field.verbose_name), value))
    return rows
