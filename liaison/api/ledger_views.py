"""The reciprocity ledger in the API: the office-wide table (one page of partners, sorted as asked) and one
partner's ledger, computed by `liaison.releases.ledger` over what the caller may read, exactly as the pages do.
Only the office's roles use it; for anyone else, and for a partner the caller may not see, it does not exist (404).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.accounts.models import LEDGER_ROLES, User
from liaison.api.handlers import ApiPagination
from liaison.api.serializers.inputs import unprocessable
from liaison.api.views import _filters, _user
from liaison.audit.services import record_list_read
from liaison.partners.models import Partner
from liaison.partners.selectors import partner_get
from liaison.policy.gates import has_any_role
from liaison.releases.ledger import Figures, Ledger, PartnerRow, ledger_office, ledger_partner
from liaison.releases.ledger_period import DEFAULT_SORT, SORT_COLUMNS, LedgerInputError, Period, period_parse

MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


def _month_field(help_text: Any) -> serializers.RegexField:
    return serializers.RegexField(
        MONTH_PATTERN,
        max_length=7,
        required=False,
        help_text=help_text,
        error_messages={"invalid": gettext_lazy("Give a month as YYYY-MM, e.g. 2026-03.")},
    )


# ---------------------------------------------------------------- what the caller sends


class LedgerPeriodFilterSerializer(serializers.Serializer[Any]):
    """`from` and `to` as YYYY-MM, both included; by default the 12 months up to this one."""

    locals()["from"] = _month_field(gettext_lazy("First month (YYYY-MM); default: 11 months before `to`."))
    to = _month_field(gettext_lazy("Last month (YYYY-MM); default: this month."))


class LedgerFilterSerializer(LedgerPeriodFilterSerializer):
    sort = serializers.ChoiceField(
        choices=[*SORT_COLUMNS, *(f"-{column}" for column in SORT_COLUMNS)],
        required=False,
        help_text=gettext_lazy("Column to sort the partners by; - in front for descending (default -imbalance)."),
    )


# ---------------------------------------------------------------- what the API answers


class LedgerFiguresSerializer(serializers.Serializer[Figures]):
    received = serializers.IntegerField(help_text=gettext_lazy("Items received whose originator is the partner."))
    received_ab = serializers.IntegerField(help_text=gettext_lazy("Of those, sources rated A or B."))
    received_12 = serializers.IntegerField(help_text=gettext_lazy("Of those, information rated 1 or 2."))
    requests_answered = serializers.IntegerField(help_text=gettext_lazy("Our consent requests the partner answered."))
    provided = serializers.IntegerField(help_text=gettext_lazy("Items provided in exchanges with the partner."))
    released = serializers.IntegerField(help_text=gettext_lazy("Releases approved and not recalled."))
    released_items = serializers.IntegerField(help_text=gettext_lazy("Items and tearlines those releases carried."))
    recalled = serializers.IntegerField(help_text=gettext_lazy("Releases recalled (not counted as given)."))
    recalled_items = serializers.IntegerField()
    given = serializers.IntegerField(help_text=gettext_lazy("provided + released_items."))
    imbalance = serializers.IntegerField(help_text=gettext_lazy("received - given."))
    share_ab = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Percent; null when none received."))
    share_12 = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Percent; null when none received."))
    exchanges = serializers.IntegerField()
    spontaneous_exchanges = serializers.IntegerField(
        help_text=gettext_lazy("Exchanges in which the partner gave and the office gave nothing.")
    )
    proactive_share = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Percent of the exchanges."))
    is_proactive = serializers.BooleanField(
        help_text=gettext_lazy("When that share is half or more, over at least 3 exchanges.")
    )


class LedgerMonthSerializer(LedgerFiguresSerializer):
    month = serializers.CharField(help_text="YYYY-MM")


class LedgerPartnerRefSerializer(serializers.Serializer[Partner]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    acronym = serializers.CharField()
    country = serializers.CharField()


class LedgerPeriodSerializer(serializers.Serializer[Period]):
    locals()["from"] = serializers.CharField(help_text="YYYY-MM")
    to = serializers.CharField(help_text="YYYY-MM")
    months = serializers.ListField(child=serializers.CharField())


class LedgerMarkingSerializer(serializers.Serializer[Any]):
    classification = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("The highest classification of what was counted.")
    )
    rank = serializers.IntegerField(allow_null=True)
    compartments = serializers.ListField(child=serializers.CharField())


class LedgerRowSerializer(LedgerFiguresSerializer):
    partner = LedgerPartnerRefSerializer()
    months = LedgerMonthSerializer(many=True)


class LedgerOfficeSerializer(serializers.Serializer[Any]):
    period = LedgerPeriodSerializer()
    sort = serializers.CharField()
    markings = LedgerMarkingSerializer()
    totals = LedgerFiguresSerializer()
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = LedgerRowSerializer(many=True)


class LedgerThemeSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text=gettext_lazy("Compartment code; empty for items without a theme."))
    name = serializers.CharField()
    received = serializers.IntegerField()
    given = serializers.IntegerField()


class LedgerPartnerSerializer(serializers.Serializer[Any]):
    partner = LedgerPartnerRefSerializer()
    period = LedgerPeriodSerializer()
    markings = LedgerMarkingSerializer()
    totals = LedgerFiguresSerializer()
    months = LedgerMonthSerializer(many=True)
    themes = LedgerThemeSerializer(many=True)


# ---------------------------------------------------------------- the endpoints


def _ledger_user(request: Request) -> User:
    user = _user(request)
    if not has_any_role(user, *LEDGER_ROLES):
        raise Http404
    return user


def _period(filters: dict[str, Any]) -> Period:
    try:
        return period_parse(filters.get("from"), filters.get("to"))
    except LedgerInputError as error:
        raise unprocessable({error.field: [error.message]}) from None


def _month(month: date) -> str:
    return f"{month:%Y-%m}"


def _period_out(period: Period) -> dict[str, Any]:
    return {"from": _month(period.first), "to": _month(period.last), "months": [_month(m) for m in period.months]}


def _months(by_month: dict[date, Figures], period: Period) -> list[dict[str, Any]]:
    return [{"month": _month(m), **(by_month.get(m) or Figures()).as_dict()} for m in period.months]


def _partner(partner: Partner) -> dict[str, Any]:
    return {"id": partner.pk, "name": partner.name, "acronym": partner.acronym, "country": partner.country}


def _markings(ledger: Ledger) -> dict[str, Any]:
    level = ledger.marking.classification
    return {
        "classification": level.label if level else None,
        "rank": level.rank if level else None,
        "compartments": [c.code for c in ledger.marking.all()],
    }


class LedgerOfficeView(APIView):
    @extend_schema(
        operation_id="ledger_list",
        summary=gettext_lazy("The reciprocity ledger: one page of partners with what was received and given."),
        parameters=[
            LedgerFilterSerializer,
            OpenApiParameter(
                "page", {"type": "integer", "minimum": 1}, description=gettext_lazy("Page number, from 1.")
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": ApiPagination.max_page_size},
                description=gettext_lazy("Partners per page, 1 to 200 (default 50)."),
            ),
        ],
        responses={200: LedgerOfficeSerializer},
    )
    def get(self, request: Request) -> Response:
        user = _ledger_user(request)
        filters = _filters(LedgerFilterSerializer, request)
        period = _period(filters)
        sort = filters.get("sort") or DEFAULT_SORT
        ledger = ledger_office(user=user, period=period, sort=sort)
        paginator = ApiPagination()
        rows: list[PartnerRow] = paginator.paginate_queryset(ledger.rows, request, view=self) or []  # type: ignore[arg-type]
        record_list_read(actor=user, objects=[r.partner for r in rows], view="api:ledger", request=request)
        body = {
            "period": _period_out(period),
            "sort": sort,
            "markings": _markings(ledger),
            "totals": ledger.totals.as_dict(),
            "count": paginator.page.paginator.count,  # type: ignore[union-attr]
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": [
                {"partner": _partner(r.partner), **r.totals.as_dict(), "months": _months(r.by_month, period)}
                for r in rows
            ],
        }
        return Response(body)


class LedgerPartnerView(APIView):
    @extend_schema(
        operation_id="ledger_retrieve",
        summary=gettext_lazy("One partner's reciprocity ledger: totals, month by month and theme by theme."),
        parameters=[LedgerPeriodFilterSerializer],
        responses={200: LedgerPartnerSerializer},
    )
    def get(self, request: Request, pk: UUID) -> Response:
        user = _ledger_user(request)
        filters = _filters(LedgerPeriodFilterSerializer, request)
        period = _period(filters)
        partner = partner_get(user=user, pk=pk, request=request)
        ledger = ledger_partner(user=user, partner=partner, period=period)
        body = {
            "partner": _partner(partner),
            "period": _period_out(period),
            "markings": _markings(ledger),
            "totals": ledger.totals.as_dict(),
            "months": _months(ledger.by_month, period),
            "themes": [
                {"code": t.code, "name": t.name, "received": t.received, "given": t.given} for t in ledger.themes
            ],
        }
        return Response(body)
