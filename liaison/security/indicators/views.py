"""The indicators' pages: the overview (value, threshold, green or red, trend, sparkline, last computation) and an
indicator's page (a year's chart, its samples, the threshold form). The security office and audit read them; only
a security officer changes a threshold; everyone else gets 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaison.core.exceptions import DomainError
from liaison.core.svgcharts import line_chart, sparkline
from liaison.policy.gates import has_any_role, request_user, roles_required
from liaison.policy.security_office import PLAN_READERS, SECURITY_OFFICE
from liaison.security.indicators.forms import ThresholdForm
from liaison.security.indicators.selectors import (
    SPARK_WEEKS,
    Trend,
    indicator_get,
    indicator_list,
    indicator_series,
    indicator_trends,
    latest_samples,
    weekly_means,
)
from liaison.security.indicators.services import BOOLEANS, PERCENTAGES, indicator_threshold_set
from liaison.security.models import Indicator, IndicatorSample

PAGE_SIZE = 50
YEAR = timedelta(days=365)

# What the counts kept with a sample are, in the reader's language.
DETAIL_LABELS = {
    "accounts": gettext_lazy("active accounts"),
    "with_factor": gettext_lazy("accounts with a second factor"),
    "with_key": gettext_lazy("accounts with a security key"),
    "unknown_names_locked": gettext_lazy("unknown login names locked"),
    "windows": gettext_lazy("counting windows with failures"),
    "throttled_windows": gettext_lazy("windows in which an address was throttled"),
    "checkpoint_size": gettext_lazy("entries covered by the last signed checkpoint"),
    "checked_since_checkpoint": gettext_lazy("entries verified since that checkpoint"),
    "problem": gettext_lazy("problem found"),
    "last_full_verification_ok": gettext_lazy("last full verification found the chain intact"),
    "verified_at": gettext_lazy("last successful verification"),
    "never_verified": gettext_lazy("never verified"),
    "recipients_overdue": gettext_lazy("recipient services overdue"),
    "users_exporting": gettext_lazy("users who exported"),
    "exports": gettext_lazy("exports"),
    "campaigns": gettext_lazy("campaigns concerned"),
}


def value_display(indicator: Indicator, value: float) -> str:
    """A figure as its reader expects it: a share with %, the chain's state in words, other figures as numbers."""
    if indicator.code in BOOLEANS:
        return _("intact") if value >= 1 else _("broken")
    number = formats.number_format(value, decimal_pos=1 if value % 1 else 0)
    return f"{number}\u00a0%" if indicator.code in PERCENTAGES else number


def threshold_display(indicator: Indicator) -> str:
    if indicator.code in BOOLEANS:
        return value_display(indicator, indicator.threshold)
    sign = "≥" if indicator.comparison == "at_least" else "≤"
    return f"{sign}\u00a0{value_display(indicator, indicator.threshold)}"


def trend_label(trend: Trend) -> str:
    labels = {"rising": _("rising"), "falling": _("falling"), "steady": _("steady")}
    if not trend.direction:
        return _("not enough history")
    if trend.better is None:
        return labels[trend.direction]
    return (_("%(trend)s, better") if trend.better else _("%(trend)s, worse")) % {"trend": labels[trend.direction]}


def trend_class(trend: Trend) -> str:
    if trend.better is None:
        return "trend-steady"
    return "trend-better" if trend.better else "trend-worse"


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    sample: IndicatorSample | None
    value: str
    threshold: str
    trend: str
    trend_class: str
    spark: SafeString | None


@roles_required(*PLAN_READERS)
def indicator_list_view(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    indicators = list(indicator_list())
    latest = latest_samples(indicators)
    trends = indicator_trends(indicators, now=now)
    weekly = weekly_means(indicators, since=now - timedelta(weeks=SPARK_WEEKS))
    rows = []
    for indicator in indicators:
        sample = latest.get(indicator.pk)
        trend = trends[indicator.pk]
        means = [round(mean) for _week, mean in weekly.get(indicator.pk, [])]
        rows.append(
            Row(
                indicator=indicator,
                sample=sample,
                value=value_display(indicator, sample.value) if sample else "—",
                threshold=threshold_display(indicator),
                trend=trend_label(trend),
                trend_class=trend_class(trend),
                spark=sparkline(means, label=str(indicator)) if means else None,
            )
        )
    computed = [sample.computed_at for sample in latest.values()]
    return render(
        request,
        "security/indicators/indicator_list.html",
        {"rows": rows, "last_computed_at": max(computed) if computed else None},
    )


def _detail(request: HttpRequest, code: str, form: ThresholdForm | None = None, status: int = 200) -> HttpResponse:
    indicator = indicator_get(code)
    if indicator is None:
        raise Http404
    now = timezone.now()
    weekly = weekly_means([indicator], since=now - YEAR).get(indicator.pk, [])
    points = [(formats.date_format(week, "SHORT_DATE_FORMAT"), round(mean, 2)) for week, mean in weekly]
    chart = line_chart(
        title=_("%(indicator)s: weekly mean over twelve months") % {"indicator": indicator},
        points=points,
        threshold=indicator.threshold,
        threshold_label=_("threshold %(value)s") % {"value": threshold_display(indicator)},
    )
    page = Paginator(indicator_series(indicator, now - YEAR), PAGE_SIZE).get_page(request.GET.get("page"))
    latest = latest_samples([indicator]).get(indicator.pk)
    trend = indicator_trends([indicator], now=now)[indicator.pk]
    can_edit = has_any_role(request.user, *SECURITY_OFFICE)
    context: dict[str, Any] = {
        "indicator": indicator,
        "latest": latest,
        "latest_value": value_display(indicator, latest.value) if latest else "—",
        "latest_detail": [
            (DETAIL_LABELS.get(key, key), value) for key, value in (latest.detail if latest else {}).items()
        ],
        "threshold": threshold_display(indicator),
        "trend": trend_label(trend),
        "trend_class": trend_class(trend),
        "chart": chart if points else None,
        "page": page,
        "samples": [(sample, value_display(indicator, sample.value)) for sample in page.object_list],
        "can_edit": can_edit,
        "form": form or ThresholdForm(initial={"threshold": indicator.threshold}),
        "filters": {},
    }
    return render(request, "security/indicators/indicator_detail.html", context, status=status)


@roles_required(*PLAN_READERS)
def indicator_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    return _detail(request, code)


@require_POST
@roles_required(*SECURITY_OFFICE)
def indicator_threshold_view(request: HttpRequest, code: str) -> HttpResponse:
    indicator = indicator_get(code)
    if indicator is None:
        raise Http404
    form = ThresholdForm(request.POST)
    if not form.is_valid():
        return _detail(request, code, form, status=400)
    try:
        indicator_threshold_set(
            indicator=indicator, threshold=form.cleaned_data["threshold"], by=request_user(request), request=request
        )
    except DomainError as error:
        form.add_error("threshold", str(error))
        return _detail(request, code, form, status=400)
    messages.success(request, _("Threshold saved. The next computation judges the indicator against it."))
    return redirect("security:indicator_detail", code=indicator.code)
