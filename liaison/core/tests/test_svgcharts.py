"""Server-drawn SVG charts: well-formed, proportional, accessible, escaped, the same at every render."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from liaison.core.svgcharts import diverging_bars, paired_bars, sparkline

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '</svg><script>alert("x")</script><svg onload="alert(1)">'


def parse(chart: str) -> ET.Element:
    return ET.fromstring(chart)  # noqa: S314 -- what the tests just drew, no outside document


def group(root: ET.Element, name: str) -> ET.Element:
    found = root.find(f"{SVG}g[@class='{name}']")
    assert found is not None, name
    return found


def bars(root: ET.Element) -> dict[str, ET.Element]:
    """The bars of a chart by their tooltip, e.g. "Received — 2026-01: 5"."""
    found = {}
    for rect in root.iter(f"{SVG}rect"):
        title = rect.find(f"{SVG}title")
        if title is not None:
            found[title.text or ""] = rect
    return found


def height(rect: ET.Element) -> float:
    return float(rect.get("height", "nan"))


def width(rect: ET.Element) -> float:
    return float(rect.get("width", "nan"))


def texts(element: ET.Element) -> list[str]:
    return ["".join(text.itertext()) for text in element.iter(f"{SVG}text")]


def months_chart(received: list[int], given: list[int], **kwargs: str) -> str:
    months = [f"2026-{month:02d}" for month in range(1, len(received) + 1)]
    return paired_bars(
        title=kwargs.get("title", "Exchanges per month"),
        categories=months,
        series=[("Received", received), ("Given", given)],
        description=kwargs.get("description", ""),
    )


def test_paired_bars_is_an_accessible_svg_image() -> None:
    root = parse(months_chart([1, 2], [3, 4], title="Exchanges with Partner A", description="Last two months."))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 ")
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert title.text == "Exchanges with Partner A"
    # The image hides its bars from screen readers, so the description carries the figures.
    assert desc.text == "Last two months.\n2026-01 — Received: 1, Given: 3; 2026-02 — Received: 2, Given: 4"


def test_bar_heights_are_proportional_to_the_values() -> None:
    found = bars(parse(months_chart([5, 10], [10, 0])))

    assert height(found["Received — 2026-02: 10"]) == pytest.approx(2 * height(found["Received — 2026-01: 5"]))
    assert height(found["Given — 2026-01: 10"]) == pytest.approx(height(found["Received — 2026-02: 10"]))
    assert height(found["Received — 2026-01: 5"]) > 0
    assert height(found["Given — 2026-02: 0"]) == 0


def test_bars_stand_on_the_x_axis() -> None:
    root = parse(months_chart([5, 10], [7, 1]))
    axis_y = {float(line.get("y1", "nan")) for line in root.iter(f"{SVG}line") if line.get("class") == "chart-axis"}

    for rect in bars(root).values():
        assert float(rect.get("y", "nan")) + height(rect) == pytest.approx(max(axis_y))


def test_the_tallest_bar_reaches_the_top_tick_when_the_peak_is_round() -> None:
    root = parse(months_chart([5, 10], [3, 0]))
    grid = [float(line.get("y1", "nan")) for line in group(root, "chart-grid-lines")]

    assert texts(group(root, "chart-ticks")) == ["0", "5", "10"]
    assert float(bars(root)["Received — 2026-02: 10"].get("y", "nan")) == pytest.approx(min(grid))


def test_the_top_tick_is_the_next_round_number_above_the_peak() -> None:
    root = parse(months_chart([7, 1], [0, 3]))
    grid = [float(line.get("y1", "nan")) for line in group(root, "chart-grid-lines")]
    tallest = float(bars(root)["Received — 2026-01: 7"].get("y", "nan"))

    assert texts(group(root, "chart-ticks")) == ["0", "2", "4", "6", "8"]
    assert min(grid) < tallest < sorted(grid)[1]


def test_large_counts_get_a_few_round_ticks() -> None:
    root = parse(months_chart([100, 40], [12, 0]))

    assert texts(group(root, "chart-ticks")) == ["0", "25", "50", "75", "100"]


def test_zero_data_and_no_categories_render_without_error() -> None:
    zeros = parse(months_chart([0, 0, 0], [0, 0, 0]))
    empty = parse(paired_bars(title="Nothing yet", categories=[], series=[("Received", []), ("Given", [])]))

    assert texts(group(zeros, "chart-ticks")) == ["0", "1"]
    assert [height(rect) for rect in bars(zeros).values()] == [0.0] * 6
    assert bars(empty) == {}
    assert texts(group(empty, "chart-legend")) == ["Received", "Given"]


def test_the_legend_names_each_series() -> None:
    root = parse(
        paired_bars(
            title="Flows",
            categories=["Q1", "Q2"],
            series=[("Reçu", [1, 2]), ("Donné", [2, 1]), ("Transmis à un tiers", [0, 1])],
        )
    )
    legend = group(root, "chart-legend")

    assert texts(legend) == ["Reçu", "Donné", "Transmis à un tiers"]
    assert [rect.get("class") for rect in legend.iter(f"{SVG}rect")] == [
        "chart-series-0 chart-swatch",
        "chart-series-1 chart-swatch",
        "chart-series-2 chart-swatch",
    ]


def test_a_label_cannot_break_out_of_the_svg() -> None:
    charts = [
        paired_bars(title=HOSTILE, categories=[HOSTILE], series=[(HOSTILE, [1])], description=HOSTILE),
        diverging_bars(title=HOSTILE, rows=[(HOSTILE, 1, 2)], left_label=HOSTILE, right_label=HOSTILE),
        sparkline([1, 2], label=HOSTILE),
    ]
    for chart in charts:
        root = parse(chart)
        tags = {element.tag for element in root.iter()}

        assert f"{SVG}script" not in tags and "script" not in tags
        assert all(element.get("onload") is None for element in root.iter())
        assert "<script" not in chart
        # The label is kept, as text.
        assert any(
            HOSTILE in (element.text or "") or HOSTILE in element.get("aria-label", "") for element in root.iter()
        )


def test_characters_xml_refuses_are_dropped_from_labels() -> None:
    root = parse(paired_bars(title="A\x00B\x1bC", categories=["x\x0by"], series=[("S\x01", [1])]))

    assert root.findtext(f"{SVG}title") == "ABC"
    assert list(bars(root)) == ["S — xy: 1"]


def test_french_labels_stay_text_with_their_accents() -> None:
    chart = diverging_bars(
        title="Réciprocité", rows=[("Ingérence étrangère", 3, 4)], left_label="Reçu", right_label="Donné"
    )

    assert "Ingérence étrangère" in chart and "Reçu" in chart and "&#" not in chart


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative; got -1 in series 'Given'"):
        months_chart([1, 2], [3, -1])
    with pytest.raises(ValueError, match="cannot be negative; got -4 in row 'Cyber'"):
        diverging_bars(title="t", rows=[("Cyber", -4, 2)], left_label="Received", right_label="Given")
    with pytest.raises(ValueError, match="cannot be negative"):
        sparkline([1, -2], label="Received")


def test_counts_are_whole_numbers() -> None:
    with pytest.raises(TypeError, match=r"whole counts; got 2\.5"):
        months_chart([1, 2.5], [3, 1])  # type: ignore[list-item]


def test_each_series_needs_one_value_per_category() -> None:
    with pytest.raises(ValueError, match="'Given' has 1 values for 2 categories"):
        paired_bars(title="t", categories=["a", "b"], series=[("Received", [1, 2]), ("Given", [1])])


def test_at_most_four_series() -> None:
    with pytest.raises(ValueError, match="at most 4 series"):
        paired_bars(title="t", categories=["a"], series=[(str(n), [n]) for n in range(5)])


def test_the_same_input_gives_the_same_chart_and_other_charts_other_ids() -> None:
    first, again = months_chart([1, 2], [3, 4]), months_chart([1, 2], [3, 4])
    other = months_chart([1, 2], [3, 5])

    assert first == again
    assert parse(first).get("aria-labelledby") != parse(other).get("aria-labelledby")


def test_twenty_four_months_are_all_labelled_turned_to_fit() -> None:
    root = parse(months_chart(list(range(24)), list(range(24))))
    labels = list(group(root, "chart-categories").iter(f"{SVG}text"))

    assert len(labels) == 24
    assert all(label.get("transform", "").startswith("rotate(-45") for label in labels)


def test_a_few_short_labels_stay_level() -> None:
    root = parse(months_chart([1, 2, 3], [3, 2, 1]))
    labels = list(group(root, "chart-categories").iter(f"{SVG}text"))

    assert [label.text for label in labels] == ["2026-01", "2026-02", "2026-03"]
    assert all(label.get("transform") is None for label in labels)


def test_many_categories_show_every_few_labels() -> None:
    categories = [f"Week {n}" for n in range(1, 101)]
    root = parse(paired_bars(title="t", categories=categories, series=[("Received", [1] * 100)]))
    shown = texts(group(root, "chart-categories"))

    assert 5 < len(shown) < 100
    assert shown[0] == "Week 1" and len(bars(root)) == 100


def test_a_long_label_is_shortened_with_its_full_text_as_a_tooltip() -> None:
    long = "Terrorisme et radicalisation violente dans la zone Ouest"
    root = parse(diverging_bars(title="t", rows=[(long, 1, 2)], left_label="Reçu", right_label="Donné"))
    label = next(text for text in group(root, "chart-rows").iter(f"{SVG}text") if text.get("class") == "chart-label")

    assert label.text is not None and label.text.endswith("…") and len(label.text) == 28
    assert label.findtext(f"{SVG}title") == long


def test_diverging_bars_grow_from_the_centre_in_proportion() -> None:
    rows = [("Cyber", 10, 5), ("Terrorisme", 0, 20)]
    root = parse(diverging_bars(title="By theme", rows=rows, left_label="Received", right_label="Given"))
    found = bars(root)
    axis = next(line for line in root.iter(f"{SVG}line") if line.get("class") == "chart-axis")
    centre = float(axis.get("x1", "nan"))
    cyber_left, cyber_right = found["Cyber — Received: 10"], found["Cyber — Given: 5"]

    # Coordinates carry two decimals.
    assert width(cyber_left) == pytest.approx(2 * width(cyber_right), abs=0.02)
    assert width(found["Terrorisme — Given: 20"]) == pytest.approx(2 * width(cyber_left), abs=0.02)
    assert width(found["Terrorisme — Received: 0"]) == 0
    assert float(cyber_left.get("x", "nan")) + width(cyber_left) < centre < float(cyber_right.get("x", "nan"))
    assert texts(group(root, "chart-legend")) == ["Received", "Given"]


def test_diverging_bars_write_each_number_beyond_its_bar_end() -> None:
    root = parse(diverging_bars(title="t", rows=[("Cyber", 10, 5)], left_label="Received", right_label="Given"))
    found = bars(root)
    numbers = {
        text.text: float(text.get("x", "nan")) for text in root.iter(f"{SVG}text") if text.get("class") == "chart-value"
    }
    left, right = found["Cyber — Received: 10"], found["Cyber — Given: 5"]

    assert numbers["10"] < float(left.get("x", "nan"))
    assert numbers["5"] > float(right.get("x", "nan")) + width(right)


def test_diverging_bars_with_no_rows_or_only_zeros_render() -> None:
    empty = parse(diverging_bars(title="t", rows=[], left_label="Received", right_label="Given"))
    zeros = parse(diverging_bars(title="t", rows=[("Cyber", 0, 0)], left_label="Received", right_label="Given"))

    assert bars(empty) == {}
    assert [width(rect) for rect in bars(zeros).values()] == [0.0, 0.0]


def test_sparkline_draws_one_point_per_value_highest_at_the_top() -> None:
    root = parse(sparkline([0, 4, 2], label="Received per month"))
    line = root.find(f"{SVG}polyline")
    assert line is not None
    points = [tuple(float(n) for n in point.split(",")) for point in line.get("points", "").split()]

    assert len(points) == 3
    assert points[1][1] < points[2][1] < points[0][1]
    assert root.get("aria-label") == "Received per month: 0, 4, 2"


def test_sparkline_of_one_or_no_value_renders() -> None:
    assert parse(sparkline([3], label="x")).find(f"{SVG}circle") is not None
    assert parse(sparkline([], label="x")).find(f"{SVG}polyline") is None


def test_progress_bars_are_proportional_on_a_full_track_with_their_percentage() -> None:
    from liaison.core.svgcharts import progress_bars

    root = parse(progress_bars(title="Progress", rows=[("1st line", 50), ("2nd line", 100), ("3rd line", 0)]))
    rows = group(root, "chart-rows")
    tracks = [float(r.get("width", "0")) for r in rows.findall(f"{SVG}rect[@class='chart-track']")]
    filled = [float(r.get("width", "0")) for r in rows.findall(f"{SVG}rect[@class='chart-series-0']")]
    assert len(tracks) == 3 and len(set(tracks)) == 1
    assert filled[0] == pytest.approx(tracks[0] / 2, abs=0.01) and filled[1] == pytest.approx(tracks[0], abs=0.01)
    assert filled[2] == 0
    assert [t.text for t in rows.findall(f"{SVG}text[@class='chart-value']")] == ["50 %", "100 %", "0 %"]


def test_progress_bars_refuse_a_share_above_a_hundred() -> None:
    from liaison.core.svgcharts import progress_bars

    with pytest.raises(ValueError, match="at most 100"):
        progress_bars(title="Progress", rows=[("1st line", 120)])
