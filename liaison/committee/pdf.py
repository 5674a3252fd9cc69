"""The approved committee report as a PDF: rendered in the report's language with the reports' PDF frame (the
classification banner on every page, pages numbered), its charts embedded as SVG, and PAdES-signed under the
instance's certificate like an approved report (liaison/reports/pdf.py)."""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from liaison.committee.models import CommitteeReport
from liaison.committee.present import present
from liaison.policy.models import ClassificationLevel
from liaison.reports.pdf import render_pdf, sign_pdf

# A printed report is handled at the national restricted level whatever its figures say.
RESTRICTED_RANK = 1
FALLBACK_BANNER = "DIFFUSION RESTREINTE"
# The charts' colours, inside each SVG: the PDF renderer does not apply the page's style sheet to inline SVG.
PRINT_CHART_CSS = (
    ".chart-series-0,.chart-dot{fill:#2f5f96}.chart-series-1{fill:#c07a12}.chart-series-2{fill:#7a7a7a}"
    ".chart-series-3{fill:#fff;stroke:#000;stroke-width:1.2;stroke-dasharray:3 2}"
    ".chart-label,.chart-value,.chart-tick{fill:#111}.chart-axis{stroke:#333;stroke-width:1}"
    ".chart-grid{stroke:#ccc;stroke-width:1}.chart-line{fill:none;stroke:#2f5f96;stroke-width:1.5}"
    ".chart-track{fill:#e6e6e6}"
)
_SVG_OPEN = re.compile(r"(<svg\b[^>]*>)")


def banner() -> str:
    """The label of the national restricted level (DIFFUSION RESTREINTE in the French scheme)."""
    level = ClassificationLevel.objects.filter(scheme__is_national=True, rank=RESTRICTED_RANK).first()
    return level.label if level is not None else FALLBACK_BANNER


def for_print(chart: str) -> SafeString:
    """A chart of svgcharts with its colours inside it, for the PDF."""
    return mark_safe(_SVG_OPEN.sub(lambda m: f"{m.group(1)}<style>{PRINT_CHART_CSS}</style>", str(chart)))


def _printable(shown: dict[str, Any]) -> dict[str, Any]:
    plan = shown["plan"]
    plan["progress_chart"] = for_print(plan["progress_chart"])
    plan["level_charts"] = [for_print(chart) for chart in plan["level_charts"]]
    for row in shown["indicators"]:
        row["chart"] = for_print(row["chart"]) if row["chart"] else ""
    if shown["concerns"]["chart"]:
        shown["concerns"]["chart"] = for_print(shown["concerns"]["chart"])
    shown["activity"]["chart"] = for_print(shown["activity"]["chart"])
    return shown


def render_committee_pdf(*, report: CommitteeReport, figures: dict[str, Any]) -> bytes:
    """The report in its own language, from the figures frozen at approval, signed (PAdES-B-B)."""
    with translation.override(report.language):
        context = {"report": report, "shown": _printable(present(figures))}
        pdf = render_pdf("committee/report_pdf.html", banner=banner(), context=context)
        return sign_pdf(pdf, reason=_("Approved report to the management committee"))
