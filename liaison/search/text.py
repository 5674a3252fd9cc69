"""The one normalisation for matching text: `fold` (NFKC, case-folded, accents and format marks removed, whitespace
collapsed). Entity matching uses it now and search will use it later, so a query and a text always meet."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    """One character folded, before whitespace is collapsed: NFKC, case-fold, then NFKD without combining marks
    (accents) or format characters (bidirectional marks, zero-width joiners, soft hyphens)."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", char).casefold())
    return "".join(c for c in folded if unicodedata.category(c) not in ("Mn", "Cf"))


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index in `text` of the character it came from."""
    out: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index, char in enumerate(text):
        for piece in _fold_char(char):
            if piece.isspace():
                pending_space = bool(out)
                continue
            if pending_space:
                out.append(" ")
                offsets.append(index)
                pending_space = False
            out.append(piece)
            offsets.append(index)
    return "".join(out), offsets


def fold(text: str) -> str:
    """Text normalised for matching: "Élodie  DUPONT" and "elodie dupont" fold alike; other scripts stay readable."""
    return fold_with_offsets(text)[0]
