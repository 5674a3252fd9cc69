"""The CSAF provider location as a CSAF client uses it: provider metadata → a distribution's directory → index.txt →
the document, whose .sha256 file matches the bytes served. TLP:CLEAR is public; TLP:GREEN reaches only the
administrations it was sent to and the security office."""

from __future__ import annotations

import hashlib
import json
from urllib.parse import urlsplit

from django.test import Client

from liaison.advisories import csaf
from liaison.advisories.tests.builders import federal_partner, informational, partner_account, published, security
from liaison.policy.markings import TLP
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as

METADATA = "/.well-known/csaf/provider-metadata.json"


def _get(client: Client, url: str) -> bytes:
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200, url
    return bytes(response.content)


def _read_as_a_csaf_client(client: Client, label: str) -> list[tuple[str, bytes, str]]:
    """Every document a client finds in the directory of `label`: (url, bytes, the .sha256 file's text)."""
    metadata = json.loads(_get(client, METADATA))
    directory = next(d["directory_url"] for d in metadata["distributions"] if d["directory_url"].endswith(f"/{label}/"))
    found = []
    for line in _get(client, directory + "index.txt").decode().splitlines():
        url = directory + line
        found.append((url, _get(client, url), _get(client, url + ".sha256").decode()))
    return found


def test_a_csaf_client_finds_the_public_advisory_and_checks_its_hash(cast: Cast, client: Client) -> None:
    advisory = published(cast, informational())
    metadata = json.loads(_get(client, METADATA))
    assert metadata["role"] == "csaf_provider" and metadata["metadata_version"] == "2.0"
    assert metadata["canonical_url"] == "http://testserver" + METADATA
    [(url, data, sha_file)] = _read_as_a_csaf_client(client, "white")
    assert url.endswith("/white/2026/liaison-sa-2026-0001.json")
    assert sha_file == f"{hashlib.sha256(data).hexdigest()}  liaison-sa-2026-0001.json\n"
    assert data == advisory.document_bytes
    assert csaf.validate(json.loads(data)) == []


def test_anonymous_readers_get_clear_and_404_for_green(cast: Cast, client: Client) -> None:
    clear = published(cast, informational())
    green = published(cast, security(tlp=TLP.GREEN), to=[federal_partner(cast)])
    assert client.get(f"/.well-known/csaf/white/{clear.year}/{clear.file_name}").status_code == 200
    for suffix in ("", ".sha256", ".sha512", ".asc"):
        assert client.get(f"/.well-known/csaf/green/{green.year}/{green.file_name}{suffix}").status_code == 404
    assert client.get("/.well-known/csaf/green/index.txt").content == b""


def test_a_partner_account_gets_the_green_advisory_sent_to_its_administration(cast: Cast, client: Client) -> None:
    interior = federal_partner(cast)
    finance = federal_partner(cast, "FIN", "Federal Public Service Finance")
    account, _contact = partner_account(cast, interior, "partner.interior")
    ours = published(cast, security(title="Ours"), to=[interior])
    theirs = published(cast, security(title="Theirs"), to=[finance])
    login_as(client, account)
    [(url, data, sha_file)] = _read_as_a_csaf_client(client, "green")
    assert url.endswith(ours.file_name) and data == ours.document_bytes
    assert sha_file.startswith(hashlib.sha256(data).hexdigest())
    assert client.get(f"/.well-known/csaf/green/{theirs.year}/{theirs.file_name}").status_code == 404


def test_staff_outside_the_security_office_get_404_for_green(cast: Cast, client: Client) -> None:
    green = published(cast, security(), to=[federal_partner(cast)])
    for member in (cast.carol, cast.erin, cast.ivy):
        login_as(client, member)
        assert client.get(f"/.well-known/csaf/green/{green.year}/{green.file_name}").status_code == 404
    login_as(client, cast.grace)
    assert client.get(f"/.well-known/csaf/green/{green.year}/{green.file_name}").status_code == 200


def test_amber_strict_documents_live_in_the_amber_directory(cast: Cast, client: Client) -> None:
    strict = published(cast, security(tlp=TLP.AMBER_STRICT))
    login_as(client, cast.grace)
    assert client.get(f"/.well-known/csaf/amber/{strict.year}/{strict.file_name}").status_code == 200
    assert client.get(f"/.well-known/csaf/red/{strict.year}/{strict.file_name}").status_code == 404


def test_changes_csv_lists_paths_and_release_times_newest_first(cast: Cast, client: Client) -> None:
    published(cast, informational())
    published(cast, informational(title="Second"))
    rows = client.get("/.well-known/csaf/white/changes.csv").content.decode().splitlines()
    assert rows == [
        '"2026/liaison-sa-2026-0001.json","2026-03-02T09:30:00Z"',
        '"2026/liaison-sa-2026-0002.json","2026-03-02T09:30:00Z"',
    ]


def test_the_metadata_names_the_openpgp_key_that_signs_the_documents(cast: Cast, client: Client) -> None:
    metadata = json.loads(_get(client, METADATA))
    [key] = metadata["public_openpgp_keys"]
    block = _get(client, key["url"]).decode()
    assert block.startswith("-----BEGIN PGP PUBLIC KEY BLOCK-----") and len(key["fingerprint"]) == 40


def test_clients_may_ask_head_first_and_may_not_post(cast: Cast, client: Client) -> None:
    assert client.head(METADATA).status_code == 200
    assert client.post(METADATA).status_code == 405
