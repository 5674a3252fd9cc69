"""Free text that users write is shown in lists, pages and signed PDFs: it must not be able to disguise what is
shown. Unicode's explicit direction controls (embeddings, overrides and isolates, U+202A to U+202E and U+2066 to U+2069)
can make a title read backwards or hide part of it ("Trojan Source"); they are removed from what users write, and
the user is told. The directional marks (U+200E, U+200F, U+061C), which mixed French and Arabic text needs and which
reorder nothing beyond their neighbours, are kept."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bidi_controls_in(text: str) -> list[str]:
    """The direction controls found in `text`, as U+XXXX, each once, in order."""
    return list(dict.fromkeys(f"U+{ord(char):04X}" for char in BIDI_CONTROLS.findall(text)))


def bidi_controls_strip(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)


def bidi_controls_message(found: list[str]) -> str:
    return _(
        "This text contained invisible direction-control characters (%(chars)s) that can disguise how it reads; "
        "they were removed. Check the text and send it again."
    ) % {"chars": ", ".join(found)}


def bidi_controls_refusal(found: list[str]) -> str:
    """What a client that sent direction controls is told (the API refuses them rather than changing the text)."""
    return _(
        "Invisible direction-control characters (%(chars)s) can disguise how this text reads: remove them and send "
        "it again."
    ) % {"chars": ", ".join(found)}


def bidi_controls_paths(data: Any, path: str = "") -> dict[str, list[str]]:
    """Where, in a parsed JSON body, strings carry direction controls: {"title": [...], "quotes.0.extract": [...]}."""
    found: dict[str, list[str]] = {}
    stack: list[tuple[str, Any]] = [(path, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            controls = bidi_controls_in(value)
            if controls:
                found[where or "non_field_errors"] = controls
        elif isinstance(value, dict):
            stack.extend((f"{where}.{key}" if where else str(key), child) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((f"{where}.{index}" if where else str(index), child) for index, child in enumerate(value))
    return found


class TextForm(forms.Form):
    """A form whose free text cannot carry direction controls: they are removed from the value shown back, and the
    field says so, so that the user sees the cleaned text before it is recorded (nothing is saved that round)."""

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        for name in list(self.cleaned_data):
            value = self.cleaned_data[name]
            if not isinstance(value, str) or not BIDI_CONTROLS.search(value):
                continue
            key = self.add_prefix(name)
            data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
            data[key] = bidi_controls_strip(str(self.data.get(key, value)))
            self.data = data
            self.add_error(name, bidi_controls_message(bidi_controls_in(value)))
