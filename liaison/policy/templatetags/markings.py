"""The classification banner shown at the top and bottom of every page that shows protected content: the highest
classification of what the page shows, with the union of its compartments."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from liaison.policy.classification import national_level_for_rank
from liaison.policy.models import ClassificationLevel, MarkedModel

register = template.Library()


@register.inclusion_tag("policy/banner.html", takes_context=True)
def marking_banner(
    context: template.Context, objects: Iterable[MarkedModel] | None, position: str = "top"
) -> dict[str, Any]:
    shown = list(objects or [])
    if not shown:
        return {"show": False}
    rank = max(obj.classification.rank for obj in shown)
    # Compartments by their name in the reader's language (a French page prints TERRORISME, not TERRORISM).
    compartments = sorted({c.name.upper() for obj in shown for c in obj.compartments.all()})
    # The top and bottom banners of one page share the national level they print: it is read once per rendering.
    levels: dict[int, ClassificationLevel | None] = context.render_context.get("marking_banner_levels") or {}
    if rank not in levels:
        levels[rank] = national_level_for_rank(rank)
        context.render_context["marking_banner_levels"] = levels
    level = levels[rank]
    return {
        "show": True,
        "label": level.label if level else "?",
        "rank": rank,
        "compartments": compartments,
        "position": position,
    }
