"""The gazetteer: names found whatever their spelling, whole words only, leftmost-longest, fast at 10,000 entries."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest

from liaison.search.gazetteer import Gazetteer, GazetteerEntry, demo_gazetteer


def names(gazetteer: Gazetteer, text: str) -> list[tuple[str, str, str]]:
    return [(m.kind, m.name, text[m.start : m.end]) for m in gazetteer.find(text)]


def test_demo_gazetteer_is_small_and_covers_the_three_kinds() -> None:
    gazetteer = demo_gazetteer()
    kinds = {m.kind for m in gazetteer.find("Ilona Marchetti, Corvane, Pelagic Dawn")}
    assert kinds == {"person", "organisation", "vessel"}
    assert 20 <= len(gazetteer) <= 60


def test_alias_case_and_accents_give_the_canonical_name() -> None:
    found = names(demo_gazetteer(), "Seen: bastien QUEREL near the mv northern wren.")
    assert found == [
        ("person", "Bastien Quérel-Hallé", "bastien QUEREL"),
        ("vessel", "Northern Wren", "mv northern wren"),
    ]


def test_aliases_in_other_scripts_match() -> None:
    found = names(demo_gazetteer(), "Встреча: Оксана  Довженкова; Ελένη Παπαδρακου.")
    assert [name for _, name, _ in found] == ["Oksana Dovzhenkova", "Eleni Papadrakou"]


def test_no_match_inside_a_word() -> None:
    gazetteer = Gazetteer([GazetteerEntry("organisation", "Corvane")])
    assert names(gazetteer, "Corvanes and XCorvane and corvane_x") == []
    assert names(gazetteer, "(Corvane)") == [("organisation", "Corvane", "Corvane")]


def test_leftmost_longest_wins() -> None:
    gazetteer = Gazetteer(
        [
            GazetteerEntry("organisation", "Corvane", aliases=("Corvane",)),
            GazetteerEntry("organisation", "Corvane Logistics Ltd"),
            GazetteerEntry("person", "Logistics Ltd Smith"),
        ]
    )
    assert names(gazetteer, "corvane logistics ltd smith") == [
        ("organisation", "Corvane Logistics Ltd", "corvane logistics ltd")
    ]


def test_offsets_survive_characters_that_fold_to_two() -> None:
    gazetteer = Gazetteer([GazetteerEntry("vessel", "Grosse Welle")])
    text = "Der Kutter „Große Welle“ lief aus."
    assert names(gazetteer, text) == [("vessel", "Grosse Welle", "Große Welle")]


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown gazetteer kind"):
        Gazetteer([GazetteerEntry("planet", "Mars")])


def test_yaml_file_loads_and_a_malformed_one_says_what_is_wrong(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("entries:\n  - kind: vessel\n    name: Kestrel Bay\n    aliases: [MV Kestrel]\n", encoding="utf-8")
    assert names(Gazetteer.from_yaml(good), "the MV Kestrel") == [("vessel", "Kestrel Bay", "MV Kestrel")]
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries:\n  - kind: vessel\n", encoding="utf-8")
    with pytest.raises(ValueError, match="entry 1 needs a 'kind' and a 'name'"):
        Gazetteer.from_yaml(bad)


def test_ten_thousand_entries_build_and_match() -> None:
    rng = random.Random(15)

    def word() -> str:
        return rng.choice(string.ascii_uppercase) + "".join(rng.choices(string.ascii_lowercase, k=7))

    entries = [
        GazetteerEntry(["person", "organisation", "vessel"][i % 3], f"{word()} {word()}", aliases=(f"{word()}",))
        for i in range(10_000)
    ]
    gazetteer = Gazetteer(entries)
    assert len(gazetteer) >= 19_900  # a random alias may repeat another
    picked = entries[1234], entries[9876]
    text = ("Lorem ipsum dolor sit amet. " * 400) + f"{picked[0].name} met {picked[1].aliases[0]}." + " filler" * 500
    found = gazetteer.find(text)
    assert [m.name for m in found] == [picked[0].name, picked[1].name]
