"""`liaison advisories validate` checks files as publishing does and names each failing path."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from liaison.advisories.tests.builders import published, security
from liaison.testing.cast import Cast


def test_a_published_document_validates_and_a_tampered_one_is_named_with_its_path(cast: Cast, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_bytes(published(cast, security()).document_bytes)
    document = json.loads(good.read_bytes())
    document["document"]["tracking"]["revision_history"][0]["date"] = "last week"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    out = StringIO()
    with pytest.raises(CommandError, match="2 of 3 document"):
        call_command("advisories", "validate", str(good), str(bad), str(broken), stdout=out)
    lines = out.getvalue().splitlines()
    assert f"{good}: valid CSAF 2.0 (csaf_security_advisory)" in lines
    assert any(line.startswith(f"{bad}: /document/tracking/revision_history/0/date: ") for line in lines)
    assert any(line.startswith(f"{broken}: cannot be read as JSON") for line in lines)
