"""Framework catalogues: a good file imports whole (YAML and CSV alike), a bad one is refused whole with every
problem and its line, nothing of it imported; the command and the upload page say the same."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.core.exceptions import PolicyRefusal
from liaison.security.frameworks import CatalogueRefused
from liaison.security.models import Framework, FrameworkControl
from liaison.security.services import framework_import
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as

CATALOGUES = Path(__file__).resolve().parent.parent / "catalogues"
SAMPLE_YAML = CATALOGUES / "liaison-cyfun-sample.yaml"
SAMPLE_CSV = CATALOGUES / "liaison-cyfun-sample.csv"

YAML_HEAD = """framework:
  code: tiny
  version: "1"
  name_fr: Petit
  name_en: Tiny
  publisher: Us
controls:
"""
CSV_HEAD = (
    "id,level,function,category,title_fr,title_en,text_fr,text_en,key_measure,"
    "framework_code,framework_version,framework_name_fr,framework_name_en,framework_publisher\n"
)


def _yaml_control(cid: str, level: str = "basic", function: str = "PR") -> str:
    return f"- id: {cid}\n  level: {level}\n  function: {function}\n  title_fr: T {cid}\n  title_en: T {cid}\n"


def _csv_row(cid: str, level: str = "basic", function: str = "PR", code: str = "tiny") -> str:
    return f"{cid},{level},{function},PR.AA,T,T,,,false,{code},1,Petit,Tiny,Us\n"


def _refusal(name: str, text: str | bytes) -> list[str]:
    data = text if isinstance(text, bytes) else text.encode()
    with pytest.raises(CatalogueRefused) as refused:
        framework_import(name=name, data=data, by=None)
    assert not Framework.objects.exists() and not FrameworkControl.objects.exists()
    return refused.value.lines()


def _controls(framework: Framework) -> list[tuple]:
    return list(
        framework.controls.order_by("position").values_list(
            "control_id", "level", "function", "category", "title_fr", "title_en", "text_fr", "text_en",
            "is_key_measure", "position",
        )
    )  # fmt: skip


@pytest.mark.django_db
def test_the_shipped_catalogue_imports_with_its_levels_functions_and_key_measures() -> None:
    framework = framework_import(name=SAMPLE_YAML.name, data=SAMPLE_YAML.read_bytes(), by=None)
    assert (framework.code, framework.version) == ("liaison-cyfun-sample", "2026.1")
    controls = framework.controls.all()
    assert 36 <= controls.count() <= 40
    assert {c.level for c in controls} == {"basic", "important", "essential"}
    assert {c.function for c in controls} == {"GV", "ID", "PR", "DE", "RS", "RC"}
    mfa = controls.get(control_id="PR.AA-03.1")
    assert mfa.is_key_measure and mfa.category == "PR.AA" and mfa.title_fr and mfa.text_en
    entry = AuditEntry.objects.get(event=AuditEvent.FRAMEWORK_IMPORTED)
    assert '"sha256"' in entry.extra and framework.source_sha256 in entry.extra


@pytest.mark.django_db
def test_the_shipped_yaml_and_csv_import_to_identical_controls() -> None:
    from_yaml = framework_import(name=SAMPLE_YAML.name, data=SAMPLE_YAML.read_bytes(), by=None)
    yaml_controls, yaml_header = _controls(from_yaml), (from_yaml.name_fr, from_yaml.name_en, from_yaml.publisher)
    from_yaml.delete()
    from_csv = framework_import(name=SAMPLE_CSV.name, data=SAMPLE_CSV.read_bytes(), by=None)
    assert _controls(from_csv) == yaml_controls
    assert (from_csv.name_fr, from_csv.name_en, from_csv.publisher) == yaml_header


@pytest.mark.django_db
def test_levels_and_functions_are_accepted_in_any_case_and_by_english_name() -> None:
    text = YAML_HEAD + _yaml_control("A-1", "BASIC", "protect") + _yaml_control("A-2", "Essential", "rs")
    framework = framework_import(name="tiny.yml", data=text.encode(), by=None)
    assert list(framework.controls.values_list("level", "function")) == [("basic", "PR"), ("essential", "RS")]


@pytest.mark.django_db
def test_a_duplicate_control_id_is_refused_with_both_lines() -> None:
    text = YAML_HEAD + _yaml_control("A-1") + _yaml_control("A-2") + _yaml_control("A-1")
    assert _refusal("tiny.yaml", text) == ["line 18: duplicate control id A-1 (first at line 8)."]


@pytest.mark.django_db
def test_an_unknown_level_and_an_unknown_function_are_refused_with_their_lines() -> None:
    text = CSV_HEAD + _csv_row("A-1") + _csv_row("A-2", level="extreme") + _csv_row("A-3", function="XX")
    lines = _refusal("tiny.csv", text)
    assert lines[0] == "line 3: unknown level 'extreme': use basic, important or essential."
    assert lines[1].startswith("line 4: unknown function 'XX': use GV, ID, PR, DE, RS or RC")


@pytest.mark.django_db
def test_every_problem_is_listed_not_only_the_first() -> None:
    rows = "".join(_csv_row(f"A-{n}", level="bad") for n in range(60))
    lines = _refusal("tiny.csv", CSV_HEAD + rows)
    assert len(lines) == 51 and lines[-1] == "… and 10 more problem(s)."
    assert lines[0].startswith("line 2: ") and lines[49].startswith("line 51: ")


@pytest.mark.django_db
def test_a_missing_column_or_field_is_refused() -> None:
    header = CSV_HEAD.replace("level,", "")
    assert _refusal("tiny.csv", header + "A-1,PR,,T,T,,,false,tiny,1,P,T,U\n") == ["line 1: missing column(s): level."]
    text = YAML_HEAD + "- id: A-1\n  level: basic\n  function: PR\n  title_fr: T\n"
    assert _refusal("tiny.yaml", text) == ["line 8: the control's title_en is missing."]
    no_version = YAML_HEAD.replace('  version: "1"\n', "") + _yaml_control("A-1")
    assert _refusal("tiny.yaml", no_version) == ["line 2: the framework's version is missing."]


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused_with_line_and_byte_offset() -> None:
    data = (CSV_HEAD + _csv_row("A-1")).encode() + "B-2,basic,PR,,Sécurité,T,,,false,tiny,1,P,T,U\n".encode("latin-1")
    offset = data.index(b"\xe9")
    assert _refusal("tiny.csv", data) == [
        f"line 3: the file is not UTF-8 (byte offset {offset}, byte 0xe9): save it as UTF-8."
    ]


@pytest.mark.django_db
def test_framework_columns_must_be_identical_on_every_row() -> None:
    lines = _refusal("tiny.csv", CSV_HEAD + _csv_row("A-1") + _csv_row("A-2", code="other"))
    assert lines == ["line 3: framework_code differs from the first row ('tiny'): use one value on every row."]


@pytest.mark.django_db
def test_broken_yaml_is_refused_with_its_line() -> None:
    lines = _refusal("tiny.yaml", YAML_HEAD + "- id: [A-1\n  level: basic\n")
    assert lines[0].startswith("line ") and "not valid YAML" in lines[0]


@pytest.mark.django_db
def test_a_code_and_version_already_imported_is_refused_and_the_first_import_kept() -> None:
    text = (YAML_HEAD + _yaml_control("A-1")).encode()
    framework_import(name="tiny.yaml", data=text, by=None)
    with pytest.raises(CatalogueRefused) as refused:
        framework_import(name="tiny-again.yaml", data=text + _yaml_control("A-2").encode(), by=None)
    assert refused.value.lines() == [
        "line 2: framework tiny version 1 is already imported: give the new file another version."
    ]
    assert FrameworkControl.objects.count() == 1


def test_only_a_security_officer_imports_a_catalogue(cast: Cast) -> None:
    with pytest.raises(PolicyRefusal):
        framework_import(name="tiny.yaml", data=(YAML_HEAD + _yaml_control("A-1")).encode(), by=cast.erin)
    assert framework_import(name="tiny.yaml", data=(YAML_HEAD + _yaml_control("A-1")).encode(), by=cast.grace)


@pytest.mark.django_db
def test_the_command_imports_then_lists_counts_by_level() -> None:
    out = StringIO()
    call_command("security", "import-framework", str(SAMPLE_CSV), stdout=out)
    assert "imported liaison-cyfun-sample 2026.1: 38 controls" in out.getvalue()
    listing = StringIO()
    call_command("security", "frameworks", stdout=listing)
    assert "liaison-cyfun-sample 2026.1  38 controls (basic 15, important 14, essential 9)" in listing.getvalue()


@pytest.mark.django_db
def test_the_command_lists_each_problem_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(YAML_HEAD + _yaml_control("A-1", level="low") + _yaml_control("A-1"))
    err = StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("security", "import-framework", str(bad), stderr=err)
    assert "bad.yaml: line 8: unknown level 'low'" in err.getvalue()
    assert "bad.yaml: line 13: duplicate control id A-1 (first at line 8)." in err.getvalue()
    assert not Framework.objects.exists()


def test_the_upload_page_lists_every_problem_and_imports_nothing(cast: Cast, client: Client) -> None:
    login_as(client, cast.grace)
    text = CSV_HEAD + _csv_row("A-1", level="low") + _csv_row("A-1")
    upload = SimpleUploadedFile("bad.csv", text.encode(), content_type="text/csv")
    response = client.post("/security/frameworks/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "line 2: unknown level &#x27;low&#x27;" in page and "line 3: duplicate control id A-1" in page
    assert not Framework.objects.exists()


def test_the_upload_page_imports_a_good_file(cast: Cast, client: Client) -> None:
    login_as(client, cast.grace)
    upload = SimpleUploadedFile(SAMPLE_YAML.name, SAMPLE_YAML.read_bytes(), content_type="application/yaml")
    response = client.post("/security/frameworks/import/", {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "38 controls" in response.content.decode()
    assert Framework.objects.get().imported_by == cast.grace


@pytest.mark.django_db
def test_a_file_of_unknown_format_or_too_large_is_refused() -> None:
    assert _refusal("tiny.txt", YAML_HEAD) == ["line 1: name the file .yaml, .yml or .csv so its format is known."]
    assert _refusal("tiny.csv", b"") == ["line 1: the file is empty: the first line must name the columns."]
    assert _refusal("big.yaml", b"#" * (5 * 1024 * 1024 + 1)) == [
        "line 1: the file is larger than 5 MB: is it a catalogue?"
    ]
