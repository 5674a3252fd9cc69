"""The committee report's figures as the reader reads them, in the active language: labelled rows and server-side SVG
charts, built from the JSON document (`figures.figures_document`), live for a draft or frozen once approved, so the
page and the PDF say the same thing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from liaison.committee.periods import period_of
from liaison.concerns.models import ConcernCategory
from liaison.core.svgcharts import diverging_bars, paired_bars, progress_bars, sparkline
from liaison.core.vocab import in_reader_language
from liaison.security.models import AssuranceLevel, Comparison, IndicatorCode, LineOfDefence, MeasureStatus


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _hours(value: float | None) -> str:
    """A delay for reading: hours under two days, days beyond."""
    if value is None:
        return "—"
    if value < 48:
        return _("%(hours)s h") % {"hours": f"{value:.1f}"}
    return _("%(days)s days") % {"days": f"{value / 24:.1f}"}


def _value(code: str, value: float | None) -> str:
    if value is None:
        return "—"
    if code == IndicatorCode.AUDIT_CHAIN_INTACT:
        return _("yes") if value >= 1 else _("no")
    if code.endswith("_share"):
        return f"{value:.1f} %"
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _trend(indicator: dict[str, Any]) -> tuple[str, str]:
    """What changed since the period before, and whether it is for the better ("ok"), the worse ("error") or not."""
    value, previous = indicator["value"], indicator["previous"]
    if value is None or previous is None:
        return _("no comparison"), "muted"
    delta = value - previous
    if abs(delta) < 1e-9:
        return _("steady"), "muted"
    better = (delta > 0) == (indicator["comparison"] == Comparison.AT_LEAST)
    size = f"{abs(delta):g}" if indicator["code"] == IndicatorCode.AUDIT_CHAIN_INTACT else _value("", abs(delta))
    shown = ("+" if delta > 0 else "-") + size
    return (_("%(change)s, better") if better else _("%(change)s, worse")) % {"change": shown}, (
        "ok" if better else "error"
    )


def _plan(plan: dict[str, Any]) -> dict[str, Any]:
    lines = [
        {
            "label": _label(LineOfDefence, line["line"]),
            "measures": line["measures"],
            "statuses": [(_label(MeasureStatus, code), count) for code, count in line["by_status"].items()],
            "mean_progress": line["mean_progress"],
            "overdue": line["overdue"],
        }
        for line in plan["lines"]
    ]
    levels = [
        {
            "framework": in_reader_language(level["framework_name_fr"], level["framework_name_en"]),
            "level": _label(AssuranceLevel, level["level"]),
            "controls": level["controls"],
            "covered": level["covered"],
            "done": level["done"],
        }
        for level in plan["levels"]
    ]
    charts = [
        paired_bars(
            title=_("Controls covered by the plan, %(framework)s") % {"framework": framework},
            categories=[row["level"] for row in levels if row["framework"] == framework],
            series=[
                (_("controls"), [row["controls"] for row in levels if row["framework"] == framework]),
                (_("covered by a measure"), [row["covered"] for row in levels if row["framework"] == framework]),
                (_("covered by a done measure"), [row["done"] for row in levels if row["framework"] == framework]),
            ],
            description=_("Cumulative levels: each level counts the controls of the levels below it."),
        )
        for framework in dict.fromkeys(row["framework"] for row in levels)
    ]
    progress = progress_bars(
        title=_("Mean progress of the measures by line of defence"),
        rows=[(row["label"], round(row["mean_progress"] or 0)) for row in lines],
    )
    return {"lines": lines, "levels": levels, "progress_chart": progress, "level_charts": charts}


def _indicators(indicators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for indicator in indicators:
        label = _label(IndicatorCode, indicator["code"])
        trend, trend_class = _trend(indicator)
        rows.append(
            {
                "label": label,
                "value": _value(indicator["code"], indicator["value"]),
                "threshold": f"{_label(Comparison, indicator['comparison'])} "
                f"{_value(indicator['code'], indicator['threshold'])}",
                "is_met": indicator["is_met"],
                "previous": _value(indicator["code"], indicator["previous"]),
                "trend": trend,
                "trend_class": trend_class,
                "chart": sparkline([max(0, round(v)) for v in indicator["series"]], label=label)
                if indicator["series"]
                else "",
            }
        )
    return rows


def _concerns(concerns: dict[str, Any]) -> dict[str, Any]:
    rows = [
        (_label(ConcernCategory, row["category"]), row["received"], row["answered"]) for row in concerns["by_category"]
    ]
    categories = [
        (label, received, answered, _hours(row.get("median_hours")))
        for (label, received, answered), row in zip(rows, concerns["by_category"], strict=True)
    ]
    return {
        "received": concerns["received"],
        "answered": concerns["answered"],
        "median": _hours(concerns["median_hours"]),
        "p90": _hours(concerns["p90_hours"]),
        "rows": rows,
        "categories": categories,
        "chart": diverging_bars(
            title=_("Concerns by category"), rows=rows, left_label=_("received"), right_label=_("answered")
        )
        if rows
        else "",
    }


ACTIVITY_COUNTS = ("exchanges", "reports_created", "reports_approved", "reports_disseminated")


def _activity(activity: dict[str, Any], previous_label: str, current_label: str) -> dict[str, Any]:
    names = {
        "exchanges": _("exchanges"),
        "reports_created": _("reports written"),
        "reports_approved": _("reports approved"),
        "reports_disseminated": _("reports disseminated"),
    }
    current, previous = activity["current"], activity["previous"]
    rows = [(names[key], previous[key], current[key]) for key in ACTIVITY_COUNTS]
    return {
        "rows": rows,
        "approval": (_hours(previous["median_approval_hours"]), _hours(current["median_approval_hours"])),
        "acknowledgement": (
            _hours(previous["median_acknowledgement_hours"]),
            _hours(current["median_acknowledgement_hours"]),
        ),
        "chart": paired_bars(
            title=_("The liaison office's activity"),
            # Short names under the bars: exchanges, then reports written, approved, disseminated.
            categories=[_("exchanges"), _("reports: written"), _("approved"), _("disseminated")],
            series=[(previous_label, [p for _n, p, _c in rows]), (current_label, [c for _n, _p, c in rows])],
        ),
    }


def present(document: dict[str, Any]) -> dict[str, Any]:
    """Everything the page and the PDF print, from the figures' JSON document, in the active language."""
    period = period_of(document["kind"], date.fromisoformat(document["start"]))
    previous_label, current_label = period.previous().label(), period.label()
    return {
        "period_label": current_label,
        "previous_label": previous_label,
        "computed_at": datetime.fromisoformat(document["computed_at"]),
        "plan": _plan(document["plan"]),
        "indicators": _indicators(document["indicators"]),
        "concerns": _concerns(document["concerns"]),
        "activity": _activity(document["activity"], previous_label, current_label),
    }
