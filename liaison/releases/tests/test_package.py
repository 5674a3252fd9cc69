"""Release packages and recall messages: what approval produces, signed and stored encrypted; nothing written when
an item changed or rendering or signing fails; downloads for readers of the release, audited; offline checks."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from liaison.audit.models import AuditEntry
from liaison.core.exceptions import Conflict
from liaison.exchanges.services import ItemInput, item_update
from liaison.keys.store import get_signer, verify_ed25519
from liaison.releases import package as packages
from liaison.releases import services
from liaison.releases.models import Release, ReleaseAction, ReleasePackage, ReleaseStatus
from liaison.releases.verify import verify_release_file
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as
from liaison.testing.release_cast import release_cast


def _submitted(cast: Cast, **content: object) -> Release:
    release_cast(cast)  # the agreement with open_partner
    release = services.release_create(
        by=cast.alice,
        partner=cast.open_partner,
        justification="They asked about courier routes.",
        content=services.Content(**content) if content else services.Content(items=(cast.item,)),  # type: ignore[arg-type]
    )
    return services.release_submit(by=cast.alice, release=release)


def _download(client: Client, cast: Cast, name: str, release: Release, tmp_path: Path) -> Path:
    login_as(client, cast.alice)
    response = client.get(reverse(f"releases:{name}", args=[release.pk]))
    assert response.status_code == 200, name
    filename = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    path = tmp_path / filename
    path.write_bytes(response.content)
    return path


def test_an_approved_release_has_one_signed_package(cast: Cast) -> None:
    release = release_cast(cast).released
    assert release.status == ReleaseStatus.RELEASED
    package = ReleasePackage.objects.get(release=release)
    manifest_bytes = packages.package_manifest_bytes(package)
    assert hashlib.sha256(manifest_bytes).hexdigest() == package.manifest_sha256
    manifest = json.loads(manifest_bytes)
    assert manifest["format"] == packages.MANIFEST_FORMAT
    assert manifest["package"] == package.code and package.code.startswith("PKG-")
    assert manifest["release"] == str(release.pk)
    assert manifest["partner"]["id"] == str(cast.open_partner.pk)
    assert manifest["approver"] == cast.heidi.alias and manifest["requester"] == cast.alice.alias
    assert manifest["justification"] == "They asked about courier routes."
    [item] = manifest["content"]["items"]
    assert (item["id"], item["version"], item["text"]) == (str(cast.item.pk), cast.item.version, cast.item.text)
    assert item["marking"]["banner"].startswith(cast.item.classification.label)
    assert manifest["content_sha256"] == hashlib.sha256(packages.canonical(manifest["content"])).hexdigest()
    assert manifest["banner"] == manifest["marking"]["banner"]
    assert package.signing_key_id == get_signer().key_id
    public = get_signer().public_key_pem()
    assert verify_ed25519(public, base64.b64decode(package.signature), manifest_bytes)
    assert not verify_ed25519(
        public, base64.b64decode(package.signature), manifest_bytes.replace(b"courier", b"Courier")
    )
    pdf = packages.package_pdf(package)
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == package.pdf_sha256
    assert len(pdf) == package.pdf_size and pdf not in bytes(package.pdf_ciphertext)  # stored encrypted
    approved = AuditEntry.objects.get(event="release.approved", target_id=str(release.pk))
    extra = json.loads(approved.extra)
    assert extra["package"] == package.code and extra["pdf_sha256"] == package.pdf_sha256


def test_a_stored_package_that_was_altered_fails_its_integrity_check(cast: Cast) -> None:
    package = release_cast(cast).released.package
    ciphertext = bytearray(package.pdf_ciphertext)
    ciphertext[100] ^= 1
    package.pdf_ciphertext = bytes(ciphertext)
    with pytest.raises(services.DomainError, match="integrity check"):
        packages.package_pdf(package)


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="pdfsig (poppler-utils) is not installed")
def test_poppler_pdfsig_says_the_package_signature_is_valid(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "package.pdf"
    path.write_bytes(packages.package_pdf(release_cast(cast).released.package))
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid." in out


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_carries_the_banner_the_watermark_the_items_and_the_approval(cast: Cast, tmp_path: Path) -> None:
    package = release_cast(cast).released.package
    path = tmp_path / "package.pdf"
    path.write_bytes(packages.package_pdf(package))
    layout = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    text = " ".join(layout.split())
    manifest = json.loads(package.manifest)
    assert text.count(manifest["banner"]) >= 2  # top and bottom of the page
    assert package.code in text and cast.open_partner.name in text
    assert "courier routes" in text and cast.item.title in text
    assert f"Approved by {cast.heidi.alias}" in text and package.manifest_sha256[:40] in text


def test_a_tearline_package_carries_the_sanitised_text_and_names_its_sources_by_id_only(cast: Cast) -> None:
    tearline = release_cast(cast).tearline
    release = services.release_approve(by=cast.heidi, release=_submitted(cast, tearline=tearline))
    manifest = json.loads(release.package.manifest)
    assert "items" not in manifest["content"]
    assert manifest["content"]["tearline"]["text"] == "A network uses couriers."
    assert manifest["content"]["tearline"]["sources"] == [{"id": str(cast.item.pk), "version": cast.item.version}]
    assert cast.item.title not in release.package.manifest


def test_a_second_approval_is_a_conflict_and_there_is_one_package(cast: Cast) -> None:
    release = _submitted(cast)
    stale = Release.objects.get(pk=release.pk)  # a second click, on the page loaded before the first approval
    services.release_approve(by=cast.heidi, release=release)
    with pytest.raises(Conflict):
        services.release_approve(by=cast.heidi, release=stale)
    assert ReleasePackage.objects.filter(release=release).count() == 1
    assert release.events.filter(action=ReleaseAction.APPROVED).count() == 1


def _nothing_written(release: Release) -> None:
    release.refresh_from_db()
    assert release.status == ReleaseStatus.SUBMITTED and release.decided_by is None
    assert not ReleasePackage.objects.filter(release=release).exists()
    assert not release.events.filter(action=ReleaseAction.APPROVED).exists()
    assert not AuditEntry.objects.filter(event="release.approved", target_id=str(release.pk)).exists()


@pytest.mark.parametrize("step", ["get_signer", "render_package_pdf", "sign_pdf"])
def test_a_failure_while_rendering_or_signing_leaves_the_release_waiting_and_writes_nothing(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    release = _submitted(cast)

    def broken(*args: object, **kwargs: object) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(f"liaison.releases.package.{step}", broken)
    with pytest.raises(packages.PackageFailed, match="still waits for approval"):
        services.release_approve(by=cast.heidi, release=release)
    _nothing_written(release)
    monkeypatch.undo()
    assert services.release_approve(by=cast.heidi, release=release).status == ReleaseStatus.RELEASED


def test_an_item_changed_since_it_was_added_blocks_the_package(cast: Cast) -> None:
    release = _submitted(cast)
    item = cast.item
    item_update(
        by=cast.alice,
        item=item,
        data=ItemInput(
            direction=item.direction,
            originator_kind=item.originator_kind,
            originator_partner=item.originator_partner,
            title=item.title,
            text=item.text + " Updated.",
            source_reliability=item.source_reliability,
            information_credibility=item.information_credibility,
            marking=item.marking(),
        ),
    )
    with pytest.raises(Conflict, match="changed since it was added"):
        services.release_approve(by=cast.heidi, release=release)
    _nothing_written(release)


def test_a_recall_message_is_signed_and_names_the_package(cast: Cast) -> None:
    release = release_cast(cast).recalled
    recall = release.recall
    message = json.loads(recall.message)
    assert message["format"] == packages.RECALL_FORMAT
    assert message["package"] == release.package.code
    assert message["manifest_sha256"] == release.package.manifest_sha256
    assert message["partner"]["id"] == str(cast.open_partner.pk)
    assert (message["reason"], message["recalled_by"]) == ("Sent to the wrong desk.", cast.heidi.alias)
    assert message["action"] == "destroy_or_return" and message["instructions"]
    signature = base64.b64decode(recall.signature)
    assert verify_ed25519(get_signer().public_key_pem(), signature, recall.message.encode())
    assert not verify_ed25519(get_signer().public_key_pem(), signature, recall.message.replace("desk", "team").encode())


def test_downloads_are_the_stored_files_and_are_audited(cast: Cast, client: Client, tmp_path: Path) -> None:
    release = release_cast(cast).recalled
    package = release.package
    expected = {
        "package_pdf": packages.package_pdf(package),
        "package_manifest": package.manifest.encode(),
        "recall_message": release.recall.message.encode(),
    }
    for name, data in expected.items():
        assert _download(client, cast, name, release, tmp_path).read_bytes() == data
    signature = json.loads(_download(client, cast, "package_signature", release, tmp_path).read_bytes())
    assert signature["value"] == package.signature and signature["sha256"] == package.manifest_sha256
    exports = AuditEntry.objects.filter(event="object.exported", target_id=str(release.pk), actor_id=str(cast.alice.pk))
    extras = [json.loads(entry.extra) for entry in exports]
    assert sorted(e["format"] for e in extras) == ["manifest", "manifest_signature", "package_pdf", "recall"]
    assert {e["package"] for e in extras} == {package.code}


def test_the_verify_command_accepts_the_downloads_and_refuses_altered_ones(
    cast: Cast, client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = release_cast(cast).recalled
    files = {
        name: _download(client, cast, name, release, tmp_path)
        for name in ("package_pdf", "package_manifest", "package_signature", "recall_message", "recall_signature")
    }
    for name in ("package_pdf", "package_manifest", "recall_message"):
        call_command("verify_release", str(files[name]))
    assert capsys.readouterr().out.count("VALID: ") == 3

    manifest = files["package_manifest"]
    manifest.write_bytes(manifest.read_bytes().replace(b"courier", b"Courier"))
    with pytest.raises(CommandError, match=r"INVALID: .*does not match the release manifest"):
        call_command("verify_release", str(manifest))
    with pytest.raises(CommandError, match=r"INVALID: .*does not match the recall message"):
        call_command("verify_release", str(files["recall_message"]), "--signature", str(files["package_signature"]))
    pdf = files["package_pdf"]
    data = bytearray(pdf.read_bytes())
    data[len(data) // 3] ^= 1
    pdf.write_bytes(bytes(data))
    ok, message = verify_release_file(pdf)
    assert not ok, message
    with pytest.raises(CommandError, match="INVALID: "):
        call_command("verify_release", str(pdf))
    with pytest.raises(CommandError, match="cannot read the signature"):
        call_command("verify_release", str(files["recall_message"]), "--signature", str(tmp_path / "none.sig"))


def test_the_api_gives_the_same_files_to_readers_only(cast: Cast, client: Client) -> None:
    release = release_cast(cast).released
    login_as(client, cast.bob)
    response = client.get(reverse("api:release-package-manifest", args=[release.pk]))
    assert response.status_code == 200 and response.content == release.package.manifest.encode()
    response = client.get(reverse("api:release-package-pdf", args=[release.pk]), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == packages.package_pdf(release.package)
    login_as(client, cast.dave)
    response = client.get(reverse("api:release-package-manifest", args=[release.pk]))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
