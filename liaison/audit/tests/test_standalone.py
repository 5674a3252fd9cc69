"""The tree, its proofs and the note format of the standalone verifier, against RFC 6962's definition written
plainly and against the published test vector of golang.org/x/mod/sumdb/note."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from liaison.audit import standalone


def reference_root(leaves: list[bytes]) -> bytes:
    """MTH as RFC 6962 2.1 defines it, recursively."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return standalone.node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 33, 64, 70])
def test_roots_and_proofs_follow_rfc_6962(size: int) -> None:
    leaves = [standalone.leaf_hash(i.to_bytes(32, "big")) for i in range(size)]
    tree = standalone.Tree(b"".join(leaves))
    frontier: list[bytes] = []
    for i, leaf in enumerate(leaves):
        standalone.frontier_append(frontier, i, leaf)
    assert tree.root() == reference_root(leaves) == standalone.frontier_root(frontier)
    for m in range(size + 1):
        old = reference_root(leaves[:m])
        assert tree.root(m) == old
        proof = tree.consistency_proof(m, size)
        assert standalone.verify_consistency(m, size, old, tree.root(), proof)
        if 0 < m < size:
            assert not standalone.verify_consistency(m, size, b"\x00" * 32, tree.root(), proof)
    for i in range(size):
        proof = tree.inclusion_proof(i, size)
        assert standalone.verify_inclusion(i, size, leaves[i], proof, tree.root())
        assert not standalone.verify_inclusion(i, size, b"\x01" * 32, proof, tree.root())


def test_notes_match_the_go_sumdb_note_test_vector() -> None:
    seed = base64.b64decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")[1:]
    key = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    vkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    assert standalone.verifier_key("PeterNeumann", key.public_key()) == vkey
    assert standalone.parse_verifier_key(vkey)[0] == "PeterNeumann"
    text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    signed = standalone.sign_note(text, "PeterNeumann", key.public_key(), key.sign)
    assert signed == (
        text + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6K"
        "E6RyyBwJnAM=\n"
    )


@pytest.mark.parametrize(
    "bad", ["", "name", "a+b+c", "PeterNeumann+00000000+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"]
)
def test_a_bad_verifier_key_is_refused_with_a_reason(bad: str) -> None:
    with pytest.raises(standalone.Malformed):
        standalone.parse_verifier_key(bad)
