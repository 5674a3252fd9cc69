"""The indicators' pages as the security office and audit use them: the overview with values, thresholds, verdicts,
trends and sparklines; an indicator's year as a chart and a table; the threshold form (security officer only), with
a clear message on bad input; constant query counts whatever the number of samples."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.core.svgcharts import line_chart
from liaison.security.indicators.services import indicator_history_record, indicators_compute
from liaison.security.models import Indicator, IndicatorCode
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries


def _history(weeks: range, code: str = IndicatorCode.SECOND_FACTOR_SHARE) -> None:
    indicator = Indicator.objects.get(code=code)
    now = timezone.now()
    indicator_history_record(samples=[(indicator, now - timedelta(weeks=n), 60.0 + n % 30) for n in weeks])


def test_the_overview_shows_each_indicator_with_its_verdict_and_last_computation(cast: Cast, client: Client) -> None:
    _history(range(1, 10))
    indicators_compute(now=timezone.now())
    login_as(client, cast.erin)
    response = client.get(reverse("security:indicator_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="indicator-row"') == len(IndicatorCode)
    assert "accounts with a second factor (%)" in page and "≥\u00a095\u00a0%" in page
    assert "Last computation:" in page and "chart-sparkline" in page
    assert 'class="indicator-met"' in page  # the chain is intact
    assert "style=" not in page


def test_the_overview_says_when_nothing_was_computed_yet(cast: Cast, client: Client) -> None:
    login_as(client, cast.grace)
    page = client.get(reverse("security:indicator_list")).content.decode()
    assert "Not computed yet" in page and "not enough history" in page


def test_an_indicator_shows_a_year_as_a_chart_and_a_table(cast: Cast, client: Client) -> None:
    _history(range(0, 60))  # more than a year: the oldest weeks are left out
    login_as(client, cast.erin)
    response = client.get(reverse("security:indicator_detail", args=["second_factor_share"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "chart-line-chart" in page and "threshold ≥\u00a095\u00a0%" in page
    assert page.count("<tr><td><time") == 50  # the first page of the year's 53 samples
    assert "Page 1 of 2" in page
    assert 'name="threshold"' not in page  # audit reads, does not set


def test_a_security_officer_changes_a_threshold_from_the_indicators_page(cast: Cast, client: Client) -> None:
    login_as(client, cast.grace)
    url = reverse("security:indicator_threshold", args=["failed_logins"])
    response = client.post(url, {"threshold": "25"})
    assert response.status_code == 302
    assert response["Location"] == reverse("security:indicator_detail", args=["failed_logins"])
    assert Indicator.objects.get(code="failed_logins").threshold == 25
    assert AuditEntry.objects.filter(event=AuditEvent.INDICATOR_THRESHOLD_SET).count() == 1


def test_a_bad_threshold_is_refused_with_what_to_enter(cast: Cast, client: Client) -> None:
    login_as(client, cast.grace)
    url = reverse("security:indicator_threshold", args=["second_factor_share"])
    for value, message in (("abc", "Enter a number"), ("150", "between 0 and 100"), ("", "This field is required")):
        response = client.post(url, {"threshold": value})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert Indicator.objects.get(code="second_factor_share").threshold == 95
    assert not AuditEntry.objects.filter(event=AuditEvent.INDICATOR_THRESHOLD_SET).exists()


def test_the_overview_runs_the_same_queries_whatever_the_history(cast: Cast, client: Client) -> None:
    _history(range(1, 4))
    indicators_compute(now=timezone.now())
    login_as(client, cast.grace)

    def grow() -> None:
        for code in (IndicatorCode.FAILED_LOGINS, IndicatorCode.LOCKED_ACCOUNTS):
            _history(range(4, 40), code)

    assert_page_queries(client, reverse("security:indicator_list"), 8, grow=grow)


def test_an_indicators_page_runs_the_same_queries_whatever_the_history(cast: Cast, client: Client) -> None:
    _history(range(1, 4))
    login_as(client, cast.grace)
    assert_page_queries(
        client,
        reverse("security:indicator_detail", args=["second_factor_share"]),
        10,
        grow=lambda: _history(range(4, 50)),
    )


def test_a_line_chart_draws_each_point_and_the_threshold_as_valid_svg() -> None:
    points = [("1 Jan", 70.0), ("8 Jan", 72.5), ("15 Jan", 96.0)]
    svg = str(line_chart(title="Second factor <share>", points=points, threshold=95.0, threshold_label="≥ 95 %"))
    root = ElementTree.fromstring(svg)  # noqa: S314 -- what the test just drew, no outside document
    ns = {"svg": "http://www.w3.org/2000/svg"}
    title, desc = root.find("svg:title", ns), root.find("svg:desc", ns)
    assert title is not None and title.text == "Second factor <share>"
    assert len(root.findall(".//svg:circle", ns)) == 3
    assert len(root.findall(".//svg:polyline", ns)) == 1
    threshold = root.find(".//svg:g[@class='chart-threshold']/svg:line", ns)
    assert threshold is not None
    # The y axis runs from 0 to 100 over the plot's 220 pixels from y=230: 95 sits at 230 - 209.
    assert float(threshold.get("y1", "")) == 21
    assert "style" not in svg
    assert desc is not None and "8 Jan: 72.5" in (desc.text or "")


def test_a_line_chart_refuses_negative_or_non_numeric_values() -> None:
    import pytest

    with pytest.raises(ValueError, match="cannot be negative"):
        line_chart(title="t", points=[("a", -1.0)])
    with pytest.raises(TypeError, match="finite numbers"):
        line_chart(title="t", points=[("a", float("nan"))])
    assert "<polyline" not in str(line_chart(title="t", points=[("a", 1.0)]))
