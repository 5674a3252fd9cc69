#!/usr/bin/env python3
"""Verify an export of Liaison's audit log against signed checkpoints, trusting nothing but the instance's public
key. One file, the Python standard library and `cryptography`: no Django, no settings, no database. The instance
uses the same code (`liaison audit verify --checkpoint`, the auditor's page), so there is one implementation.

    python3 standalone.py --key instance.vkey --export audit.jsonl --checkpoint cp-1.txt [--checkpoint cp-2.txt …]

The log is a Merkle tree in the manner of RFC 6962 (RFC 9162, section 2.1): leaf i is the stored hash of the chain
entry of seq i + 1 (32 bytes), hashed as SHA-256(0x00 || leaf); an inner node is SHA-256(0x01 || left || right).
A checkpoint is a C2SP tlog-checkpoint signed note (origin, tree size, base64 root, one `time` extension line), signed
with Ed25519 (signed-note signature type 0x01). The export is JSON Lines: a header object, then one line per entry,
`{"hash":"<hex>","entry":<canonical JSON the hash covers>}`, in seq order.

Exit status: 0 when every check passes, 1 when a problem is found (each named on its own line), 2 when an input
cannot be read at all.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import itertools
import json
import os
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

EXPORT_FORMAT = "liaison-audit-export/1"
GENESIS_HEX = b"0" * 64
ED25519_TYPE = b"\x01"
MAX_SIGNATURES = 16
MAX_PROBLEMS = 20  # named one by one; the rest are counted

_sha256 = hashlib.sha256


# --- Merkle tree (RFC 6962 / RFC 9162) ------------------------------------------------------------------------------


def leaf_hash(leaf: bytes) -> bytes:
    return _sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = _sha256(b"").digest()


def _pow2_below(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def hash_level(level: bytes) -> bytes:
    """The next level up: each pair of nodes hashed, an odd last node carried up unchanged (which gives RFC 6962's
    tree: a node at level k whose index is below size >> k is the root of a full subtree of 2**k leaves)."""
    pairs = len(level) // 64
    up = b"".join([_sha256(b"\x01" + level[i : i + 64]).digest() for i in range(0, pairs * 64, 64)])
    return up + level[pairs * 64 :] if len(level) % 64 else up


class Tree:
    """Every level of the tree over `leaves` (leaf hashes, 32 bytes each, concatenated), kept as flat bytes."""

    def __init__(self, leaves: bytes, levels: list[bytes] | None = None) -> None:
        self.size = len(leaves) // 32
        if levels is None:
            levels = [leaves]
            while len(levels[-1]) > 32:
                levels.append(hash_level(levels[-1]))
        self.levels = levels

    def _node(self, height: int, index: int) -> bytes:
        return self.levels[height][index * 32 : index * 32 + 32]

    def range_root(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for the ranges RFC 6962 uses (start aligned to a power of two at least end - start):
        the full subtrees covering the range, folded from the right."""
        if end <= start:
            return EMPTY_ROOT
        parts = []
        while start < end:
            height = (end - start).bit_length() - 1
            while start % (1 << height):
                height -= 1
            parts.append(self._node(height, start >> height))
            start += 1 << height
        root = parts[-1]
        for part in reversed(parts[:-1]):
            root = node_hash(part, root)
        return root

    def root(self, size: int | None = None) -> bytes:
        return self.range_root(0, self.size if size is None else size)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """PATH(index, D[0:size]) (RFC 9162, 2.1.3.1)."""
        proof: list[bytes] = []
        start, end = 0, size
        while end - start > 1:
            k = _pow2_below(end - start)
            if index - start < k:
                proof.append(self.range_root(start + k, end))
                end = start + k
            else:
                proof.append(self.range_root(start, start + k))
                start += k
        return list(reversed(proof))

    def consistency_proof(self, old: int, new: int) -> list[bytes]:
        """PROOF(old, D[0:new]) (RFC 9162, 2.1.4.1)."""
        proof: list[bytes] = []
        if old <= 0 or old >= new:
            return proof
        start, end, m, complete = 0, new, old, True
        while True:
            n = end - start
            if m == n:
                if not complete:
                    proof.append(self.range_root(start, end))
                break
            k = _pow2_below(n)
            if m <= k:
                proof.append(self.range_root(start + k, end))
                end = start + k
            else:
                proof.append(self.range_root(start, start + k))
                start, m, complete = start + k, m - k, False
        return list(reversed(proof))


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162, 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(old: int, new: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162, 2.1.4.2 (an empty old tree is consistent with any tree)."""
    if old > new:
        return False
    if old == new:
        return not proof and old_root == new_root
    if old == 0:
        return not proof
    path = list(proof)
    if old & (old - 1) == 0:  # a power of two: the old root is itself the first node of the path
        path.insert(0, old_root)
    if not path:
        return False
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == new_root


def frontier_append(frontier: list[bytes], size: int, leaf: bytes) -> None:
    """Append one leaf hash to the compact range of a tree of `size` leaves (the roots of its full subtrees, largest
    first, one per bit set in `size`): what the instance stores with each checkpoint to extend it cheaply."""
    node = leaf
    while size & 1:
        node = node_hash(frontier.pop(), node)
        size >>= 1
    frontier.append(node)


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    if not frontier:
        return EMPTY_ROOT
    root = frontier[-1]
    for node in reversed(frontier[:-1]):
        root = node_hash(node, root)
    return root


# --- Signed notes and checkpoints (C2SP signed-note, tlog-checkpoint) ------------------------------------------------


class Malformed(ValueError):
    """A signed note, checkpoint, key or export that does not follow its format; the message says what is wrong."""


def raw_public_key(key: ed25519.Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def check_key_name(name: str) -> str:
    if not name or any(ch.isspace() for ch in name) or "+" in name:
        raise Malformed(f"{name!r} cannot name a key: it must be non-empty, without spaces or '+'")
    return name


def note_key_id(name: str, key: ed25519.Ed25519PublicKey) -> bytes:
    """The signed-note key ID: SHA-256(name || 0x0A || 0x01 || 32-byte public key)[:4]."""
    return _sha256(name.encode() + b"\n" + ED25519_TYPE + raw_public_key(key)).digest()[:4]


def verifier_key(name: str, key: ed25519.Ed25519PublicKey) -> str:
    """The verifier key in the form golang.org/x/mod/sumdb/note reads: `<name>+<key ID hex>+<base64(0x01 || key)>`."""
    data = base64.b64encode(ED25519_TYPE + raw_public_key(key)).decode()
    return f"{check_key_name(name)}+{note_key_id(name, key).hex()}+{data}"


def parse_verifier_key(text: str) -> tuple[str, ed25519.Ed25519PublicKey]:
    parts = text.strip().split("+", 2)
    if len(parts) != 3:
        raise Malformed("a verifier key is <name>+<key id>+<key>")
    name, key_id, data = parts
    try:
        raw = base64.b64decode(data, validate=True)
    except binascii.Error as error:
        raise Malformed("the verifier key's key is not base64") from error
    if len(raw) != 33 or raw[:1] != ED25519_TYPE:
        raise Malformed("the verifier key is not an Ed25519 key (type 0x01, 32 bytes)")
    key = ed25519.Ed25519PublicKey.from_public_bytes(raw[1:])
    if note_key_id(check_key_name(name), key).hex() != key_id.lower():
        raise Malformed("the verifier key's key id does not match its name and key")
    return name, key


def load_public_key(data: bytes) -> tuple[str | None, ed25519.Ed25519PublicKey]:
    """A verifier key line (which names the log) or a PEM Ed25519 public key (which does not)."""
    text = data.decode("utf-8", "replace").strip()
    for line in text.splitlines():
        if "+" in line and not line.startswith(("-", "#")) and " " not in line.strip():
            return parse_verifier_key(line)
    if "-----BEGIN" in text:
        start = text.index("-----BEGIN")
        try:
            key = serialization.load_pem_public_key(text[start:].encode())
        except ValueError as error:
            raise Malformed("the PEM public key cannot be read") from error
        if not isinstance(key, ed25519.Ed25519PublicKey):
            raise Malformed("the public key is not an Ed25519 key")
        return None, key
    raise Malformed("no Ed25519 public key found (expected a verifier key line or a PEM public key)")


def checkpoint_text(origin: str, size: int, root: bytes, time: datetime | None = None) -> str:
    lines = [check_key_name(origin), str(size), base64.b64encode(root).decode()]
    if time is not None:
        lines.append("time " + time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return "\n".join(lines) + "\n"


def sign_note(text: str, name: str, key: ed25519.Ed25519PublicKey, sign: Callable[[bytes], bytes]) -> str:
    """The signed note: the text, a blank line, one signature line `— <name> base64(key ID || signature)`."""
    if not text.endswith("\n"):
        raise Malformed("a note's text ends with a newline")
    signature = sign(text.encode())
    return f"{text}\n\u2014 {name} {base64.b64encode(note_key_id(name, key) + signature).decode()}\n"


@dataclass(frozen=True)
class NoteSignature:
    name: str
    key_id: bytes
    signature: bytes


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    time: str  # from the `time` extension line, "" if none
    text: str  # the signed text
    signatures: tuple[NoteSignature, ...]

    def signed_by(self, name: str, key: ed25519.Ed25519PublicKey) -> bool | None:
        """True if a signature by (name, key) verifies, False if one is there and fails, None if there is none."""
        key_id = note_key_id(name, key)
        found = [s for s in self.signatures if s.name == name and s.key_id == key_id]
        if not found:
            return None
        try:
            for sig in found:
                key.verify(sig.signature, self.text.encode())
        except InvalidSignature:
            return False
        return True


def parse_checkpoint(data: bytes) -> Checkpoint:
    """Read a signed checkpoint; raise `Malformed` naming what is wrong."""
    try:
        note = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Malformed("the note is not valid UTF-8") from error
    if any(ord(ch) < 0x20 and ch != "\n" for ch in note):
        raise Malformed("the note holds control characters")
    if not note.endswith("\n"):
        raise Malformed("the note does not end with a newline (cut short?)")
    cut = note.rfind("\n\n")
    if cut < 0:
        raise Malformed("the note has no blank line before its signatures")
    text, sig_block = note[: cut + 1], note[cut + 2 :]
    signatures = []
    for line in sig_block.splitlines():
        if not line.startswith("\u2014 "):
            raise Malformed(f"{line[:40]!r} is not a signature line ('— <name> <signature>')")
        parts = line[2:].split(" ")
        if len(parts) != 2:
            raise Malformed("a signature line is '— <name> <base64 signature>'")
        name, encoded = parts
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error as error:
            raise Malformed("a signature is not base64") from error
        if len(raw) < 5:
            raise Malformed("a signature is too short")
        signatures.append(NoteSignature(check_key_name(name), raw[:4], raw[4:]))
    if not signatures:
        raise Malformed("the note carries no signature")
    if len(signatures) > MAX_SIGNATURES:
        raise Malformed(f"the note carries more than {MAX_SIGNATURES} signatures")
    lines = text[:-1].split("\n")
    if len(lines) < 3 or not all(lines):
        raise Malformed("a checkpoint's text is three non-empty lines (origin, tree size, root hash) at least")
    origin, size_line, root_line = lines[:3]
    if not size_line.isascii() or not size_line.isdigit() or (size_line != "0" and size_line.startswith("0")):
        raise Malformed(f"the tree size {size_line[:30]!r} is not a decimal number")
    try:
        root = base64.b64decode(root_line, validate=True)
    except binascii.Error as error:
        raise Malformed("the root hash is not base64") from error
    if len(root) != 32:
        raise Malformed("the root hash is not 32 bytes")
    time = next((line[5:] for line in lines[3:] if line.startswith("time ")), "")
    return Checkpoint(origin, int(size_line), root, time, text, tuple(signatures))


# --- Reading the export ---------------------------------------------------------------------------------------------

_PREFIX = b'{"hash":"'
_MIDDLE = b'","entry":'
_PAYLOAD_AT = len(_PREFIX) + 64 + len(_MIDDLE)
_PREV = b',"prev_hash":"'
_SEQ = b'","seq":'


def entry_line(entry_hash: str, payload: str) -> bytes:
    """One entry of the export: its stored hash and the canonical JSON that hash covers (valid JSON as a whole)."""
    return b"".join((_PREFIX, entry_hash.encode(), _MIDDLE, payload.encode(), b"}\n"))


@dataclass
class Anomaly:
    kind: str  # "content", "seq", "link", "unreadable"
    position: int
    seq: int = 0
    before: int = 0  # "seq": the seq of the entry before
    prev: bytes = b""  # "link": the previous hash the entry names (hex)


@dataclass
class Scan:
    """What one pass over entry lines found: the stored hashes and leaf hashes, seqs, and what did not fit."""

    count: int = 0
    hashes: bytearray = field(default_factory=bytearray)
    leaves: bytearray = field(default_factory=bytearray)
    seqs: array = field(default_factory=lambda: array("q"))
    anomalies: list[Anomaly] = field(default_factory=list)
    first_prev: bytes = b""
    last_hash: bytes = b""


def scan_entries(lines: Iterable[bytes], first_position: int = 0) -> Scan:
    """Check each entry line: its hash against its content, its seq against the one before, its link to the hash
    before. The first line's seq and link are left to the caller (`Scan.first_prev`), who knows what precedes it."""
    scan = Scan()
    hashes, leaves, seqs, anomalies = scan.hashes, scan.leaves, scan.seqs, scan.anomalies
    sha, unhex = _sha256, binascii.unhexlify
    last_seq, last_hex = -1, b""
    position = first_position
    for line in lines:
        hex_hash = line[9:73]
        try:
            if line[:9] != _PREFIX or line[73:_PAYLOAD_AT] != _MIDDLE or line[-2:] != b"}\n":
                raise ValueError("not an entry line")
            payload = line[_PAYLOAD_AT:-2]
            stored = unhex(hex_hash)
            at = payload.rfind(_PREV)
            prev = payload[at + 14 : at + 78]
            end = payload.index(b",", at + 86)
            if at < 0 or payload[at + 78 : at + 86] != _SEQ:
                raise ValueError("no prev_hash and seq")
            seq = int(payload[at + 86 : end])
        except ValueError:
            anomalies.append(Anomaly("unreadable", position))
            stored, seq, prev, hex_hash = b"\0" * 32, last_seq + 1, last_hex, hex_hash
        else:
            if sha(payload).digest() != stored:
                anomalies.append(Anomaly("content", position, seq))
            if position == first_position:
                scan.first_prev = prev
            else:
                if seq != last_seq + 1:
                    anomalies.append(Anomaly("seq", position, seq, before=last_seq))
                if prev != last_hex:
                    anomalies.append(Anomaly("link", position, seq, prev=prev))
        hashes += stored
        leaves += sha(b"\x00" + stored).digest()
        seqs.append(seq)
        last_seq, last_hex = seq, hex_hash
        position += 1
    scan.count = position - first_position
    scan.last_hash = last_hex
    return scan


@dataclass
class Log:
    """An export read: its header, the entries' scan, and the tree over them."""

    header: dict[str, object]
    scan: Scan
    tree: Tree


def _read_header(line: bytes) -> dict[str, object]:
    try:
        header = json.loads(line)
    except ValueError as error:
        raise Malformed("the export's first line is not a JSON header") from error
    if not isinstance(header, dict) or header.get("format") != EXPORT_FORMAT:
        raise Malformed(f"the export is not in the {EXPORT_FORMAT} format")
    return header


def _check_start(scan: Scan) -> None:
    if scan.count and scan.seqs[0] != 1:
        scan.anomalies.insert(0, Anomaly("seq", 0, scan.seqs[0], before=0))
    if scan.count and scan.first_prev != GENESIS_HEX:
        scan.anomalies.insert(0, Anomaly("link", 0, scan.seqs[0], prev=scan.first_prev))


def read_lines(lines: Iterable[bytes]) -> Log:
    """Read an export from its lines (the instance passes its own, straight from the database)."""
    iterator = iter(lines)
    header = _read_header(next(iterator, b""))
    scan = scan_entries(iterator)
    _check_start(scan)
    return Log(header, scan, Tree(bytes(scan.leaves)))


def _scan_range(path: str, start: int, end: int, first_position: int) -> Scan:
    with open(path, "rb") as file:
        file.seek(start)
        data = file.read(end - start)
    return scan_entries(data.splitlines(keepends=True), first_position)


def _split(path: str, body_start: int, parts: int) -> list[tuple[int, int, int]]:
    """Byte ranges of about equal size that start and end at line boundaries, with each range's first position."""
    size = os.path.getsize(path)
    bounds = [body_start]
    with open(path, "rb") as file:
        for i in range(1, parts):
            file.seek(max(bounds[-1], body_start + (size - body_start) * i // parts))
            file.readline()
            bounds.append(max(file.tell(), bounds[-1]))
    bounds.append(size)
    ranges, position = [], 0
    with open(path, "rb") as file:
        for start, end in itertools.pairwise(bounds):
            ranges.append((start, end, position))
            file.seek(start)
            position += file.read(end - start).count(b"\n")
    return ranges


def _join(scans: list[Scan]) -> Scan:
    whole = scans[0]
    for part in scans[1:]:
        if not part.count:
            continue
        position = whole.count
        if whole.count:
            if part.seqs[0] != whole.seqs[-1] + 1:
                whole.anomalies.append(Anomaly("seq", position, part.seqs[0], before=whole.seqs[-1]))
            if part.first_prev != whole.last_hash:
                whole.anomalies.append(Anomaly("link", position, part.seqs[0], prev=part.first_prev))
        else:
            whole.first_prev = part.first_prev
        whole.hashes += part.hashes
        whole.leaves += part.leaves
        whole.seqs.extend(part.seqs)
        whole.anomalies.extend(part.anomalies)
        whole.count += part.count
        whole.last_hash = part.last_hash
    whole.anomalies.sort(key=lambda a: a.position)
    return whole


def read_file(path: str, workers: int = 1) -> Log:
    """Read an export file, in `workers` processes (each scans a part of the file; the parent joins them)."""
    with open(path, "rb") as file:
        header = _read_header(file.readline())
        body_start = file.tell()
    ranges = _split(path, body_start, max(1, workers))
    if workers > 1 and len(ranges) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            scans = list(pool.map(_scan_range, [path] * len(ranges), *zip(*ranges, strict=True)))
    else:
        scans = [_scan_range(path, *r) for r in ranges]
    scan = _join(scans)
    _check_start(scan)
    return Log(header, scan, Tree(bytes(scan.leaves)))


# --- Verdicts -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """One finding. `code` is stable: ok, edited, deleted, reordered, unlinked, unreadable, truncated, rewritten,
    changed, fork, foreign, bad_signature, malformed_checkpoint."""

    code: str
    message: str
    checkpoint: str = ""  # the label of the checkpoint concerned

    @property
    def ok(self) -> bool:
        return self.code == "ok"


@dataclass
class Report:
    size: int
    root: bytes
    verdicts: list[Verdict]
    problem_count: int

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def codes(self) -> set[str]:
        return {v.code for v in self.verdicts if not v.ok}

    def lines(self) -> list[str]:
        out = [("OK" if v.ok else "PROBLEM") + f" [{v.code}] " + v.message for v in self.verdicts]
        shown = sum(1 for v in self.verdicts if not v.ok)
        if self.problem_count > shown:
            out.append(f"PROBLEM … and {self.problem_count - shown} more")
        return out


def _chain_verdicts(scan: Scan) -> tuple[list[Verdict], int, list[int]]:
    """Name what the chain's anomalies mean; returns the verdicts, their number and the positions concerned."""
    verdicts: list[Verdict] = []
    count = 0
    positions: list[int] = []
    seqs = scan.seqs
    by_hash: dict[bytes, int] | None = None
    by_seq: dict[int, int] | None = None
    explained: set[int] = set()  # positions whose broken link or content another verdict explains

    def add(code: str, message: str, *where: int) -> None:
        nonlocal count
        count += 1
        positions.extend(where)
        if len(verdicts) < MAX_PROBLEMS:
            verdicts.append(Verdict(code, message))

    def seq_at(position: int) -> int:
        return seqs[position] if 0 <= position < len(seqs) else 0

    for anomaly in scan.anomalies:
        if anomaly.kind == "unreadable":
            add("unreadable", f"line {anomaly.position + 2} of the export is not an entry line", anomaly.position)
            explained.add(anomaly.position)
            explained.add(anomaly.position + 1)
        elif anomaly.kind == "seq":
            if by_seq is None:
                by_seq = {seq: i for i, seq in enumerate(seqs)}
            i, seq, before = anomaly.position, anomaly.seq, anomaly.before
            moved = [s for s in range(before + 1, min(seq, before + 1000)) if s in by_seq]
            if seq <= before or moved:
                add("reordered", f"entry #{seq} stands after entry #{before}: entries are out of order", i)
            else:
                missing = f"#{before + 1}" if seq == before + 2 else f"#{before + 1} to #{seq - 1}"
                add("deleted", f"entry {missing} is missing: the sequence jumps from #{before} to #{seq}", i)
            explained.add(i)
    for anomaly in scan.anomalies:
        if anomaly.kind != "link" or anomaly.position in explained:
            continue
        if by_hash is None:
            by_hash = {bytes(scan.hashes[j * 32 : j * 32 + 32]): j for j in range(scan.count)}
        i = anomaly.position
        try:
            target = by_hash.get(binascii.unhexlify(anomaly.prev))
        except (binascii.Error, ValueError):
            target = None
        if target is not None and target != i - 1:
            where = "after" if target > i else "before"
            add(
                "reordered",
                f"entry #{seq_at(i)} links to entry #{seq_at(target)}, which stands {where} it: entries are out of "
                "order",
                i,
                target,
            )
            explained.update({i, target})
        elif any(a.kind == "content" and a.position == i - 1 for a in scan.anomalies):
            pass  # the entry before was edited: named below
        else:
            add(
                "unlinked",
                f"entry #{seq_at(i)} does not link to entry #{seq_at(i - 1)}: the entry before it was replaced "
                "(edited with its hash recomputed)",
                i,
            )
    for anomaly in scan.anomalies:
        if anomaly.kind == "content" and anomaly.position not in explained:
            add("edited", f"entry #{anomaly.seq} was edited: its hash does not match its content", anomaly.position)
    return verdicts, count, positions


@dataclass
class _Held:
    label: str
    checkpoint: Checkpoint | None = None
    valid: bool = False
    matches: bool = False


def verify(
    log: Log,
    checkpoints: Sequence[tuple[str, bytes]],
    key: ed25519.Ed25519PublicKey,
    origin: str | None = None,
) -> Report:
    """Check the export's entries, then each checkpoint (label, signed note bytes) against them: signed by this
    log's key, no larger than the log, its root that of the log's first entries, the log consistent with it
    (consistency proof), its last entry included in the log (inclusion proof); then checkpoints against one another
    (a fork). `origin` is the log's name; by default the one the export's header gives."""
    origin = origin or str(log.header.get("origin") or "")
    verdicts, problems, positions = _chain_verdicts(log.scan)
    first_bad = min(positions) if positions else None
    tree, size = log.tree, log.tree.size
    root = tree.root()
    if not problems:
        verdicts.append(Verdict("ok", f"the chain of {size} entries is intact (each hash, seq and link)"))
    held: list[_Held] = []
    for label, data in checkpoints:
        item = _Held(label)
        held.append(item)
        verdict = _check_one(item, data, log, key, origin, first_bad)
        if not verdict.ok:
            problems += 1
        verdicts.append(verdict)
    for verdict in _forks(held):
        problems += 1
        verdicts.append(verdict)
    return Report(size, root, verdicts, problems)


def _check_one(
    item: _Held, data: bytes, log: Log, key: ed25519.Ed25519PublicKey, origin: str, first_bad: int | None
) -> Verdict:
    label = item.label
    try:
        checkpoint = parse_checkpoint(data)
    except Malformed as error:
        return Verdict("malformed_checkpoint", f"{label}: not a signed checkpoint: {error}", label)
    item.checkpoint = checkpoint
    if checkpoint.origin != origin:
        return Verdict(
            "foreign", f"{label}: a checkpoint of another log ({checkpoint.origin!r}, this log is {origin!r})", label
        )
    signed = checkpoint.signed_by(origin, key)
    if signed is None:
        ids = ", ".join(s.key_id.hex() for s in checkpoint.signatures)
        return Verdict(
            "foreign",
            f"{label}: not signed by this instance's key (key id {note_key_id(origin, key).hex()}; it carries {ids})",
            label,
        )
    if not signed:
        return Verdict("bad_signature", f"{label}: its signature does not verify: the checkpoint was altered", label)
    item.valid = True
    tree, size, m = log.tree, log.tree.size, checkpoint.size
    if m > size:
        return Verdict(
            "truncated",
            f"{label}: covers {m} entries but the log holds {size}: entries #{size + 1} to #{m} were removed "
            "(or the checkpoint claims a tree larger than the log)",
            label,
        )
    root = tree.root()
    if first_bad is not None and first_bad < m:
        return Verdict("changed", f"{label}: entries it covered were changed (see the problems above)", label)
    consistent = verify_consistency(m, size, checkpoint.root, root, tree.consistency_proof(m, size))
    if not consistent or tree.root(m) != checkpoint.root:
        return Verdict(
            "rewritten",
            f"{label}: the log's first {m} entries chain correctly but their root differs from the one it signed: "
            "the chain was recomputed after an edit or a deletion",
            label,
        )
    if m:
        proof = tree.inclusion_proof(m - 1, size)
        if not verify_inclusion(m - 1, size, tree._node(0, m - 1), proof, root):  # cannot fail on a sound tree
            return Verdict("changed", f"{label}: its last entry is not included in the log", label)
    item.matches = True
    when = f", signed {checkpoint.time}" if checkpoint.time else ""
    return Verdict("ok", f"{label}: size {m}{when}: the log holds every entry it covered, unchanged", label)


def _forks(held: list[_Held]) -> Iterator[Verdict]:
    valid = [h for h in held if h.valid and h.checkpoint is not None]
    seen: set[tuple[int, bytes]] = set()
    for i, a in enumerate(valid):
        for b in valid[i + 1 :]:
            ca, cb = a.checkpoint, b.checkpoint
            assert ca is not None and cb is not None
            if ca.size == cb.size and ca.root != cb.root and (ca.size, cb.root) not in seen:
                seen.add((ca.size, cb.root))
                yield Verdict(
                    "fork",
                    f"{a.label} and {b.label}: two checkpoints of size {ca.size} with different roots: the instance "
                    "signed two different logs (a fork)",
                )
            elif ca.size != cb.size and a.matches != b.matches:
                good, bad = (a, b) if a.matches else (b, a)
                yield Verdict(
                    "fork",
                    f"{good.label} and {bad.label}: inconsistent checkpoints: the log matches {good.label} but not "
                    f"{bad.label}, both signed by this instance (the log was rewritten and signed again: a fork)",
                )


# --- Command line ---------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(
        description="Verify an export of Liaison's audit log against signed checkpoints (no database needed).",
    )
    parser.add_argument("--key", required=True, help="the instance's public key: verifier key line or PEM file")
    parser.add_argument("--export", required=True, help="the export (`liaison audit export`)")
    parser.add_argument("--checkpoint", action="append", default=[], help="a signed checkpoint (repeatable)")
    parser.add_argument("--origin", help="the log's name (default: the verifier key's, else the export's)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes reading the export")
    args = parser.parse_args(argv)
    here = os.path.dirname(os.path.abspath(__file__))  # run in place, the package's own modules (selectors.py)
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]  # must not shadow the library's
    try:
        with open(args.key, "rb") as file:
            key_name, key = load_public_key(file.read())
        checkpoints = []
        for path in args.checkpoint:
            with open(path, "rb") as file:
                checkpoints.append((os.path.basename(path), file.read()))
        log = read_file(args.export, workers=args.workers)
    except (OSError, Malformed, ValueError) as error:
        out(f"ERROR cannot read the input: {error}")
        return 2
    origin = args.origin or key_name
    if origin and log.header.get("origin") not in (None, origin):
        out(f"PROBLEM [foreign] the export is of another log ({log.header.get('origin')!r}, expected {origin!r})")
        return 1
    report = verify(log, checkpoints, key, origin)
    for line in report.lines():
        out(line)
    out(f"log: {report.size} entries, root {base64.b64encode(report.root).decode()}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
