"""Report exports: watermarked PDFs with the banner on every page, PAdES-signed once approved, signed JSON, and the
offline `verify_report` command that tells a genuine export from an altered one."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime
from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pyhanko.pdf_utils.reader import PdfFileReader

from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.core.exceptions import DomainError
from liaison.exchanges.services import ItemInput, exchange_create, item_create
from liaison.keys.store import CA_CERT_FILE, key_dir
from liaison.policy.markings import Marking
from liaison.reports.exports import report_export_json, report_export_pdf
from liaison.reports.models import SECTIONS, Report, ReportExport
from liaison.reports.pdf import verify_pdf
from liaison.reports.services import Quote, report_approve, report_create, report_submit, report_update
from liaison.testing.cast import Cast

# Long enough that the report runs over several pages: the banner and watermark must be on each.
LONG_TEXT = "\n\n".join(f"Paragraph {n}: " + "the partner described the network in detail. " * 12 for n in range(14))


def _draft(cast: Cast) -> Report:
    exchange = exchange_create(
        by=cast.alice,
        kind="meeting",
        title="Quarterly meeting",
        occurred_at=datetime(2025, 3, 4, 10, 30),
        time_zone="Europe/Paris",
        partners=[cast.open_partner],
        marking=Marking(rank=1),
    )
    item = item_create(
        by=cast.alice,
        exchange=exchange,
        data=ItemInput(
            direction="received",
            originator_kind="partner",
            originator_partner=cast.open_partner,
            title="Courier route",
            text="The courier travels through the port every Tuesday.",
            source_reliability="B",
            information_credibility="2",
            marking=Marking(rank=3, compartments=frozenset({"terrorism"}), tlp="AMBER"),
        ),
    )
    report = report_create(by=cast.alice, exchange=exchange)
    sections = {name: f"{label} of the meeting." for name, label in SECTIONS}
    sections["information_received"] = LONG_TEXT
    return report_update(
        by=cast.alice,
        report=report,
        title="Report on the quarterly meeting",
        sections=sections,
        quotes=[Quote(item=item, extract="The courier travels through the port.")],
    )


@pytest.fixture
def draft(cast: Cast) -> Report:
    return _draft(cast)


@pytest.fixture
def approved(cast: Cast, draft: Report) -> Report:
    report_submit(by=cast.alice, report=draft)
    return report_approve(by=cast.carol, report=draft)


def _pages_text(path: Path) -> list[str] | None:
    """The text of each page, or None where poppler's pdftotext is not installed."""
    if shutil.which("pdftotext") is None:
        return None
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [page for page in out.split("\f") if page.strip()]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_the_pdf_carries_the_banner_and_the_watermark_on_every_page(cast: Cast, draft: Report, tmp_path: Path) -> None:
    data, export = report_export_pdf(by=cast.alice, report=draft)
    assert data.startswith(b"%PDF-")
    reader = PdfFileReader(BytesIO(data))
    info = reader.trailer_view["/Info"]
    assert info["/Keywords"] == export.code
    assert info["/Title"].startswith("SECRET / TERRORISM / TLP:AMBER / ORIGINATOR CONTROL")
    page_count = reader.root["/Pages"]["/Count"]
    assert page_count >= 2
    pages = _pages_text(_write(tmp_path, "draft.pdf", data))
    if pages is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the text of each page was not checked")
    assert len(pages) == page_count
    for number, page in enumerate(pages, start=1):
        flat = re.sub(r"\s+", "", page)  # pdftotext spaces words its own way
        assert flat.count("SECRET/TERRORISM/TLP:AMBER/ORIGINATORCONTROL") >= 2  # top and bottom margins
        assert export.code in flat
        assert cast.alice.alias in flat
        assert f"page{number}/{len(pages)}" in flat
    assert "DRAFT — not approved, not signed" in pages[0]


def test_a_draft_pdf_is_not_signed(cast: Cast, draft: Report) -> None:
    data, _export = report_export_pdf(by=cast.alice, report=draft)
    result = verify_pdf(data, (key_dir() / CA_CERT_FILE).read_bytes())
    assert not result.valid
    assert "no signature" in result.message


def test_an_approved_pdf_verifies_and_fails_once_one_signed_byte_changes(
    cast: Cast, approved: Report, tmp_path: Path
) -> None:
    data, export = report_export_pdf(by=cast.carol, report=approved)
    result = verify_pdf(data, (key_dir() / CA_CERT_FILE).read_bytes())
    assert result.valid and result.intact and result.trusted, result.message
    assert "report signing" in result.signer

    path = _write(tmp_path, f"{export.code}.pdf", data)
    call_command("verify_report", str(path))

    # One byte of the first signed range, inside the binary comment after the header: still a readable PDF.
    altered = bytearray(data)
    offset = data.index(b"\n", 0) + 2
    assert int(re.search(rb"/ByteRange \[\s*0 (\d+)", data).group(1)) > offset  # type: ignore[union-attr]
    altered[offset] ^= 0x01
    tampered = _write(tmp_path, "tampered.pdf", bytes(altered))
    with pytest.raises(CommandError, match=r"INVALID: PDF signature: .*altered"):
        call_command("verify_report", str(tampered))


def test_an_approved_pdf_does_not_verify_against_another_ca(cast: Cast, approved: Report, tmp_path: Path) -> None:
    from liaison.keys.store import keys_init

    other = tmp_path / "other-keys"
    keys_init(other)
    data, _export = report_export_pdf(by=cast.carol, report=approved)
    result = verify_pdf(data, (other / CA_CERT_FILE).read_bytes())
    assert not result.valid and result.intact and not result.trusted


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="pdfsig (poppler-utils) is not installed")
def test_poppler_pdfsig_says_the_signature_is_valid(cast: Cast, approved: Report, tmp_path: Path) -> None:
    data, _export = report_export_pdf(by=cast.carol, report=approved)
    path = _write(tmp_path, "signed.pdf", data)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid." in out


def test_the_json_export_verifies_and_fails_once_the_payload_is_edited(
    cast: Cast, approved: Report, tmp_path: Path
) -> None:
    data, export = report_export_json(by=cast.carol, report=approved)
    document = json.loads(data)
    assert document["payload"]["title"] == "Report on the quarterly meeting"
    assert document["signature"]["algorithm"] == "Ed25519"
    assert document["signature"]["key_id"] == approved.signing_key_id
    assert document["export"] == {
        "code": export.code,
        "exported_by": cast.carol.alias,
        "exported_at": document["export"]["exported_at"],
    }
    call_command("verify_report", str(_write(tmp_path, "report.json", data)))

    document["payload"]["sections"]["assessment"] = "Nothing to worry about."
    edited = _write(tmp_path, "edited.json", json.dumps(document).encode())
    with pytest.raises(CommandError, match=r"INVALID: the Ed25519 signature .* does not match the payload"):
        call_command("verify_report", str(edited))


def test_the_json_export_is_checked_against_the_key_given_not_the_one_it_carries(
    cast: Cast, approved: Report, tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    data, _export = report_export_json(by=cast.carol, report=approved)
    stranger = ed25519.Ed25519PrivateKey.generate().public_key()
    pem = stranger.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    key_path = _write(tmp_path, "stranger.pem", pem)
    with pytest.raises(CommandError, match="does not match the payload"):
        call_command("verify_report", str(_write(tmp_path, "r.json", data)), public_key=str(key_path))


def test_a_draft_cannot_be_exported_as_signed_json(cast: Cast, draft: Report) -> None:
    with pytest.raises(DomainError, match=r"Only an approved report can be exported as signed JSON\."):
        report_export_json(by=cast.alice, report=draft)
    assert not ReportExport.objects.exists()


def test_each_export_is_audited_with_its_own_code(cast: Cast, approved: Report) -> None:
    _pdf, first = report_export_pdf(by=cast.carol, report=approved)
    _json, second = report_export_json(by=cast.carol, report=approved)
    assert first.code != second.code
    assert re.fullmatch(r"EXP-[0-9A-F]{12}", first.code)
    assert {(e.format, e.code) for e in ReportExport.objects.filter(report=approved)} == {
        ("pdf", first.code),
        ("json", second.code),
    }
    entries = AuditEntry.objects.filter(event=AuditEvent.OBJECT_EXPORTED, target_id=str(approved.pk))
    assert sorted(json.loads(e.extra)["code"] for e in entries) == sorted([first.code, second.code])
    assert {e.actor_alias for e in entries} == {cast.carol.alias}
    assert len(first.sha256) == len(second.sha256) == 64


def test_keys_init_creates_only_what_is_missing_and_keys_show_prints_the_public_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from io import StringIO

    from liaison.keys.store import get_signer

    shown = StringIO()
    call_command("keys", "show", stdout=shown)
    assert f"Ed25519 key id: {get_signer().key_id}" in shown.getvalue()
    assert get_signer().public_key_pem().decode().strip() in shown.getvalue()
    assert str(key_dir() / CA_CERT_FILE) in shown.getvalue()

    monkeypatch.setenv("LIAISON_KEY_DIR", str(tmp_path / "keys"))
    first, second = StringIO(), StringIO()
    call_command("keys", "init", stdout=first)
    call_command("keys", "init", stdout=second)
    assert "instance-ed25519.pem" in first.getvalue() and "pdf-signing.pem" in first.getvalue()
    assert "nothing created" in second.getvalue()
