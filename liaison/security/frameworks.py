"""Framework catalogue files: parse and check a YAML or CSV catalogue of controls before anything is imported.

The format (documented in docs/operations.md, "Importing a framework catalogue"):

- YAML: a mapping with `framework: {code, version, name_fr, name_en, publisher}` and `controls:` a list of
  `{id, level, function, category, title_fr, title_en, text_fr, text_en, key_measure}`.
- CSV (UTF-8, one header line): the control columns, plus `framework_code`, `framework_version`,
  `framework_name_fr`, `framework_name_en`, `framework_publisher` on every row, identical on every row.

`level` is basic, important or essential (any case); `function` a NIST CSF 2.0 function code (GV, ID, PR, DE, RS,
RC) or its English name. A file is refused as a whole with every problem found (line and reason), up to a cap.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.utils.translation import gettext as _

from liaison.core.exceptions import DomainError
from liaison.security.models import AssuranceLevel, CsfFunction

MAX_ERRORS = 50
MAX_BYTES = 5 * 1024 * 1024  # a catalogue of a few thousand controls is well under a megabyte
FRAMEWORK_FIELDS = ("code", "version", "name_fr", "name_en", "publisher")
FRAMEWORK_REQUIRED = ("code", "version", "name_fr", "name_en")
CONTROL_FIELDS = ("id", "level", "function", "category", "title_fr", "title_en", "text_fr", "text_en", "key_measure")
CONTROL_REQUIRED = ("id", "level", "function", "title_fr", "title_en")
CSV_FRAMEWORK_COLUMNS = tuple(f"framework_{name}" for name in FRAMEWORK_FIELDS)
LIMITS = {
    "code": 60,
    "version": 40,
    "name_fr": 200,
    "name_en": 200,
    "publisher": 200,
    "id": 40,
    "category": 40,
    "title_fr": 300,
    "title_en": 300,
}
FUNCTION_NAMES = {choice.label.lower(): choice.value for choice in CsfFunction} | {
    "govern": "GV",
    "identify": "ID",
    "protect": "PR",
    "detect": "DE",
    "respond": "RS",
    "recover": "RC",
}
TRUE_WORDS = {"true", "yes", "y", "1", "x", "oui"}
FALSE_WORDS = {"false", "no", "n", "0", "", "non"}


@dataclass(frozen=True)
class Problem:
    line: int
    reason: str

    def __str__(self) -> str:
        return _("line %(line)d: %(reason)s") % {"line": self.line, "reason": self.reason}


class CatalogueRefused(DomainError):
    """A catalogue file that cannot be imported; `problems` lists each one with its line."""

    def __init__(self, problems: list[Problem], more: int = 0) -> None:
        self.problems = problems
        self.more = more
        message = _("The file was not imported (%(count)d problem(s)); fix them and import it again.") % {
            "count": len(problems) + more
        }
        super().__init__(message)

    def lines(self) -> list[str]:
        shown = [str(problem) for problem in self.problems]
        if self.more:
            shown.append(_("… and %(count)d more problem(s).") % {"count": self.more})
        return shown


@dataclass(frozen=True)
class ParsedControl:
    line: int
    control_id: str
    level: str
    function: str
    category: str
    title_fr: str
    title_en: str
    text_fr: str
    text_en: str
    is_key_measure: bool


@dataclass
class ParsedCatalogue:
    code: str
    version: str
    name_fr: str
    name_en: str
    publisher: str
    header_line: int
    controls: list[ParsedControl] = field(default_factory=list)


class _Problems:
    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.more = 0

    def add(self, line: int, reason: str) -> None:
        if len(self.items) < MAX_ERRORS:
            self.items.append(Problem(line, reason))
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        if self.items:
            raise CatalogueRefused(sorted(self.items, key=lambda p: p.line), self.more)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CatalogueRefused(
            [
                Problem(
                    line,
                    _("the file is not UTF-8 (byte offset %(offset)d, byte 0x%(byte)02x): save it as UTF-8.")
                    % {"offset": error.start, "byte": data[error.start]},
                )
            ]
        ) from error


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _level(value: str) -> str | None:
    lowered = value.lower()
    return lowered if lowered in AssuranceLevel.values else None


def _function(value: str) -> str | None:
    upper = value.upper()
    if upper in CsfFunction.values:
        return upper
    return FUNCTION_NAMES.get(value.lower())


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    lowered = _text(value).lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    return None


def _check_lengths(values: dict[str, str], line: int, problems: _Problems, prefix: str = "") -> None:
    for name, value in values.items():
        limit = LIMITS.get(name)
        if limit is not None and len(value) > limit:
            problems.add(
                line,
                _("%(field)s is longer than %(max)d characters.") % {"field": prefix + name, "max": limit},
            )


def _header(values: dict[str, Any], line: int, problems: _Problems, prefix: str = "") -> ParsedCatalogue:
    clean = {name: _text(values.get(name)) for name in FRAMEWORK_FIELDS}
    for name in FRAMEWORK_REQUIRED:
        if not clean[name]:
            problems.add(line, _("the framework's %(field)s is missing.") % {"field": prefix + name})
    _check_lengths(clean, line, problems, prefix)
    return ParsedCatalogue(
        code=clean["code"],
        version=clean["version"],
        name_fr=clean["name_fr"],
        name_en=clean["name_en"],
        publisher=clean["publisher"],
        header_line=line,
    )


def _control(values: dict[str, Any], line: int, problems: _Problems, seen: dict[str, int]) -> ParsedControl | None:
    clean = {name: _text(values.get(name)) for name in CONTROL_FIELDS}
    ok = True
    for name in CONTROL_REQUIRED:
        if not clean[name]:
            problems.add(line, _("the control's %(field)s is missing.") % {"field": name})
            ok = False
    level = _level(clean["level"]) if clean["level"] else None
    if clean["level"] and level is None:
        problems.add(
            line,
            _("unknown level %(value)r: use basic, important or essential.") % {"value": clean["level"]},
        )
        ok = False
    function = _function(clean["function"]) if clean["function"] else None
    if clean["function"] and function is None:
        problems.add(
            line,
            _("unknown function %(value)r: use GV, ID, PR, DE, RS or RC (or Govern, Identify, …).")
            % {"value": clean["function"]},
        )
        ok = False
    key = _flag(values.get("key_measure"))
    if key is None:
        problems.add(line, _("key_measure %(value)r is not true or false.") % {"value": clean["key_measure"]})
        ok = False
    before = len(problems.items) + problems.more
    _check_lengths(clean, line, problems)
    ok = ok and before == len(problems.items) + problems.more
    if clean["id"]:
        if clean["id"] in seen:
            problems.add(
                line,
                _("duplicate control id %(id)s (first at line %(first)d).")
                % {"id": clean["id"], "first": seen[clean["id"]]},
            )
            ok = False
        else:
            seen[clean["id"]] = line
    if not ok or level is None or function is None:
        return None
    return ParsedControl(
        line=line,
        control_id=clean["id"],
        level=level,
        function=function,
        category=clean["category"],
        title_fr=clean["title_fr"],
        title_en=clean["title_en"],
        text_fr=clean["text_fr"],
        text_en=clean["text_en"],
        is_key_measure=bool(key),
    )


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records the line of each mapping as `__line__`."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _parse_yaml(text: str) -> ParsedCatalogue:
    problems = _Problems()
    try:
        document = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(error, "problem", None) or str(error)
        raise CatalogueRefused(
            [Problem(line, _("this is not valid YAML: %(reason)s.") % {"reason": reason})]
        ) from error
    if not isinstance(document, dict):
        raise CatalogueRefused([Problem(1, _("the file must be a mapping with `framework` and `controls`."))])
    header = document.get("framework")
    if not isinstance(header, dict):
        problems.add(1, _("the `framework` mapping (code, version, name_fr, name_en, publisher) is missing."))
        header = {"__line__": 1}
    catalogue = _header(header, header["__line__"], problems)
    controls = document.get("controls")
    if not isinstance(controls, list) or not controls:
        problems.add(document["__line__"], _("the `controls` list is missing or empty."))
        controls = []
    seen: dict[str, int] = {}
    for entry in controls:
        if not isinstance(entry, dict):
            problems.add(document["__line__"], _("each control must be a mapping of its fields."))
            continue
        parsed = _control(entry, entry["__line__"], problems, seen)
        if parsed is not None:
            catalogue.controls.append(parsed)
    problems.raise_if_any()
    return catalogue


def _parse_csv(text: str) -> ParsedCatalogue:
    problems = _Problems()
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [name.strip() for name in (reader.fieldnames or [])]
    if not columns:
        raise CatalogueRefused([Problem(1, _("the file is empty: the first line must name the columns."))])
    reader.fieldnames = columns
    missing = [name for name in (*CONTROL_REQUIRED, *CSV_FRAMEWORK_COLUMNS[:4]) if name not in columns]
    if missing:
        raise CatalogueRefused([Problem(1, _("missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})])
    catalogue: ParsedCatalogue | None = None
    first_values: dict[str, str] = {}
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                problems.add(line, _("this row has more cells than the header has columns."))
                continue
            header = {name: _text(row.get(f"framework_{name}")) for name in FRAMEWORK_FIELDS}
            if catalogue is None:
                catalogue = _header(header, line, problems, prefix="framework_")
                first_values = header
            else:
                for name, value in header.items():
                    if value != first_values[name]:
                        problems.add(
                            line,
                            _("framework_%(field)s differs from the first row (%(value)r): use one value on every row.")
                            % {"field": name, "value": first_values[name]},
                        )
            parsed = _control(row, line, problems, seen)
            if parsed is not None and catalogue is not None:
                catalogue.controls.append(parsed)
    except csv.Error as error:
        problems.add(reader.line_num, _("this is not valid CSV: %(reason)s.") % {"reason": error})
    if catalogue is None:
        problems.add(1, _("the file has no control: add one row per control under the header."))
    problems.raise_if_any()
    assert catalogue is not None
    return catalogue


def parse_catalogue(*, name: str, data: bytes) -> ParsedCatalogue:
    """The catalogue in `data` (YAML, or CSV when the file name ends in .csv), or CatalogueRefused listing every
    problem found with its line."""
    if len(data) > MAX_BYTES:
        raise CatalogueRefused(
            [Problem(1, _("the file is larger than %(mb)d MB: is it a catalogue?") % {"mb": MAX_BYTES // 2**20})]
        )
    text = _decode(data)
    if name.lower().endswith(".csv"):
        return _parse_csv(text)
    if name.lower().endswith((".yaml", ".yml")):
        return _parse_yaml(text)
    raise CatalogueRefused([Problem(1, _("name the file .yaml, .yml or .csv so its format is known."))])
