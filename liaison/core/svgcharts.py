"""Charts drawn on the server as inline SVG strings: grouped bars, back-to-back bars and sparklines, without script.

Colours come from the chart-* classes of liaison.css (the Content-Security-Policy refuses style attributes)."""

from __future__ import annotations

import hashlib
import math
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from liaison.core.text import bidi_controls_strip

SVG_NS = "http://www.w3.org/2000/svg"
# viewBox widths: the charts scale to their container, so text is FONT_SIZE where the container is this wide.
WIDTH = 720
DIVERGING_WIDTH = 560
FONT_SIZE = 12
# A generous average advance for system sans-serif fonts at FONT_SIZE: layout reserves room for labels with it.
CHAR_WIDTH = FONT_SIZE * 0.62
LINE_HEIGHT = FONT_SIZE * 1.3
MAX_SERIES = 4
PLOT_HEIGHT = 220
# Characters XML 1.0 refuses anywhere: one in a label would make the chart unreadable by an XML parser.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def paired_bars(
    *, title: str, categories: list[str], series: list[tuple[str, list[int]]], description: str = ""
) -> SafeString:
    """Grouped vertical bars, one group per category (e.g. a month) and one bar per series (e.g. received, given).

    Up to four series; every series gives one count per category. The y axis runs from 0 to a round number at or
    above the largest count; category labels turn and thin out when they would not fit side by side."""
    _check_series(categories, series)
    peak = max((value for _, values in series for value in values), default=0)
    ticks = _ticks(peak)
    top = ticks[-1]
    left = math.ceil(max(_width(str(tick)) for tick in ticks)) + 12
    layout = _CategoryLayout(categories, WIDTH - left - 8)
    if layout.rotated and layout.overhang > left:
        left = math.ceil(layout.overhang)
        layout = _CategoryLayout(categories, WIDTH - left - 8)
    plot_width = WIDTH - left - 8
    legend, legend_height = _legend([label for label, _ in series], x=left, width=plot_width)
    baseline = legend_height + 10 + PLOT_HEIGHT
    height = baseline + layout.height

    parts = _y_axis(ticks, left=left, baseline=baseline)
    parts += _bars(categories, series, top=top, left=left, slot=layout.slot, baseline=baseline)
    parts.append(
        f'<line class="chart-axis" x1="{left}" y1="{baseline}" x2="{WIDTH - 8}" y2="{baseline}"/>'
        f'<line class="chart-axis" x1="{left}" y1="{legend_height + 10}" x2="{left}" y2="{baseline}"/>'
    )
    parts.extend(layout.labels(left, baseline))
    parts.extend(legend)

    summary = "; ".join(
        f"{category} — " + ", ".join(f"{label}: {values[index]}" for label, values in series)
        for index, category in enumerate(categories)
    )
    key = repr(("paired_bars", title, categories, series, description))
    return _svg("chart-paired-bars", key, title, _join(description, summary), WIDTH, height, parts)


def diverging_bars(
    *, title: str, rows: list[tuple[str, int, int]], left_label: str, right_label: str, description: str = ""
) -> SafeString:
    """Back-to-back horizontal bars, one row per label (e.g. a theme): the left count grows leftwards from a central
    axis, the right count rightwards, both on the same scale, each with its number written at the bar's end."""
    for label, left_value, right_value in rows:
        _check_counts([left_value, right_value], f"row {label!r}")
    peak = max((max(left_value, right_value) for _, left_value, right_value in rows), default=0) or 1
    labels = [_short(label, 28) for label, _, _ in rows]
    label_column = math.ceil(max((_width(label) for label in labels), default=0)) + 16
    centre = label_column + (DIVERGING_WIDTH - 8 - label_column) / 2
    # Room at each bar's end for its number, so the longest bar's number stays inside the chart.
    half = (DIVERGING_WIDTH - 8 - label_column) / 2 - 1 - _width(str(peak)) - 8
    header, row_height, bar_height = 28, 26, 16
    height = header + len(rows) * row_height + 6
    # The header's names may spread over the label column on the left, up to the edge on the right.
    left_room, right_room = int((centre - 24) / CHAR_WIDTH), int((DIVERGING_WIDTH - centre - 24) / CHAR_WIDTH)

    parts = [
        '<g class="chart-legend">',
        f'<rect class="chart-series-0 chart-swatch" x="{_n(centre - 20)}" y="6" width="12" height="12"/>',
        f'<text class="chart-label" x="{_n(centre - 24)}" y="16" text-anchor="end">'
        f"{_labelled(left_label, left_room)}</text>",
        f'<rect class="chart-series-1 chart-swatch" x="{_n(centre + 8)}" y="6" width="12" height="12"/>',
        f'<text class="chart-label" x="{_n(centre + 24)}" y="16">{_labelled(right_label, right_room)}</text>',
        "</g>",
        '<g class="chart-rows">',
    ]
    for index, (label, left_value, right_value) in enumerate(rows):
        top = header + index * row_height + (row_height - bar_height) / 2
        bars = (
            (left_label, left_value, left_value / peak * half),
            (right_label, right_value, right_value / peak * half),
        )
        parts += _diverging_row(label, bars, label_x=label_column - 8, centre=centre, top=top, height=bar_height)
    parts.append("</g>")
    parts.append(f'<line class="chart-axis" x1="{_n(centre)}" y1="{header - 4}" x2="{_n(centre)}" y2="{height}"/>')

    summary = "; ".join(f"{label} — {left_label}: {lv}, {right_label}: {rv}" for label, lv, rv in rows)
    key = repr(("diverging_bars", title, rows, left_label, right_label, description))
    return _svg("chart-diverging-bars", key, title, _join(description, summary), DIVERGING_WIDTH, height, parts)


def sparkline(values: list[int], *, label: str) -> SafeString:
    """A small line of counts for a table cell, 80 by 20 pixels; `label` says what is counted and is read with the
    counts by screen readers."""
    _check_counts(values, repr(label))
    width, height, pad = 80, 20, 2
    peak = max(values, default=0) or 1
    step = (width - 2 * pad) / (len(values) - 1) if len(values) > 1 else 0
    points = [
        (pad + index * step if len(values) > 1 else width / 2, height - pad - value / peak * (height - 2 * pad))
        for index, value in enumerate(values)
    ]
    name = _text(f"{label}: {', '.join(str(value) for value in values)}")
    parts = [
        f'<svg xmlns="{SVG_NS}" class="chart-sparkline" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{name}"><title>{name}</title>',
        f'<line class="chart-grid" x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}"/>',
    ]
    if len(points) > 1:
        parts.append(f'<polyline class="chart-line" points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in points)}"/>')
    if points:
        parts.append(f'<circle class="chart-dot" cx="{_n(points[-1][0])}" cy="{_n(points[-1][1])}" r="2"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every label went through _text


class _CategoryLayout:
    """Where category labels go under the x axis: level when the widest fits its slot, else turned 45 degrees and,
    when even turned labels would touch, only every `step`-th one."""

    def __init__(self, categories: list[str], plot_width: float) -> None:
        self.categories = categories
        self.slot = plot_width / len(categories) if categories else plot_width
        self.widest = max((_width(_short(category, 16)) for category in categories), default=0)
        self.rotated = self.widest > self.slot - 4
        # Turned labels sit slot * sin(45°) apart, measured across their lines of text.
        self.step = max(1, math.ceil(LINE_HEIGHT / (self.slot * math.sqrt(0.5)))) if self.rotated else 1
        diagonal = self.widest * math.sqrt(0.5)
        self.height = math.ceil(diagonal + FONT_SIZE + 14) if self.rotated else FONT_SIZE + 12
        self.overhang = diagonal - self.slot / 2 + 6

    def labels(self, left: float, baseline: float) -> list[str]:
        parts = ['<g class="chart-categories">']
        for index, category in enumerate(self.categories):
            if index % self.step:
                continue
            x = left + (index + 0.5) * self.slot
            text = _labelled(category, 16)
            if self.rotated:
                y = baseline + 12
                parts.append(
                    f'<text class="chart-label" x="{_n(x + 4)}" y="{y}" text-anchor="end" '
                    f'transform="rotate(-45 {_n(x + 4)} {y})">{text}</text>'
                )
            else:
                parts.append(
                    f'<text class="chart-label" x="{_n(x)}" y="{baseline + 16}" text-anchor="middle">{text}</text>'
                )
        parts.append("</g>")
        return parts


def _y_axis(ticks: list[int], *, left: float, baseline: float) -> list[str]:
    """A grid line and a number at each tick, the last tick at the top of the plot."""
    lines, labels = ['<g class="chart-grid-lines">'], ['<g class="chart-ticks">']
    for tick in ticks:
        y = _n(baseline - tick / ticks[-1] * PLOT_HEIGHT)
        lines.append(f'<line class="chart-grid" x1="{left}" y1="{y}" x2="{WIDTH - 8}" y2="{y}"/>')
        labels.append(f'<text class="chart-tick" x="{left - 6}" y="{y}" dy=".35em" text-anchor="end">{tick}</text>')
    return [*lines, "</g>", *labels, "</g>"]


def _bars(
    categories: list[str],
    series: list[tuple[str, list[int]]],
    *,
    top: int,
    left: float,
    slot: float,
    baseline: float,
) -> list[str]:
    """One group of bars per category slot, each bar with its series, category and value as a tooltip."""
    parts = ['<g class="chart-bars">']
    group = slot * 0.8
    bar = group / len(series) if series else 0
    gap = 1 if bar > 4 else 0
    for index, category in enumerate(categories):
        x0 = left + index * slot + (slot - group) / 2
        for number, (label, values) in enumerate(series):
            value = values[index]
            bar_height = value / top * PLOT_HEIGHT
            parts.append(
                f'<rect class="chart-series-{number}" x="{_n(x0 + number * bar)}" y="{_n(baseline - bar_height)}" '
                f'width="{_n(bar - gap)}" height="{_n(bar_height)}">'
                f"<title>{_text(label)} — {_text(category)}: {value}</title></rect>"
            )
    parts.append("</g>")
    return parts


def _diverging_row(
    label: str, bars: tuple[tuple[str, int, float], ...], *, label_x: float, centre: float, top: float, height: int
) -> list[str]:
    """A row's label, then its left and right bars as (series name, count, length), each count at its bar's end."""
    (left_label, left_value, left_width), (right_label, right_value, right_width) = bars
    y = _n(top + height / 2)
    return [
        f'<text class="chart-label" x="{_n(label_x)}" y="{y}" dy=".35em" text-anchor="end">'
        f"{_labelled(label, 28)}</text>",
        f'<rect class="chart-series-0" x="{_n(centre - 1 - left_width)}" y="{_n(top)}" width="{_n(left_width)}" '
        f'height="{height}"><title>{_text(label)} — {_text(left_label)}: {left_value}</title></rect>',
        f'<rect class="chart-series-1" x="{_n(centre + 1)}" y="{_n(top)}" width="{_n(right_width)}" '
        f'height="{height}"><title>{_text(label)} — {_text(right_label)}: {right_value}</title></rect>',
        f'<text class="chart-value" x="{_n(centre - 5 - left_width)}" y="{y}" dy=".35em" text-anchor="end">'
        f"{left_value}</text>",
        f'<text class="chart-value" x="{_n(centre + 5 + right_width)}" y="{y}" dy=".35em">{right_value}</text>',
    ]


def _legend(labels: list[str], *, x: float, width: float) -> tuple[list[str], int]:
    """One swatch and name per series, left to right, starting a new line when the next would overflow."""
    parts = ['<g class="chart-legend">']
    cursor, line = x, 0
    for number, label in enumerate(labels):
        short = _short(label, 40)
        item = 12 + 6 + _width(short) + 18
        if cursor > x and cursor + item > x + width:
            cursor, line = x, line + 1
        y = 4 + line * 20
        parts.append(
            f'<rect class="chart-series-{number} chart-swatch" x="{_n(cursor)}" y="{y}" width="12" height="12"/>'
            f'<text class="chart-label" x="{_n(cursor + 18)}" y="{y + 10}">{_labelled(label, 40)}</text>'
        )
        cursor += item
    parts.append("</g>")
    return parts, (line + 1) * 20 if labels else 0


def _svg(kind: str, key: str, title: str, description: str, width: int, height: float, parts: list[str]) -> SafeString:
    # Ids come from the content, so the same chart is the same text at every render; distinct charts on one page
    # get distinct ids.
    chart_id = "chart-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    head = (
        f'<svg xmlns="{SVG_NS}" class="chart {kind}" viewBox="0 0 {width} {_n(height)}" width="100%" '
        f'font-size="{FONT_SIZE}" role="img" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc">'
        f'<title id="{chart_id}-title">{_text(title)}</title><desc id="{chart_id}-desc">{_text(description)}</desc>'
    )
    return mark_safe(head + "\n".join(parts) + "</svg>")  # every label went through _text


def _check_series(categories: list[str], series: list[tuple[str, list[int]]]) -> None:
    if len(series) > MAX_SERIES:
        raise ValueError(f"A bar chart shows at most {MAX_SERIES} series, not {len(series)}; split it in two.")
    for label, values in series:
        if len(values) != len(categories):
            raise ValueError(
                f"Series {label!r} has {len(values)} values for {len(categories)} categories; "
                "give one value per category."
            )
        _check_counts(values, f"series {label!r}")


def _check_counts(values: list[int], where: str) -> None:
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"Chart values are whole counts; got {value!r} in {where}.")
        if value < 0:
            raise ValueError(f"Chart values are counts and cannot be negative; got {value} in {where}.")


def _ticks(peak: int) -> list[int]:
    """0 and round steps (1, 2, 5, 10, 20, 25, 50, ...) up to the first at or above `peak`, about four of them."""
    if peak <= 0:
        return [0, 1]
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude // 2, 5 * magnitude):
            if step * 4 >= peak:
                return list(range(0, math.ceil(peak / step) * step + 1, step))
        magnitude *= 10


def _text(value: str) -> str:
    """A label as XML text or attribute value: characters XML refuses and direction controls dropped, then escaped."""
    return escape(bidi_controls_strip(XML_FORBIDDEN.sub("", value)))


def _labelled(label: str, limit: int) -> str:
    """The label shortened to `limit` characters for display; a shortened one keeps its full text as a tooltip."""
    short = _short(label, max(limit, 4))
    if short == label:
        return _text(label)
    return f"{_text(short)}<title>{_text(label)}</title>"


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _join(description: str, summary: str) -> str:
    return f"{description}\n{summary}" if description and summary else description or summary


def _n(number: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros."""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def line_chart(
    *,
    title: str,
    points: list[tuple[str, float]],
    threshold: float | None = None,
    threshold_label: str = "",
    description: str = "",
) -> SafeString:
    """A line of values over time, one point per (label, value) from oldest to newest (e.g. weekly means of an
    indicator), on a y axis from 0 to a round number at or above the largest value and the threshold; the
    threshold, when given, is a dashed line named by `threshold_label`. Values may be fractions, never negative;
    point labels turn and thin out like bar charts' categories."""
    values = [value for _label, value in points]
    for value in [*values, *([threshold] if threshold is not None else [])]:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise TypeError(f"Line chart values are finite numbers; got {value!r} in {title!r}.")
        if value < 0:
            raise ValueError(f"Line chart values cannot be negative; got {value} in {title!r}.")
    labels = [label for label, _value in points]
    ticks = _ticks(math.ceil(max([*values, threshold or 0], default=0)))
    top = ticks[-1]
    left = math.ceil(max(_width(str(tick)) for tick in ticks)) + 12
    layout = _CategoryLayout(labels, WIDTH - left - 8)
    if layout.rotated and layout.overhang > left:
        left = math.ceil(layout.overhang)
        layout = _CategoryLayout(labels, WIDTH - left - 8)
    baseline = 10 + PLOT_HEIGHT
    height = baseline + layout.height

    def y(value: float) -> float:
        return baseline - value / top * PLOT_HEIGHT

    coordinates = [(left + (index + 0.5) * layout.slot, y(value)) for index, value in enumerate(values)]
    parts = _y_axis(ticks, left=left, baseline=baseline)
    if threshold is not None:
        name = _text(threshold_label or f"{threshold:g}")
        # The name sits above the line, or below it when the line runs along the top of the plot.
        label_y = y(threshold) - 4 if y(threshold) - 4 > FONT_SIZE + 2 else y(threshold) + FONT_SIZE + 2
        parts.append(
            f'<g class="chart-threshold"><line x1="{left}" y1="{_n(y(threshold))}" x2="{WIDTH - 8}" '
            f'y2="{_n(y(threshold))}"><title>{name}</title></line>'
            f'<text class="chart-label" x="{WIDTH - 10}" y="{_n(label_y)}" text-anchor="end">{name}</text></g>'
        )
    if len(coordinates) > 1:
        line = " ".join(f"{_n(x)},{_n(y_)}" for x, y_ in coordinates)
        parts.append(f'<polyline class="chart-line" points="{line}"/>')
    parts.append('<g class="chart-points">')
    for (x, y_), (label, value) in zip(coordinates, points, strict=True):
        parts.append(
            f'<circle class="chart-dot" cx="{_n(x)}" cy="{_n(y_)}" r="2.5">'
            f"<title>{_text(label)}: {value:g}</title></circle>"
        )
    parts.append("</g>")
    parts.append(
        f'<line class="chart-axis" x1="{left}" y1="{baseline}" x2="{WIDTH - 8}" y2="{baseline}"/>'
        f'<line class="chart-axis" x1="{left}" y1="10" x2="{left}" y2="{baseline}"/>'
    )
    parts.extend(layout.labels(left, baseline))
    summary = "; ".join(f"{label}: {value:g}" for label, value in points)
    if threshold is not None:
        summary = _join(threshold_label or f"{threshold:g}", summary)
    key = repr(("line_chart", title, points, threshold, threshold_label, description))
    return _svg("chart-line-chart", key, title, _join(description, summary), WIDTH, height, parts)


def progress_bars(*, title: str, rows: list[tuple[str, int]], description: str = "") -> SafeString:
    """Horizontal bars of percentages, one row per label (e.g. a line of defence's mean progress): each bar on a
    0 to 100 track, its percentage written at its end."""
    for label, value in rows:
        _check_counts([value], f"row {label!r}")
        if value > 100:
            raise ValueError(f"Progress is a percentage, at most 100; got {value} in row {label!r}.")
    labels = [_short(label, 36) for label, _ in rows]
    label_column = math.ceil(max((_width(label) for label in labels), default=0)) + 16
    track = DIVERGING_WIDTH - 8 - label_column - _width("100 %") - 8
    row_height, bar_height = 26, 16
    height = len(rows) * row_height + 6
    parts = ['<g class="chart-rows">']
    for index, (label, value) in enumerate(rows):
        top = index * row_height + (row_height - bar_height) / 2 + 3
        y = _n(top + bar_height / 2)
        length = value / 100 * track
        parts += [
            f'<text class="chart-label" x="{label_column - 8}" y="{y}" dy=".35em" text-anchor="end">'
            f"{_labelled(label, 36)}</text>",
            f'<rect class="chart-track" x="{label_column}" y="{_n(top)}" width="{_n(track)}" height="{bar_height}"/>',
            f'<rect class="chart-series-0" x="{label_column}" y="{_n(top)}" width="{_n(length)}" '
            f'height="{bar_height}"><title>{_text(label)}: {value} %</title></rect>',
            f'<text class="chart-value" x="{_n(label_column + length + 5)}" y="{y}" dy=".35em">{value} %</text>',
        ]
    parts.append("</g>")
    summary = "; ".join(f"{label}: {value} %" for label, value in rows)
    key = repr(("progress_bars", title, rows, description))
    return _svg("chart-progress-bars", key, title, _join(description, summary), DIVERGING_WIDTH, height, parts)
