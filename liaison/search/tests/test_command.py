"""`liaison search extract`: one entity per line from a file or standard input, with an optional gazetteer."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from liaison.search.gazetteer import DEMO_PATH


def test_extract_prints_kind_value_and_raw_per_line(tmp_path: Path, capsys) -> None:
    source = tmp_path / "note.txt"
    source.write_text("Joindre le 06 12 34 56 78\nou MAIL@Example.FR depuis 192.0.2.1.", encoding="utf-8")
    call_command("search", "extract", str(source))
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "phone\t+33612345678\t06 12 34 56 78",
        "email\tMAIL@example.fr\tMAIL@Example.FR",
        "ip\t192.0.2.1\t192.0.2.1",
    ]


def test_extract_reads_standard_input_with_a_region_and_a_gazetteer(monkeypatch, capsys) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"Kestrel Bay called (202) 555-0143.\x00\xff\xfe"))
    monkeypatch.setattr("sys.stdin", stdin)
    call_command("search", "extract", "-", "--region", "US", "--gazetteer", str(DEMO_PATH))
    assert capsys.readouterr().out.splitlines() == [
        "vessel\tKestrel Bay\tKestrel Bay",
        "phone\t+12025550143\t(202) 555-0143",
    ]


def test_a_missing_file_or_a_broken_gazetteer_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("search", "extract", str(tmp_path / "missing.txt"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("entries: 3\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Cannot load the gazetteer"):
        call_command("search", "extract", str(tmp_path / "missing.txt"), "--gazetteer", str(broken))
