"""The gazetteer: known persons, organisations and vessels, found in a text by their canonical name or an alias.

Matching runs one Aho-Corasick automaton (ahocorasick-rs) over the folded text (`liaison.search.text.fold`), so case,
accents and spacing do not matter; only whole words match, and where names overlap the leftmost, then the longest
wins. A gazetteer file is YAML::

    entries:
      - kind: person            # person, organisation or vessel
        name: Ilona Marchetti   # the canonical name, returned for every alias
        aliases: [I. Marchetti, Ilona Marchetti-Brun]
      - kind: vessel
        name: Northern Wren

`aliases` is optional; the canonical name always matches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from ahocorasick_rs import MATCHKIND_STANDARD, AhoCorasick

from liaison.search.text import fold, fold_with_offsets

KINDS = ("person", "organisation", "vessel")
DEMO_PATH = Path(__file__).resolve().parent / "gazetteer" / "demo.yaml"


@dataclass(frozen=True)
class GazetteerEntry:
    kind: str
    name: str
    aliases: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class GazetteerMatch:
    kind: str
    name: str
    start: int  # offsets in the original (unfolded) text
    end: int


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


class Gazetteer:
    """An automaton built once from the entries; `find(text)` returns the whole-word matches in order."""

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self._targets: list[tuple[str, str]] = []
        patterns: list[str] = []
        seen: set[str] = set()
        for entry in entries:
            if entry.kind not in KINDS:
                raise ValueError(f"Unknown gazetteer kind {entry.kind!r}: use one of {', '.join(KINDS)}.")
            for alias in (entry.name, *entry.aliases):
                pattern = fold(alias)
                if pattern and pattern not in seen:  # the first entry to claim an alias keeps it
                    seen.add(pattern)
                    patterns.append(pattern)
                    self._targets.append((entry.kind, entry.name))
        self._automaton = AhoCorasick(patterns, matchkind=MATCHKIND_STANDARD) if patterns else None

    def __len__(self) -> int:
        return len(self._targets)

    def find(self, text: str) -> list[GazetteerMatch]:
        if self._automaton is None or not text:
            return []
        folded, offsets = fold_with_offsets(text)
        candidates = [
            (start, end, index)
            for index, start, end in self._automaton.find_matches_as_indexes(folded, overlapping=True)
            if (start == 0 or not _is_word_char(folded[start - 1]))
            and (end == len(folded) or not _is_word_char(folded[end]))
        ]
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))  # leftmost, then longest
        matches: list[GazetteerMatch] = []
        taken_until = 0
        for start, end, index in candidates:
            if start < taken_until:
                continue
            taken_until = end
            kind, name = self._targets[index]
            matches.append(GazetteerMatch(kind=kind, name=name, start=offsets[start], end=offsets[end - 1] + 1))
        return matches

    @classmethod
    def from_yaml(cls, path: str | Path) -> Gazetteer:
        """Load a gazetteer file (format above); a malformed file raises ValueError saying what is wrong."""
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        rows = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            raise ValueError(f"{path}: expected a mapping with a list under 'entries'.")
        entries = []
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict) or not isinstance(row.get("name"), str) or not row.get("kind"):
                raise ValueError(f"{path}: entry {number} needs a 'kind' and a 'name'.")
            aliases = row.get("aliases") or []
            if not isinstance(aliases, list):
                raise ValueError(f"{path}: entry {number}: 'aliases' must be a list.")
            entries.append(
                GazetteerEntry(kind=str(row["kind"]), name=row["name"], aliases=tuple(str(a) for a in aliases))
            )
        return cls(entries)


def demo_gazetteer() -> Gazetteer:
    """The small fictitious gazetteer shipped with the demo."""
    return Gazetteer.from_yaml(DEMO_PATH)
