"""Pages of access reviews: the campaigns (security officers and administrators; auditors read only), opening and
closing one, and the managers' "my reviews" with a form per item and an explicit "confirm the rest". Each view
parses, calls one selector or service, and renders; every other role gets 404."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from liaison.accounts.models import RoleCode
from liaison.audit.services import record_list_read
from liaison.core.exceptions import DomainError
from liaison.policy.gates import has_any_role, request_user, roles_required
from liaison.reviews import services
from liaison.reviews.forms import CampaignForm, CloseForm, ConfirmRestForm, DecisionForm
from liaison.reviews.models import EntitlementKind, ItemDecision, ReviewCampaign
from liaison.reviews.result import result_entry, result_verify
from liaison.reviews.selectors import (
    campaign_get,
    campaign_items,
    campaign_list,
    my_campaign_get,
    my_item_get,
    my_items,
    national_levels,
)

READERS = (RoleCode.SECURITY_OFFICER, RoleCode.ADMINISTRATOR, RoleCode.AUDITOR)
OWNERS = services.CAMPAIGN_OWNERS
MANAGERS = (RoleCode.DESK_HEAD, RoleCode.SECURITY_OFFICER)
ITEMS_SHOWN = 500


@roles_required(*READERS)
def campaign_list_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    campaigns = list(campaign_list(user=user)[:ITEMS_SHOWN])
    record_list_read(actor=user, objects=campaigns, view="reviews:list", request=request)
    return render(
        request,
        "reviews/campaign_list.html",
        {"campaigns": campaigns, "can_open": has_any_role(user, *OWNERS), "marked": campaigns},
    )


@roles_required(*OWNERS)
def campaign_open_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_open(
                name=form.cleaned_data["name"],
                due_on=form.cleaned_data["due_on"],
                services=list(form.cleaned_data["services"]),
                by=user,
                request=request,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Campaign opened: the managers can now review their people."))
            return redirect("reviews:detail", pk=campaign.pk)
    return render(request, "reviews/campaign_form.html", {"form": form}, status=400 if form.errors else 200)


@roles_required(*READERS)
def campaign_detail_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    campaign = campaign_get(user=user, pk=pk, request=request)
    decision = request.GET.get("decision", "")
    if decision not in ItemDecision.values:
        decision = ""
    items = list(campaign_items(campaign=campaign, decision=decision)[:ITEMS_SHOWN])
    entry = result_entry(campaign)
    return render(
        request,
        "reviews/campaign_detail.html",
        {
            "campaign": campaign,
            "items": items,
            "limited": len(items) == ITEMS_SHOWN,
            "decision": decision,
            "decisions": ItemDecision.choices,
            "entry": entry,
            "signed": _signed(entry),
            "verdict": result_verify(campaign, entry=entry) if entry is not None else None,
            "can_close": campaign.is_open and has_any_role(user, *OWNERS),
            "close_form": CloseForm(),
            "outcome": services.unanswered_outcome_label(),
            "marked": [campaign],
        },
    )


def _signed(entry: Any) -> dict[str, Any] | None:
    if entry is None:
        return None
    try:
        extra: dict[str, Any] = json.loads(entry.extra)
    except ValueError:
        return None
    return extra


@require_POST
@roles_required(*OWNERS)
def campaign_close_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    campaign = campaign_get(user=user, pk=pk, request=request)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to close the campaign."))
        return redirect("reviews:detail", pk=campaign.pk)
    try:
        services.campaign_close(campaign=campaign, by=user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Campaign closed; its result is signed into the audit log."))
    return redirect("reviews:detail", pk=campaign.pk)


def _mine(request: HttpRequest, campaign: ReviewCampaign | None) -> HttpResponse:
    user = request_user(request)
    items = list(my_items(user=user, campaign=campaign)[:ITEMS_SHOWN])
    campaigns: dict[Any, dict[str, Any]] = {}
    for item in items:
        group = campaigns.setdefault(item.campaign_id, {"campaign": item.campaign, "items": [], "pending": []})
        group["items"].append(item)
        if item.is_pending:
            group["pending"].append(str(item.pk))
    shown = [group["campaign"] for group in campaigns.values()]
    if campaign is None:
        record_list_read(actor=user, objects=shown, view="reviews:mine", request=request)
    return render(
        request,
        "reviews/my_reviews.html",
        {
            "groups": list(campaigns.values()),
            "campaign": campaign,
            "limited": len(items) == ITEMS_SHOWN,
            "levels": national_levels(),
            "clearance_kind": EntitlementKind.CLEARANCE,
            "marked": [campaign] if campaign is not None else shown,
        },
    )


@roles_required(*MANAGERS)
def my_reviews_view(request: HttpRequest) -> HttpResponse:
    return _mine(request, None)


@roles_required(*MANAGERS)
def my_campaign_view(request: HttpRequest, pk: str) -> HttpResponse:
    campaign = my_campaign_get(user=request_user(request), pk=pk, request=request)
    return _mine(request, campaign)


@require_POST
@roles_required(*MANAGERS)
def item_decide_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    item = my_item_get(user=user, pk=pk)
    back = reverse("reviews:mine_in", args=[item.campaign_id])
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose confirm or revoke, and give a reason to revoke."))
        return redirect(back)
    try:
        if form.cleaned_data["decision"] == "confirm":
            services.item_confirm(item=item, by=user, request=request)
            messages.success(request, _("Confirmed."))
        else:
            services.item_revoke(
                item=item,
                by=user,
                reason=form.cleaned_data["reason"],
                lowered_to=form.cleaned_data["lowered_to"],
                request=request,
            )
            messages.success(request, _("Revoked: it takes effect at the person's next request."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(back)


@require_POST
@roles_required(*MANAGERS)
def confirm_rest_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    campaign = my_campaign_get(user=user, pk=pk, request=request)
    form = ConfirmRestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm that you checked each entitlement listed."))
        return redirect("reviews:mine_in", pk=campaign.pk)
    try:
        count = services.items_confirm_rest(campaign=campaign, item_ids=form.item_ids(), by=user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, ngettext("%(count)d item confirmed.", "%(count)d items confirmed.", count) % {"count": count}
        )
    return redirect("reviews:mine_in", pk=campaign.pk)
