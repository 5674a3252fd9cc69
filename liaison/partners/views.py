from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from liaison.partners.models import PartnerStatus
from liaison.partners.selectors import partner_get, partner_list
from liaison.policy.models import Zone

PAGE_SIZE = 25


@login_required
def partner_list_view(request: HttpRequest) -> HttpResponse:
    zone, status, query = (request.GET.get(k, "")[:80] for k in ("zone", "status", "q"))
    partners = partner_list(user=request.user, zone=zone, status=status, query=query)  # type: ignore[arg-type]
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/partner_list.html",
        {
            "page": page,
            "marked": page.object_list,
            "zones": Zone.objects.all(),
            "statuses": PartnerStatus.choices,
            "filters": {"zone": zone, "status": status, "q": query},
        },
    )


@login_required
def partner_detail_view(request: HttpRequest, pk: str) -> HttpResponse:
    partner = partner_get(user=request.user, pk=pk, request=request)  # type: ignore[arg-type]
    return render(request, "partners/partner_detail.html", {"partner": partner, "marked": [partner]})
