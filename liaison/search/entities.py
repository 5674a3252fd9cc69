"""Entity extraction: phone numbers, e-mail addresses, IBANs, BICs, IP addresses and networks, domains and URLs, file
hashes, cryptocurrency addresses, passport / identity document numbers and gazetteer names, each in a canonical form.

`extract(text)` never raises: a text of any size, with NUL bytes or in any script, gives a (possibly empty) list.
Where two candidates overlap, the more specific kind wins (an IBAN's digits are not a phone number, a URL's host is
not a second free-standing domain); a URL also yields its domain.
"""

from __future__ import annotations

import bisect
import ipaddress
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import phonenumbers
from stdnum import bic, iban
from stdnum.exceptions import ValidationError

from liaison.search.crypto import base58check_ok, bech32_ok
from liaison.search.gazetteer import Gazetteer

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entity:
    """One entity found: `kind` is phone, email, iban, bic, ip, network, domain, url, md5, sha1, sha256, btc, eth,
    passport, or a gazetteer kind (person, organisation, vessel); `value` its canonical form; `raw` the text as found
    at `text[start:end]`."""

    kind: str
    value: str
    raw: str
    start: int
    end: int


# ---------------------------------------------------------------------------------------------------------- domains

# File extensions that look like top-level domains ("report.pdf", "setup.exe", "archive.zip").
FILE_EXTENSIONS = frozenset(
    {
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "xlsm",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "odp",
        "rtf",
        "txt",
        "csv",
        "tsv",
        "json",
        "xml",
        "yaml",
        "yml",
        "html",
        "htm",
        "md",
        "log",
        "ini",
        "cfg",
        "conf",
        "exe",
        "dll",
        "msi",
        "bat",
        "cmd",
        "ps",
        "sh",
        "py",
        "js",
        "jar",
        "apk",
        "dmg",
        "iso",
        "img",
        "bin",
        "dat",
        "tmp",
        "bak",
        "zip",
        "rar",
        "gz",
        "tgz",
        "bz",
        "xz",
        "tar",
        "jpg",
        "jpeg",
        "png",
        "gif",
        "bmp",
        "svg",
        "tif",
        "tiff",
        "webp",
        "heic",
        "mp",
        "mov",
        "avi",
        "mkv",
        "wav",
        "ogg",
        "flac",
        "eml",
        "msg",
        "pst",
        "vbs",
        "lnk",
        "scr",
        "sys",
        "db",
        "sqlite",
    }
)
DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}

_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_DOMAIN = re.compile(rf"(?<![\w@.-])(?:{_LABEL}\.)+(?P<tld>[^\W\d_]{{2,24}})\.?(?![\w-]|\.\w)")
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'`{}|\\^\x00]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}'\"»"


def _host_canonical(host: str) -> str | None:
    """A host name lower-cased, without trailing dots, in A-labels (IDNA); None when it is not a plausible domain."""
    host = host.lower().rstrip(".")
    labels = host.split(".")
    if len(labels) < 2 or any(not label for label in labels):
        return None
    tld = labels[-1]
    if not tld.isalpha() or not 2 <= len(tld) <= 24 or tld in FILE_EXTENSIONS:
        return None
    try:
        ascii_labels = [label.encode("idna").decode("ascii") for label in labels]
    except UnicodeError:
        return None
    if any(len(label) > 63 for label in ascii_labels) or len(".".join(ascii_labels)) > 253:
        return None
    return ".".join(ascii_labels)


def _domains(text: str) -> Iterator[Entity]:
    for match in _DOMAIN.finditer(text):
        tld = match.group("tld")
        if tld[0].isupper() and tld[1:].islower():  # "end.The": a sentence without its space, not a domain
            continue
        value = _host_canonical(match.group())
        if value:
            yield Entity("domain", value, match.group(), match.start(), match.end())


def _urls(text: str) -> Iterator[Entity]:
    for match in _URL.finditer(text):
        raw = match.group().rstrip(_URL_TRAILING)
        try:
            parts = urlsplit(raw)
            port = parts.port
        except ValueError:
            continue
        hostname = parts.hostname or ""
        start, end = match.start(), match.start() + len(raw)
        host_entity: Entity | None = None
        try:
            address = ipaddress.ip_address(hostname)
            host = f"[{address.compressed}]" if address.version == 6 else address.compressed
            host_entity = Entity("ip", address.compressed, raw, start, end)
        except ValueError:
            canonical = _host_canonical(hostname)
            if canonical is None:
                continue
            host = canonical
            host_entity = Entity("domain", canonical, raw, start, end)
        scheme = parts.scheme.lower()
        if port is not None and port != DEFAULT_PORTS.get(scheme):
            host = f"{host}:{port}"
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@{host}" if userinfo else host
        value = f"{scheme}://{netloc}{parts.path or '/'}"
        value += f"?{parts.query}" if parts.query else ""
        value += f"#{parts.fragment}" if parts.fragment else ""
        yield Entity("url", value, raw, start, end)
        yield host_entity


# ----------------------------------------------------------------------------------------------- e-mail and phones

# No apostrophe in the local part: in French "d'alice@example.org" is Alice's address.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.!#$%&*+/=?^`{|}~-]{1,64}@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,24}\b")


def _emails(text: str) -> Iterator[Entity]:
    for match in _EMAIL.finditer(text):
        local, _, domain = match.group().rpartition("@")
        if local.startswith(".") or local.endswith(".") or ".." in local:
            continue
        canonical = _host_canonical(domain)
        if canonical:
            yield Entity("email", f"{local}@{canonical}", match.group(), match.start(), match.end())


def _phones(text: str, region: str) -> Iterator[Entity]:
    for match in phonenumbers.PhoneNumberMatcher(text, region.upper()):
        value = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        yield Entity("phone", value, match.raw_string, match.start, match.end)


# -------------------------------------------------------------------------------------------------- bank identifiers

_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b", re.IGNORECASE)
_BIC = re.compile(r"\b[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b")
_BIC_KEYWORD = re.compile(r"\b(?:BIC|SWIFT)(?:\s*(?:/\s*BIC|code))?\s*[:#]?\s*$", re.IGNORECASE)


def _ibans(text: str) -> Iterator[Entity]:
    for match in _IBAN.finditer(text):
        raw = match.group()
        # The greedy match may have swallowed a following word ("... 189 CODE"): try shorter readings too.
        tokens = raw.split(" ")
        for count in range(len(tokens), 0, -1):
            candidate = " ".join(tokens[:count])
            compact = candidate.replace(" ", "").upper()
            if len(compact) < 15:
                break
            try:
                value = iban.validate(compact)
            except ValidationError:  # not an IBAN
                continue
            yield Entity("iban", value, candidate, match.start(), match.start() + len(candidate))
            break


def _bics(text: str) -> Iterator[Entity]:
    """BICs validated by stdnum. An all-letter code is also an ordinary capitalised word ("DOCUMENT" reads as a BIC
    of Montenegro), so one without a digit counts only right after "BIC" or "SWIFT" ("BIC: BNPAFRPP")."""
    for match in _BIC.finditer(text):
        raw = match.group()
        if not any(c.isdigit() for c in raw) and not _BIC_KEYWORD.search(
            text, max(0, match.start() - 30), match.start()
        ):
            continue
        try:
            value = bic.validate(raw)
        except ValidationError:
            continue
        yield Entity("bic", value, raw, match.start(), match.end())


# ---------------------------------------------------------------------------------------------------- IP addresses

_IPV4 = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?(?![\w/]|\.\d)")
_IPV6 = re.compile(
    r"(?<![\w:.])(?=[0-9A-Fa-f]*:[0-9A-Fa-f]*:)[0-9A-Fa-f:]{2,39}(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?(?:/\d{1,3})?"
    r"(?![\w:/])"
)


def _ip_entity(raw: str, start: int, end: int) -> Entity | None:
    try:
        if "/" in raw:
            network = ipaddress.ip_network(raw, strict=False)
            return Entity("network", network.compressed, raw, start, end)
        return Entity("ip", ipaddress.ip_address(raw).compressed, raw, start, end)
    except ValueError:
        return None


def _ips(text: str) -> Iterator[Entity]:
    for pattern in (_IPV4, _IPV6):
        for match in pattern.finditer(text):
            entity = _ip_entity(match.group(), match.start(), match.end())
            if entity:
                yield entity


# ---------------------------------------------------------------------------------------------------------- hashes

_HASH = re.compile(r"\b[0-9A-Fa-f]{32,64}\b")
_HASH_KINDS = {32: "md5", 40: "sha1", 64: "sha256"}


def _hashes(text: str) -> Iterator[Entity]:
    for match in _HASH.finditer(text):
        kind = _HASH_KINDS.get(len(match.group()))
        if kind:
            yield Entity(kind, match.group().lower(), match.group(), match.start(), match.end())


# ---------------------------------------------------------------------------------------------------------- crypto

_B58 = re.compile(r"\b[13][1-9A-HJ-NP-Za-km-z]{25,34}\b")
_BECH32 = re.compile(r"\b(?:bc1[02-9ac-hj-np-z]{11,71}|BC1[02-9AC-HJ-NP-Z]{11,71})\b")
_ETH = re.compile(r"\b0x[0-9A-Fa-f]{40}\b")


def _crypto(text: str) -> Iterator[Entity]:
    for match in _B58.finditer(text):
        if base58check_ok(match.group()):
            yield Entity("btc", match.group(), match.group(), match.start(), match.end())
    for match in _BECH32.finditer(text):
        if bech32_ok(match.group()):
            yield Entity("btc", match.group().lower(), match.group(), match.start(), match.end())
    for match in _ETH.finditer(text):
        yield Entity("eth", match.group().lower(), match.group(), match.start(), match.end())


# ------------------------------------------------------------------------------------------------------- documents

_DOCUMENT = re.compile(
    r"(?:\bn[°ºo]\.?\s*(?:de\s+)?(?:passeport|pièce\s+d['\u2019]identité|document)"
    r"|\b(?:passport|passeport|document|identity\s+card|id\s+card|carte\s+d['\u2019]identité|travel\s+document)"
    r"(?:\s*(?:no\b\.?|n[°º]\.?|nr\b\.?|number|numéro|num\b\.?|#))?)"
    r"\s*[:#]?\s*(?P<number>[A-Z0-9]+(?: [A-Z0-9]+){0,3})",
    re.IGNORECASE,
)


def _documents(text: str) -> Iterator[Entity]:
    """Document numbers after a keyword ("passport", "passeport", "document no", "n° de passeport"): 6 to 9 letters
    and digits with at least one digit, read in as few space-separated groups as make such a number."""
    for match in _DOCUMENT.finditer(text):
        groups = match.group("number").split(" ")
        for count in range(1, len(groups) + 1):
            compact = "".join(groups[:count]).upper()
            if len(compact) > 9:
                break
            if len(compact) >= 6 and any(c.isdigit() for c in compact):
                start = match.start("number")
                raw = " ".join(groups[:count])
                yield Entity("passport", compact, raw, start, start + len(raw))
                break


# ----------------------------------------------------------------------------------------------------------- extract


def _names(text: str, gazetteer: Gazetteer) -> Iterator[Entity]:
    for match in gazetteer.find(text):
        yield Entity(match.kind, match.name, text[match.start : match.end], match.start, match.end)


# The more specific kinds first: a candidate overlapping one already taken is dropped.
_PRIORITY = ("url", "email", "iban", "btc", "eth", "sha256", "sha1", "md5", "network", "ip", "passport", "bic")


def _safely(extractor: Callable[[], Iterator[Entity]]) -> list[Entity]:
    try:
        return list(extractor())
    except Exception:  # one broken extractor must not take the others down
        logger.exception("Entity extractor %s failed", getattr(extractor, "__name__", extractor))
        return []


class _Spans:
    """Non-overlapping spans already taken, sorted, so that each overlap check is a binary search."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, entity: Entity) -> bool:
        index = bisect.bisect_right(self._starts, entity.start)
        if index and self._ends[index - 1] > entity.start:
            return True
        return index < len(self._starts) and self._starts[index] < entity.end

    def take(self, entity: Entity) -> bool:
        if self.overlaps(entity):
            return False
        index = bisect.bisect_right(self._starts, entity.start)
        self._starts.insert(index, entity.start)
        self._ends.insert(index, entity.end)
        return True


def extract(text: str, *, region: str = "FR", gazetteer: Gazetteer | None = None) -> list[Entity]:
    """The entities of `text` in order of position, one per (kind, canonical value): the first occurrence."""
    if not isinstance(text, str) or not text:
        return []
    urls = _safely(lambda: _urls(text))
    candidates = [e for e in urls if e.kind == "url"]
    for extractor in (_emails, _ibans, _crypto, _hashes, _ips, _documents, _bics):
        candidates += _safely(lambda extractor=extractor: extractor(text))  # type: ignore[misc]
    candidates.sort(key=lambda e: (_PRIORITY.index(e.kind), e.start))
    spans = _Spans()
    taken = [candidate for candidate in candidates if spans.take(candidate)]
    # Phone numbers and free-standing domains are the loosest readings: only where nothing else was found.
    for loose in (lambda: _phones(text, region), lambda: _domains(text)):
        taken += [candidate for candidate in _safely(loose) if spans.take(candidate)]
    # A URL's own host shares its span; a name inside an address or a URL ("ilona@corvane.example") is no mention.
    kept_urls = {(e.start, e.end) for e in taken if e.kind == "url"}
    taken += [host for host in urls if host.kind != "url" and (host.start, host.end) in kept_urls]
    if gazetteer is not None:
        taken += [name for name in _safely(lambda: _names(text, gazetteer)) if spans.take(name)]
    taken.sort(key=lambda e: (e.start, e.end))
    seen: set[tuple[str, str]] = set()
    result = []
    for entity in taken:
        if (entity.kind, entity.value) not in seen:
            seen.add((entity.kind, entity.value))
            result.append(entity)
    return result
