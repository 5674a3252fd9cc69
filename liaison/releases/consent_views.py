"""Pages of originators' consents and of the requests for them: lists, details, recording an answer, and asking an
originator from a release the rule refuses. Each calls one service or selector; the rules are the services'."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.accounts.models import RoleCode, User
from liaison.audit.services import record_list_read
from liaison.core.exceptions import DomainError
from liaison.partners.models import Partner
from liaison.policy.access import can_read, visible_to
from liaison.policy.gates import has_any_role, request_user, roles_required
from liaison.releases import services
from liaison.releases.consent_forms import ConsentForm, ConsentRequestForm, refusal_text
from liaison.releases.consent_selectors import (
    EXPIRED,
    GRANTED,
    REFUSED,
    VALID,
    Owed,
    consent_request_search,
    consent_search,
    originator_choices,
    originator_items,
    originator_parse,
    readable_items,
    release_owed,
    visible_partner,
)
from liaison.releases.models import ConsentRequest, ConsentRequestStatus, Release
from liaison.releases.selectors import consent_get, consent_request_get, consent_request_list, release_get

PAGE_SIZE = 25
ITEMS_OFFERED = 200


def _partner_shown(user: User, partner_id: Any) -> bool:
    return partner_id is None or visible_partner(user, partner_id) is not None


@login_required
def consent_list_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    filters = {key: request.GET.get(key, "")[:80] for key in ("originator", "partner", "verdict", "validity")}
    consents = consent_search(user=user, on=timezone.localdate(), **filters)
    page = Paginator(consents, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    record_list_read(actor=user, objects=shown, view="releases:consent_list", request=request)
    return render(
        request,
        "releases/consent_list.html",
        {
            "page": page,
            "marked": shown,
            "filters": filters,
            "originators": originator_choices(user),
            "partners": visible_to(Partner.objects.order_by("name"), user),
            "verdicts": [(GRANTED, _("granted")), (REFUSED, _("refused"))],
            "validities": [(VALID, _("valid today")), (EXPIRED, _("expired"))],
            "can_record": has_any_role(user, *services.CONSENT_ROLES),
        },
    )


@login_required
def consent_detail_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    consent = consent_get(user=user, pk=pk, request=request)
    items = readable_items(user, consent.items)
    return render(
        request,
        "releases/consent_detail.html",
        {
            "consent": consent,
            "items": items,
            "originator_visible": _partner_shown(user, consent.originator_partner_id),
            "partner_visible": _partner_shown(user, consent.partner_id),
            "answered_request": consent.request if consent.request and can_read(user, consent.request) else None,
            "marked": [consent, *items],
        },
    )


def _request_initial(user: User, answering: ConsentRequest) -> dict[str, Any]:
    """What recording the answer to a request starts from: its originator, its items, its partner."""
    key = answering.originator_partner_id or answering.originator_service_id or ""
    return {
        "originator": f"{answering.originator_kind}:{key}",
        "items": [str(item.pk) for item in readable_items(user, answering.items)],
        "partner": answering.partner_id if _partner_shown(user, answering.partner_id) else None,
        "request": answering.pk,
    }


def _answering(request: HttpRequest, user: User) -> ConsentRequest | None:
    raw = request.GET.get("request", "")
    if not raw:
        return None
    try:
        key = uuid.UUID(raw)
    except ValueError:
        key = uuid.uuid4()  # a malformed id answers like an unknown one
    return consent_request_get(user=user, pk=key, request=request)


@roles_required(*services.CONSENT_ROLES)
def consent_create_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    answering = _answering(request, user)
    if answering is not None and answering.status != ConsentRequestStatus.OPEN:
        messages.error(request, _("This consent request is already closed."))
        return redirect("releases:consent_request_detail", pk=answering.pk)
    initial = _request_initial(user, answering) if answering else {"originator": request.GET.get("originator", "")}
    open_requests = consent_request_list(user=user, status=ConsentRequestStatus.OPEN)
    form = ConsentForm(request.POST or None, initial=initial, user=user, requests=open_requests)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = form.chosen()
        try:
            consent = services.consent_record(
                by=user,
                originator_kind=chosen.kind,
                originator_partner=chosen.partner,
                originator_service=chosen.service,
                items=data["items"],
                all_items=data["all_items"],
                partner=data["partner"],
                granted=data["verdict"] == GRANTED,
                valid_until=data["valid_until"],
                reference=data["reference"],
                note=data["note"],
                request=data["request"],
            )
        except DomainError as error:
            form.add_error(None, refusal_text(error))
        else:
            messages.success(request, _("Consent recorded. The release check now reads it."))
            return redirect("releases:consent_detail", pk=consent.pk)
    raw_originator = request.POST.get("originator") if request.method == "POST" else initial.get("originator")
    showing = originator_parse(user, raw_originator or "")
    offered = list(originator_items(user=user, chosen=showing)[:ITEMS_OFFERED]) if showing else []
    selected = request.POST.getlist("items") if request.method == "POST" else initial.get("items", [])
    return render(
        request,
        "releases/consent_form.html",
        {
            "form": form,
            "answering": answering,
            "chosen": showing,
            "offered": offered,
            "selected": {str(pk) for pk in selected},
            "originators": originator_choices(user),
            "marked": [*offered, *([answering] if answering else [])],
        },
    )


# ---------------------------------------------------------------- consent requests


@login_required
def consent_request_list_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    status = request.GET.get("status", "")[:20]
    overdue = request.GET.get("overdue", "") == "1"
    requests = consent_request_search(user=user, status=status, overdue=overdue, on=timezone.localdate())
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    record_list_read(actor=user, objects=shown, view="releases:consent_request_list", request=request)
    filters = {"status": status, **({"overdue": "1"} if overdue else {})}
    return render(
        request,
        "releases/consent_request_list.html",
        {
            "page": page,
            "marked": shown,
            "filters": filters,
            "overdue": overdue,
            "statuses": ConsentRequestStatus.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
def consent_request_detail_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    consent_request = consent_request_get(user=user, pk=pk, request=request)
    items = readable_items(user, consent_request.items)
    answers = list(visible_to(consent_request.answers.all(), user))
    is_open = consent_request.status == ConsentRequestStatus.OPEN
    release = consent_request.release
    return render(
        request,
        "releases/consent_request_detail.html",
        {
            "consent_request": consent_request,
            "items": items,
            "answers": answers,
            "release_visible": release is not None and can_read(user, release),
            "originator_visible": _partner_shown(user, consent_request.originator_partner_id),
            "partner_visible": _partner_shown(user, consent_request.partner_id),
            "is_overdue": is_open
            and consent_request.answer_due is not None
            and consent_request.answer_due < timezone.localdate(),
            "can_answer": is_open and has_any_role(user, *services.CONSENT_ROLES),
            "can_withdraw": is_open
            and (consent_request.created_by_id == user.pk or user.has_role(RoleCode.RELEASE_AUTHORITY)),
            "marked": [consent_request, *items, *answers],
        },
    )


@require_POST
@login_required
def consent_request_withdraw_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    consent_request = consent_request_get(user=user, pk=pk, request=request)
    try:
        services.consent_request_withdraw(by=user, request=consent_request)
    except DomainError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Consent request withdrawn."))
    return redirect("releases:consent_request_detail", pk=consent_request.pk)


def _default_message(release: Release, owed: Owed) -> str:
    titles = "; ".join(f"“{item.title}”" for item in owed.items)
    return _(
        "We ask for your consent to release to %(partner)s the following information you gave us: %(items)s. "
        "Please tell us whether you agree and, if so, until when."
    ) % {"partner": release.partner, "items": titles}


@roles_required(*services.CONSENT_ROLES)
def consent_request_open_view(request: HttpRequest, pk: str) -> HttpResponse:
    """Ask an originator for consent, from a release the rule refuses (`?item=` names the refusal's item)."""
    user = request_user(request)
    release = release_get(user=user, pk=pk, request=request)
    item = request.GET.get("item", "")[:40]
    owed = release_owed(user=user, release=release, item=item) or release_owed(user=user, release=release)
    initial = {"originator": owed[0].value, "message": _default_message(release, owed[0])} if owed else {}
    form = ConsentRequestForm(request.POST or None, owed=owed, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_request = services.consent_request_open(
                by=user,
                release=release,
                originator=form.owed[data["originator"]].originator,
                message=data["message"],
                answer_due=data["answer_due"],
            )
        except DomainError as error:
            form.add_error(None, refusal_text(error))
        else:
            messages.success(request, _("Consent request opened: record the originator's answer when it comes."))
            return redirect("releases:consent_request_detail", pk=consent_request.pk)
    decision = services.release_check(release)
    readable = {str(i.pk): i for o in owed for i in o.items}
    failures = [
        (failure, readable.get(failure.item or ""))
        for failure in decision.failures
        if failure.code.startswith("consent.") and failure.item in readable
    ]
    return render(
        request,
        "releases/consent_request_open.html",
        {
            "release": release,
            "form": form,
            "owed": owed,
            "failures": failures,
            "marked": [release, *readable.values()],
        },
    )
