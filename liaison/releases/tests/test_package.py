"""Release packages and recall messages: what approval produces, signed and stored; what a recall sends."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from liaison.core.exceptions import Conflict
from liaison.keys.store import get_signer, verify_ed25519
from liaison.releases import package as packages
from liaison.releases import services
from liaison.releases.models import ReleasePackage, ReleaseStatus
from liaison.testing.cast import Cast
from liaison.testing.release_cast import release_cast


def test_an_approved_release_has_one_signed_package(cast: Cast) -> None:
    releases = release_cast(cast)
    release = releases.released
    assert release.status == ReleaseStatus.RELEASED
    package = ReleasePackage.objects.get(release=release)
    manifest_bytes = packages.package_manifest_bytes(package)
    assert hashlib.sha256(manifest_bytes).hexdigest() == package.manifest_sha256
    manifest = json.loads(manifest_bytes)
    assert manifest["package"] == package.code and package.code.startswith("PKG-")
    assert manifest["release"] == str(release.pk)
    assert manifest["partner"]["id"] == str(cast.open_partner.pk)
    assert manifest["approver"] == cast.heidi.alias and manifest["requester"] == cast.alice.alias
    assert [item["id"] for item in manifest["content"]["items"]] == [str(cast.item.pk)]
    assert manifest["content"]["items"][0]["text"] == cast.item.text
    public = get_signer().public_key_pem()
    assert verify_ed25519(public, base64.b64decode(package.signature), manifest_bytes)
    pdf = packages.package_pdf(package)
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == package.pdf_sha256


def test_a_recall_message_is_signed(cast: Cast) -> None:
    recall = release_cast(cast).recalled.recall
    message = json.loads(recall.message)
    assert message["package"] == recall.release.package.code
    assert message["reason"] == "Sent to the wrong desk."
    assert verify_ed25519(get_signer().public_key_pem(), base64.b64decode(recall.signature), recall.message.encode())


def test_a_second_approval_is_a_conflict_and_there_is_one_package(cast: Cast) -> None:
    release = release_cast(cast).released
    with pytest.raises(Conflict):
        services.release_approve(by=cast.heidi, release=release)
    assert ReleasePackage.objects.filter(release=release).count() == 1
