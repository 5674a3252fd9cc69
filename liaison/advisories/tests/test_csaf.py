"""The CSAF 2.0 documents: what is published validates against the official OASIS schema, carries the TLP mapping
CSAF 2.0 expects, and a document that does not validate is refused with the failing JSON path."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from liaison.advisories import csaf
from liaison.advisories.models import AdvisoryStatus
from liaison.advisories.openpgp import instance_key, instance_user_id
from liaison.advisories.services import InvalidDocument, advisory_publish, publish_document
from liaison.advisories.tests.builders import RELEASED, approved, informational, published, security
from liaison.policy.markings import TLP
from liaison.testing.cast import Cast


def test_a_published_security_advisory_validates_against_the_official_schema(cast: Cast) -> None:
    advisory = published(cast, security())
    document = json.loads(advisory.document_bytes)
    assert csaf.schema_problems(document) == []
    assert csaf.validate(document) == []
    assert document["document"]["category"] == "csaf_security_advisory"
    assert document["document"]["tracking"]["id"] == "LIAISON-SA-2026-0001"
    assert document["document"]["tracking"]["status"] == "final"
    assert document["document"]["tracking"]["initial_release_date"] == "2026-03-02T09:30:00Z"
    assert document["vulnerabilities"][0]["cve"] == "CVE-2026-12345"
    assert document["vulnerabilities"][0]["product_status"]["known_affected"] == ["CSAFPID-0001", "CSAFPID-0002"]
    assert advisory.status == AdvisoryStatus.PUBLISHED


def test_a_published_informational_advisory_validates_and_lists_no_vulnerability(cast: Cast) -> None:
    document = json.loads(published(cast, informational()).document_bytes)
    assert csaf.validate(document) == []
    assert document["document"]["category"] == "csaf_informational_advisory"
    assert "vulnerabilities" not in document and "product_tree" not in document


@pytest.mark.parametrize(
    ("tlp", "label", "strict"),
    [
        (TLP.CLEAR, "WHITE", False),
        (TLP.GREEN, "GREEN", False),
        (TLP.AMBER, "AMBER", False),
        (TLP.AMBER_STRICT, "AMBER", True),
        (TLP.RED, "RED", False),
    ],
)
def test_tlp_2_labels_are_mapped_to_csafs_tlp_1_labels(cast: Cast, tlp: str, label: str, strict: bool) -> None:
    advisory = approved(cast, informational(tlp=tlp))
    distribution = csaf.build_document(advisory, released_at=RELEASED)["document"]["distribution"]
    assert distribution["tlp"] == {"label": label, "url": "https://www.first.org/tlp/"}
    assert ("AMBER+STRICT" in distribution["text"]) is strict


def test_a_document_without_a_title_is_refused_with_its_path(cast: Cast) -> None:
    advisory = approved(cast, security())
    document = csaf.build_document(advisory, released_at=RELEASED)
    del document["document"]["title"]
    with pytest.raises(InvalidDocument) as refused:
        publish_document(advisory, document, at=RELEASED)
    assert "/document: 'title' is a required property" in refused.value.message
    advisory.refresh_from_db()
    assert advisory.csaf_json is None and advisory.sha256 == ""


def test_a_revision_date_that_is_not_a_date_is_refused_with_its_path(cast: Cast) -> None:
    advisory = approved(cast, security())
    document = csaf.build_document(advisory, released_at=RELEASED)
    document["document"]["tracking"]["revision_history"][0]["date"] = "yesterday"
    problems = [str(p) for p in csaf.validate(document)]
    assert any(p.startswith("/document/tracking/revision_history/0/date: ") for p in problems), problems


def test_a_security_advisory_without_vulnerabilities_fails_the_profile_test(cast: Cast) -> None:
    document = csaf.build_document(approved(cast, security()), released_at=RELEASED)
    del document["vulnerabilities"]
    assert [str(p) for p in csaf.validate(document)] == [
        "/vulnerabilities: a security advisory needs at least one vulnerability"
    ]


def test_publishing_an_invalid_advisory_changes_nothing(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    advisory = approved(cast, security())
    monkeypatch.setattr(csaf, "publisher", lambda: {"category": "vendor-ish", "name": "x", "namespace": "x"})
    with pytest.raises(InvalidDocument) as refused:
        advisory_publish(advisory=advisory, by=cast.grace, now=RELEASED)
    assert "/document/publisher/category: " in refused.value.message
    advisory.refresh_from_db()
    assert advisory.status == AdvisoryStatus.APPROVED and advisory.published_at is None


@pytest.mark.skipif(not shutil.which("gpg"), reason="GnuPG checks the signature; not on every machine")
def test_the_documents_openpgp_signature_verifies_with_gpg(cast: Cast, tmp_path: Path) -> None:
    advisory = published(cast, security())
    (tmp_path / "key.asc").write_text(instance_key().public_key_block(instance_user_id()))
    (tmp_path / "doc.json").write_bytes(advisory.document_bytes)
    (tmp_path / "doc.json.asc").write_text(advisory.signature)
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    gpg = ["gpg", "--homedir", str(home), "--batch", "--status-fd", "1"]
    try:
        subprocess.run([*gpg, "--import", str(tmp_path / "key.asc")], check=True, capture_output=True)
        good = subprocess.run(
            [*gpg, "--verify", str(tmp_path / "doc.json.asc"), str(tmp_path / "doc.json")],
            capture_output=True,
            text=True,
        )
        assert good.returncode == 0 and "[GNUPG:] GOODSIG" in good.stdout
        (tmp_path / "doc.json").write_bytes(advisory.document_bytes.replace(b"SecureGate", b"SecureGat3"))
        bad = subprocess.run(
            [*gpg, "--verify", str(tmp_path / "doc.json.asc"), str(tmp_path / "doc.json")],
            capture_output=True,
            text=True,
        )
        assert bad.returncode != 0 and "[GNUPG:] BADSIG" in bad.stdout
    finally:  # gpg starts an agent for its home folder: stop it with the test
        subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "all"], capture_output=True)


def test_a_remediation_for_an_undefined_product_fails_csaf_libs_mandatory_test(cast: Cast) -> None:
    document = csaf.build_document(approved(cast, security()), released_at=RELEASED)
    document["vulnerabilities"][0]["remediations"][0]["product_ids"].append("CSAFPID-9999")
    problems = csaf.validate(document)
    assert [p.path for p in problems] == ["/product_tree"]
    assert "6.1.1" in problems[0].message and "CSAFPID-9999" in problems[0].message
