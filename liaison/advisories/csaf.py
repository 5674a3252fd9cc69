"""CSAF 2.0 documents of advisories: building the document from an advisory, and validating it against the official
OASIS schema (shipped by csaf-lib, its CVSS schemas resolved locally, never over the network) with jsonschema's
Draft 2020-12 validator, then the profile's mandatory tests (CSAF 2.0 section 6.1.27) and csaf-lib's own checks.

Every problem is reported with the JSON path of the failing value (`/document/tracking/id: ...`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from django.conf import settings
from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]
from referencing import Registry, Resource

from liaison.policy.markings import TLP

if TYPE_CHECKING:
    from liaison.advisories.models import Advisory

CSAF_VERSION = "2.0"
TLP_URL = "https://www.first.org/tlp/"
# CSAF 2.0 speaks TLP 1.0: TLP 2.0's CLEAR is 1.0's WHITE; AMBER+STRICT has no 1.0 label, it goes out as AMBER with
# the distribution text saying AMBER+STRICT.
CSAF_TLP = {
    TLP.CLEAR: "WHITE",
    TLP.GREEN: "GREEN",
    TLP.AMBER: "AMBER",
    TLP.AMBER_STRICT: "AMBER",
    TLP.RED: "RED",
}
GENERATOR = {"name": "Liaison", "version": "1"}
CSAF_SCHEMA = "csaf_2_0.json"
# The CVSS schemas, under the addresses the CSAF schema refers to them by (their own ids carry a query string).
CVSS_SCHEMAS = {
    "cvss_v2_0.json": "https://www.first.org/cvss/cvss-v2.0.json",
    "cvss_v3_0.json": "https://www.first.org/cvss/cvss-v3.0.json",
    "cvss_v3_1.json": "https://www.first.org/cvss/cvss-v3.1.json",
}


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def publisher() -> dict[str, str]:
    return {
        "category": "coordinator",
        "name": f"{settings.LIAISON_ORGANISATION} — cybersecurity office",
        "namespace": settings.LIAISON_BASE_URL,
    }


def product_id(index: int) -> str:
    return f"CSAFPID-{index + 1:04d}"


def _product_tree(products: list[dict[str, str]]) -> dict[str, Any]:
    """Vendor → product name → product version branches, one full product name per listed product."""
    vendors: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for index, p in enumerate(products):
        leaf = {
            "category": "product_version",
            "name": p["version"],
            "product": {"name": f"{p['vendor']} {p['product']} {p['version']}", "product_id": product_id(index)},
        }
        vendors.setdefault(p["vendor"], {}).setdefault(p["product"], []).append(leaf)
    return {
        "branches": [
            {
                "category": "vendor",
                "name": vendor,
                "branches": [
                    {"category": "product_name", "name": name, "branches": leaves} for name, leaves in names.items()
                ],
            }
            for vendor, names in vendors.items()
        ]
    }


def _vulnerabilities(advisory: Advisory) -> list[dict[str, Any]]:
    ids = [product_id(i) for i in range(len(advisory.products))]
    found = []
    for v in advisory.vulnerabilities:
        entry: dict[str, Any] = {}
        if v.get("cve"):
            entry["cve"] = v["cve"]
        entry["title"] = v["title"]
        entry["notes"] = [{"category": "description", "text": v["title"], "title": "Vulnerability description"}]
        entry["product_status"] = {"known_affected": ids}
        entry["remediations"] = [{"category": "vendor_fix", "details": v["remediation"], "product_ids": ids}]
        found.append(entry)
    return found


def build_document(advisory: Advisory, *, released_at: datetime) -> dict[str, Any]:
    """The CSAF 2.0 document of `advisory` as it is (or would be) published at `released_at`."""
    from liaison.advisories.models import CSAF_PROFILES, AdvisoryCategory

    history = list(advisory.revision_history) or [
        {"date": utc_text(released_at), "number": advisory.version, "summary": "Initial release."}
    ]
    notes = [{"category": "summary", "text": advisory.summary, "title": "Summary"}]
    if advisory.details:
        notes.append({"category": "description", "text": advisory.details, "title": "Details"})
    tlp = TLP(advisory.tlp)
    document: dict[str, Any] = {
        "category": CSAF_PROFILES[AdvisoryCategory(advisory.category)],
        "csaf_version": CSAF_VERSION,
        "distribution": {
            "text": f"TLP 2.0: {tlp.label}."
            + (
                " Recipients only: no sharing beyond them, even within their organisation."
                if tlp == TLP.AMBER_STRICT
                else ""
            ),
            "tlp": {"label": CSAF_TLP[tlp], "url": TLP_URL},
        },
        "lang": advisory.lang,
        "notes": notes,
        "publisher": publisher(),
        "title": advisory.title,
        "tracking": {
            "current_release_date": history[-1]["date"],
            "generator": {"date": utc_text(released_at), "engine": GENERATOR},
            "id": advisory.tracking_id,
            "initial_release_date": history[0]["date"],
            "revision_history": history,
            "status": "final",
            "version": advisory.version,
        },
    }
    if advisory.references:
        document["references"] = [
            {"category": "external", "summary": r.get("summary") or r["url"], "url": r["url"]}
            for r in advisory.references
        ]
    csaf: dict[str, Any] = {"document": document}
    if advisory.category == AdvisoryCategory.SECURITY:
        csaf["product_tree"] = _product_tree(advisory.products)
        csaf["vulnerabilities"] = _vulnerabilities(advisory)
    return csaf


def serialise(document: dict[str, Any]) -> bytes:
    """The bytes published: UTF-8 JSON, keys in the order built, indented for readers."""
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _path(parts: Any) -> str:
    return "/" + "/".join(str(p) for p in parts)


# jsonschema checks `date-time` only with an optional package; the schema's dates are RFC 3339 date-times.
FORMATS = FormatChecker()
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE)


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not RFC3339.match(value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time")
    datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    return True


@cache
def _validator() -> Draft202012Validator:
    folder = resources.files("csaf_lib.verification.schemas")

    def load(name: str) -> Any:
        return json.loads(folder.joinpath(name).read_text(encoding="utf-8"))

    # A registry without a retriever: a reference to anything not in it is an error, never a download.
    registry: Registry = Registry().with_resources(
        (url, Resource.from_contents(load(name))) for name, url in CVSS_SCHEMAS.items()
    )
    return Draft202012Validator(load(CSAF_SCHEMA), registry=registry, format_checker=FORMATS)


def schema_problems(document: dict[str, Any]) -> list[Problem]:
    """What the official CSAF 2.0 JSON schema refuses in `document`, each with its JSON path, in path order."""
    errors = sorted(_validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    return [Problem(_path(e.absolute_path), e.message) for e in errors]


def profile_problems(document: dict[str, Any]) -> list[Problem]:
    """CSAF 2.0 mandatory tests 6.1.27.1 to 6.1.27.6 and 6.1.27.11 for the two profiles this office publishes."""
    doc = document.get("document", {})
    category = doc.get("category")
    problems = []
    if category == "csaf_informational_advisory":
        if not any(n.get("category") in ("description", "details", "general", "summary") for n in doc.get("notes", [])):
            problems.append(Problem("/document/notes", "an informational advisory needs a description or summary note"))
        if not any(r.get("category") == "external" for r in doc.get("references", [])):
            problems.append(Problem("/document/references", "an informational advisory needs an external reference"))
        if "vulnerabilities" in document:
            problems.append(Problem("/vulnerabilities", "an informational advisory must not list vulnerabilities"))
    elif category == "csaf_security_advisory":
        if "product_tree" not in document:
            problems.append(Problem("/product_tree", "a security advisory needs a product tree"))
        vulnerabilities = document.get("vulnerabilities")
        if not vulnerabilities:
            problems.append(Problem("/vulnerabilities", "a security advisory needs at least one vulnerability"))
        for index, v in enumerate(vulnerabilities or []):
            if not v.get("notes"):
                problems.append(Problem(f"/vulnerabilities/{index}/notes", "each vulnerability needs notes"))
            if not v.get("product_status"):
                problems.append(
                    Problem(f"/vulnerabilities/{index}/product_status", "each vulnerability needs a status")
                )
    return problems


# csaf-lib's checks that hold for every profile (its other checks are for the VEX profile only), each with the part
# of the document it looks at: the library reports what failed (ids, values) but not always where.
LIBRARY_CHECKS = {
    "verify_base_mandatory_fields": "/document",
    "verify_product_id_defined": "/product_tree",
    "verify_product_id_unique": "/product_tree",
    "verify_no_circular_references": "/product_tree",
    "verify_no_contradicting_status": "/vulnerabilities",
    "verify_remediation_product_reference": "/vulnerabilities",
    "verify_datetime_format": "/document/tracking",
    "verify_cve_id_format": "/vulnerabilities",
    "verify_language_code_format": "/document/lang",
    "verify_version_range_prohibition": "/product_tree",
    "verify_mixed_versioning_prohibition": "/document/tracking",
}


def library_problems(document: dict[str, Any]) -> list[Problem]:
    from csaf_lib.verification import csaf_compliance, data_type_checks

    problems = []
    for name, path in LIBRARY_CHECKS.items():
        check = getattr(csaf_compliance, name, None) or getattr(data_type_checks, name)
        result = check(document)
        if result.failed:
            details = json.dumps(result.details, ensure_ascii=False, default=str)[:300] if result.details else ""
            problems.append(Problem(path, f"{result.message} ({result.source_ref}) {details}".strip()))
    return problems


def validate(document: dict[str, Any]) -> list[Problem]:
    """Every problem of `document`: the schema's first (the other checks assume a well-formed document)."""
    problems = schema_problems(document)
    if problems:
        return problems
    return profile_problems(document) + library_problems(document)
