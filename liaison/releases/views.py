"""Pages of the release requests: the list, building a release from an exchange, a report's quotes, a search or a
tearline, the detail with the live check beside each item, and the actions of each state (submit, withdraw,
approve, refuse, recall, the partner's receipt of a recall). Each action calls one service."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.accounts.models import RECORDING_ROLES, RoleCode, User
from liaison.audit.services import record_list_read
from liaison.core.exceptions import Conflict, DomainError, PolicyRefusal
from liaison.exchanges.models import InformationItem
from liaison.exchanges.selectors import exchange_get, item_list
from liaison.partners.selectors import partner_choices, partner_list
from liaison.policy import release as rule
from liaison.policy.gates import has_any_role, request_user, roles_required
from liaison.releases import services
from liaison.releases.forms import ReasonForm, RecallReceiptForm, ReleaseForm
from liaison.releases.models import Recall, Release, ReleasePackage, ReleaseStatus
from liaison.releases.selectors import (
    release_get,
    release_list_page,
    release_list_to_approve,
    tearline_list,
)
from liaison.reports.selectors import report_get

PAGE_SIZE = 25
SEARCH_LIMIT = 50
# Who works with releases: those who request them (officers, desk heads) and those who decide (release authorities).
RELEASE_ROLES = (*RECORDING_ROLES, RoleCode.RELEASE_AUTHORITY)
OPEN_STATES = (ReleaseStatus.DRAFT, ReleaseStatus.SUBMITTED)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _form_errors(form: Any) -> str:
    """A refused small form (reason, receipt) as one message: each field's label with what is wrong."""
    return " ".join(
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    )


def _refusal_text(error: DomainError) -> str:
    if isinstance(error, PolicyRefusal):
        return _("%(message)s (rule: %(rule)s)") % {"message": error.message, "rule": error.rule}
    return error.message


# ---------------------------------------------------------------- list


@roles_required(*RELEASE_ROLES)
def release_list_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    status = request.GET.get("status", "")
    status = status if status in ReleaseStatus.values else ""
    partner_id = _uuid(request.GET.get("partner", ""))
    awaiting = request.GET.get("awaiting", "") == "1" and user.has_role(RoleCode.RELEASE_AUTHORITY)
    releases = release_list_page(user=user, status=status, partner=partner_id, awaiting=awaiting)
    page = Paginator(releases, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    record_list_read(actor=user, objects=shown, view="releases:list", request=request)
    filters = {"status": status, "partner": str(partner_id or ""), "awaiting": "1" if awaiting else ""}
    return render(
        request,
        "releases/release_list.html",
        {
            "page": page,
            "releases": shown,
            "marked": shown,
            "statuses": ReleaseStatus.choices,
            "partners": partner_list(user=user),
            "filters": {key: value for key, value in filters.items() if value},
            "chosen": filters,
            "is_release_authority": user.has_role(RoleCode.RELEASE_AUTHORITY),
            "awaiting_count": release_list_to_approve(user=user).count(),
            "can_request": has_any_role(user, *RECORDING_ROLES),
        },
    )


# ---------------------------------------------------------------- build


def _offered_items(request: HttpRequest, user: User) -> tuple[list[InformationItem], dict[str, Any]]:
    """The items a page offers, from its entry point: an exchange's items, a report's quoted items, or a search
    of the items the user may read (title, or the item's id as its reference). Entry points the user may not
    read answer 404."""
    readable = item_list(user=user)
    source: dict[str, Any] = {}
    offered: QuerySet[InformationItem] = readable.none()
    exchange_id, report_id = _uuid(request.GET.get("exchange", "")), _uuid(request.GET.get("report", ""))
    query = request.GET.get("q", "").strip()[:80]
    if exchange_id is not None:
        exchange = exchange_get(user=user, pk=exchange_id, request=request)
        offered = readable.filter(exchange=exchange)
        source = {"exchange": exchange, "partners": list(exchange.partners.all())}
    elif report_id is not None:
        report = report_get(user=user, pk=report_id, request=request)
        offered = readable.filter(quotes__report=report)
        source = {"report": report}
    if query:
        by_reference = Q(pk=_uuid(query)) if _uuid(query) else Q(pk__in=[])
        offered = readable.filter(Q(title__icontains=query) | by_reference)
        source["query"] = query
    return list(offered.order_by("title")[:SEARCH_LIMIT]), source


def _release_form(
    request: HttpRequest, user: User, offered: list[InformationItem], release: Release | None = None, **kwargs: Any
) -> ReleaseForm:
    readable = item_list(user=user)
    # A release's items the editor may no longer read are neither drawn nor named.
    chosen = list(readable.filter(pk__in=release.items.values("pk"))) if release is not None else []
    if request.method == "POST":
        ids = [value for value in request.POST.getlist("items") if _uuid(value)]
        chosen = list(readable.filter(pk__in=ids))
    shown = {item.pk: item for item in [*chosen, *offered]}
    form = ReleaseForm(
        request.POST or None,
        partners=partner_choices(user=user),
        readable_items=readable,
        offered=list(shown.values()),
        tearlines=tearline_list(user=user),
        partner_fixed=release is not None,
        **kwargs,
    )
    form.shown_items = list(shown.values())
    return form


def _preview(request: HttpRequest, user: User, form: ReleaseForm) -> dict[str, Any] | None:
    """Check without saving: the release rule on what the form names now, each failing rule beside its item.
    Runs once the partner and the content are valid, whatever else is still missing; nothing is written."""
    if request.method != "POST" or "check" not in request.POST:
        return None
    form.is_valid()
    if any(name in form.errors for name in ("partner", "items", "tearline")):
        return None
    data = form.cleaned_data
    if data.get("partner") is None or not (data.get("items") or data.get("tearline")):
        return None
    content = _content(form)
    decision = services.check(partner=data["partner"], requester=user, items=content.items, tearline=content.tearline)
    failures = _failure_rows(list(decision.failures), ask_possible=False)
    owned = {str(item.pk) for item in content.items}
    if content.tearline is not None:
        owned |= {str(content.tearline.pk), *(str(pk) for pk in content.tearline.sources.values_list("pk", flat=True))}
    rows = [(item, [f for f in failures if f["item"] == str(item.pk)]) for item in content.items]
    return {
        "decision": decision,
        "rows": rows,
        "tearline": content.tearline,
        "tearline_failures": [f for f in failures if content.tearline is not None and f["item"] in owned],
        "release_failures": [f for f in failures if f["item"] not in owned],
    }


def _content(form: ReleaseForm) -> services.Content:
    data = form.cleaned_data
    return services.Content(items=tuple(data.get("items") or ()), tearline=data.get("tearline"))


@roles_required(*RECORDING_ROLES)
def release_create_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    offered, source = _offered_items(request, user)
    initial: dict[str, Any] = {}
    partners = source.get("partners") or []
    wanted = partners[0].pk if len(partners) == 1 else _uuid(request.GET.get("partner", ""))
    if wanted is not None:
        initial["partner"] = partner_list(user=user).filter(pk=wanted).first()
    tearline_id = _uuid(request.GET.get("tearline", ""))
    if tearline_id is not None:
        initial["tearline"] = tearline_list(user=user).filter(pk=tearline_id).first()
    form = _release_form(request, user, offered, initial=initial)
    preview = _preview(request, user, form)
    if request.method == "POST" and "check" not in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            release = services.release_create(
                by=user, partner=data["partner"], justification=data["justification"], content=_content(form)
            )
        except DomainError as error:
            form.add_error(None, _refusal_text(error))
        else:
            messages.success(request, _("Release drafted. The check below runs each time you open it."))
            return redirect("releases:detail", pk=release.pk)
    return render(
        request,
        "releases/release_form.html",
        {
            "form": form,
            "source": source,
            "preview": preview,
            "marked": [*form.shown_items, *source.get("partners", [])],
        },
    )


@roles_required(*RECORDING_ROLES)
def release_edit_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    release = release_get(user=user, pk=pk, request=request)
    if release.created_by_id != user.pk or release.status != ReleaseStatus.DRAFT:
        messages.error(request, _("Only the requester changes a release, and only while it is a draft."))
        return redirect("releases:detail", pk=release.pk)
    offered, source = _offered_items(request, user)
    initial = {"partner": release.partner, "justification": release.justification, "tearline": release.tearline}
    initial["items"] = [str(pk) for pk in item_list(user=user).filter(releases=release).values_list("pk", flat=True)]
    form = _release_form(request, user, offered, release=release, initial=initial)
    preview = _preview(request, user, form)
    if request.method == "POST" and "check" not in request.POST and form.is_valid():
        try:
            services.release_update(
                by=user, release=release, justification=form.cleaned_data["justification"], content=_content(form)
            )
        except DomainError as error:
            form.add_error(None, _refusal_text(error))
        else:
            messages.success(request, _("Release saved. The check below runs again."))
            return redirect("releases:detail", pk=release.pk)
    return render(
        request,
        "releases/release_form.html",
        {
            "form": form,
            "source": source,
            "release": release,
            "preview": preview,
            "marked": [release, *form.shown_items],
        },
    )


# ---------------------------------------------------------------- detail


def _failure_rows(failures: list[rule.RuleFailure], ask_possible: bool) -> list[dict[str, Any]]:
    return [
        {
            "code": failure.code,
            "message": failure.message,
            "unblock": failure.unblock,
            "item": failure.item,
            "ask": ask_possible and failure.code.startswith("consent.") and failure.item is not None,
        }
        for failure in failures
    ]


def _detail_context(user: User, release: Release, refusal: rule.ReleaseDecision | None = None) -> dict[str, Any]:
    """What the detail page shows: each item the user may read with the failing rules that concern it, the rules
    that concern the whole release, and what the user may do in the release's current state."""
    is_requester = release.created_by_id == user.pk
    is_authority = user.has_role(RoleCode.RELEASE_AUTHORITY)
    decision = refusal
    if decision is None and release.status in OPEN_STATES:
        # The live check: recomputed on each display; a release authority who may decide sees the approval rules.
        approver = user if release.status == ReleaseStatus.SUBMITTED and is_authority and not is_requester else None
        decision = services.release_check(release, approver=approver)
    ask_possible = release.status in OPEN_STATES and (is_requester or is_authority)
    failures = _failure_rows(list(decision.failures) if decision else [], ask_possible)
    links: list[Any] = list(release.item_links.all())
    sources: list[Any] = list(release.tearline.source_links.all()) if release.tearline else []
    named = [str(link.item_id) for link in [*links, *sources]]
    readable = {str(item.pk): item for item in item_list(user=user).filter(pk__in=named)}
    placed: set[int] = set()

    def rows(pairs: list[Any]) -> list[dict[str, Any]]:
        out = []
        for link in pairs:
            concerning = [n for n, f in enumerate(failures) if f["item"] == str(link.item_id)]
            placed.update(concerning)
            out.append(
                {
                    "item": readable.get(str(link.item_id)),
                    "version": link.item_version,
                    "failures": [failures[n] for n in concerning],
                }
            )
        return out

    item_rows, source_rows = rows(links), rows(sources)
    tearline_failures = []
    if release.tearline_id:
        tearline_failures = [f for n, f in enumerate(failures) if f["item"] == str(release.tearline_id)]
        placed.update(n for n, f in enumerate(failures) if f["item"] == str(release.tearline_id))
    package: ReleasePackage | None = getattr(release, "package", None)
    recall: Recall | None = getattr(release, "recall", None)
    return {
        "release": release,
        "decision": decision,
        "refusal": refusal,
        "item_rows": item_rows,
        "source_rows": source_rows,
        "tearline_failures": tearline_failures,
        "tearline_visible": release.tearline_id is not None
        and tearline_list(user=user).filter(pk=release.tearline_id).exists(),
        "release_failures": [f for n, f in enumerate(failures) if n not in placed],
        "events": list(release.events.select_related("by")),
        "package": package,
        "recall": recall,
        "is_requester": is_requester,
        "can_edit": is_requester and release.status == ReleaseStatus.DRAFT,
        "can_withdraw": is_requester and release.status in OPEN_STATES,
        "can_decide": is_authority and not is_requester and release.status == ReleaseStatus.SUBMITTED,
        "can_recall": is_authority and release.status == ReleaseStatus.RELEASED,
        "can_record_receipt": recall is not None
        and recall.receipt_at is None
        and has_any_role(user, *RECORDING_ROLES, RoleCode.RELEASE_AUTHORITY),
        "reason_form": ReasonForm(),
        "receipt_form": RecallReceiptForm(),
        "marked": [release, *[row["item"] for row in [*item_rows, *source_rows] if row["item"]]],
    }


def _render_detail(
    request: HttpRequest, user: User, release: Release, refusal: rule.ReleaseDecision | None = None, **extra: Any
) -> HttpResponse:
    context = _detail_context(user, release, refusal) | extra
    return render(request, "releases/release_detail.html", context)


@roles_required(*RELEASE_ROLES)
def release_detail_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    return _render_detail(request, user, release_get(user=user, pk=pk, request=request))


# ---------------------------------------------------------------- actions


def _blocked(request: HttpRequest, user: User, release: Release, refusal: services.ReleaseRefused) -> HttpResponse:
    """A refusal of the release rule: the detail page again, each failing rule beside what it concerns."""
    messages.error(request, refusal.message)
    release.refresh_from_db()
    return _render_detail(request, user, release, refusal.decision)


@require_POST
@roles_required(*RECORDING_ROLES)
def release_submit_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    release = release_get(user=user, pk=pk, request=request)
    try:
        services.release_submit(by=user, release=release)
    except services.ReleaseRefused as refusal:
        return _blocked(request, user, release, refusal)
    except DomainError as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(request, _("Release submitted: a release authority other than you decides."))
    return redirect("releases:detail", pk=release.pk)


@require_POST
@roles_required(*RECORDING_ROLES)
def release_withdraw_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    release = release_get(user=user, pk=pk, request=request)
    try:
        services.release_withdraw(by=user, release=release)
    except DomainError as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(request, _("Release withdrawn."))
    return redirect("releases:detail", pk=release.pk)


@require_POST
@roles_required(*RELEASE_ROLES)
def release_approve_view(request: HttpRequest, pk: str) -> HttpResponse:
    """Approval runs the rule again with the approver (four eyes, role; a consent may have expired). A second
    approval finds the release already given and says so: there is one package."""
    user = request_user(request)
    release = release_get(user=user, pk=pk, request=request)
    try:
        services.release_approve(by=user, release=release)
    except services.ReleaseRefused as refusal:
        return _blocked(request, user, release, refusal)
    except Conflict as error:
        release.refresh_from_db()
        if release.status in (ReleaseStatus.RELEASED, ReleaseStatus.RECALLED):
            messages.error(request, _("This release is already approved: its one package was produced then."))
        else:
            messages.error(request, error.message)
    except DomainError as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(request, _("Release approved: the signed package is produced and recorded."))
    return redirect("releases:detail", pk=release.pk)


def _with_reason(request: HttpRequest, pk: str, act: Any, done: str) -> HttpResponse:
    user = request_user(request)
    release = release_get(user=user, pk=pk, request=request)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_form_errors(form))
        act(by=user, release=release, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(request, done)
    return redirect("releases:detail", pk=release.pk)


@require_POST
@roles_required(*RELEASE_ROLES)
def release_refuse_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _with_reason(request, pk, services.release_refuse, _("Release refused; the requester sees your reason."))


@require_POST
@roles_required(*RELEASE_ROLES)
def release_recall_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _with_reason(
        request, pk, services.release_recall, _("Release recalled: the signed recall message is ready for the partner.")
    )


@require_POST
@roles_required(*RELEASE_ROLES)
def release_receipt_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    release = release_get(user=user, pk=pk, request=request)
    form = RecallReceiptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("releases:detail", pk=release.pk)
    try:
        services.recall_receipt(
            by=user,
            release=release,
            received_at=form.cleaned_data["received_at"],
            received_by=form.cleaned_data["received_by"],
        )
    except DomainError as error:
        messages.error(request, _refusal_text(error))
    else:
        messages.success(request, _("The partner's receipt of the recall is recorded."))
    return redirect("releases:detail", pk=release.pk)
