"""Pages for the agenda of exchanges, an exchange, its items (with history) and their attachments."""

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

from liaison.accounts.models import RECORDING_ROLES
from liaison.audit.services import record_list_read
from liaison.core.exceptions import DomainError
from liaison.exchanges import services
from liaison.exchanges.forms import AttachmentForm, ExchangeFilterForm, ExchangeForm, ItemForm
from liaison.exchanges.selectors import attachment_get, exchange_get, exchange_list, item_get, item_list
from liaison.followup.selectors import followup_list_linked
from liaison.partners.selectors import partner_choices
from liaison.policy.access import visible_to
from liaison.policy.forms import MarkingsForm
from liaison.policy.gates import has_any_role, request_user, roles_required
from liaison.reports.selectors import report_list


@login_required
def exchange_list_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = ExchangeFilterForm(request.GET or None, partners=partner_choices(user=user))
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # the valid fields filter; each invalid one is named in a message and left out
        filters = form.filters()
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.warning(
                    request, _("Filter left out (%(field)s): %(error)s") % {"field": label, "error": error}
                )
    upcoming = list(exchange_list(user=user, upcoming=True, **filters)[:20])
    past = Paginator(exchange_list(user=user, upcoming=False, **filters), 25).get_page(request.GET.get("page"))
    record_list_read(actor=user, objects=[*upcoming, *past.object_list], view="exchanges:list", request=request)
    return render(
        request,
        "exchanges/exchange_list.html",
        {
            "upcoming": upcoming,
            "page": past,
            "marked": [*upcoming, *past.object_list],
            "form": form,
            "filters": {key: value for key, value in request.GET.items() if key != "page"},
            "is_filtered": any(value for value in filters.values()),
        },
    )


@roles_required(*RECORDING_ROLES)
def exchange_create_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    partners = partner_choices(user=user)
    initial: dict[str, Any] = {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)}
    try:
        chosen = partners.filter(pk=uuid.UUID(request.GET.get("partner", ""))).first()
    except ValueError:
        chosen = None
    if chosen is not None:
        initial |= {
            "partners": [chosen],
            "zones": [chosen.zone],
            "title": _("Exchange with %(partner)s") % {"partner": chosen.acronym or chosen.name},
        }
    form = ExchangeForm(request.POST or None, partners=partners, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exchange = services.exchange_create(
                by=user,
                kind=data["kind"],
                title=data["title"],
                occurred_at=data["occurred_at"],
                time_zone=data["time_zone"],
                place=data["place"],
                partners=data["partners"],
                participants=data["participants"],
                zones=data["zones"],
                notes=data["notes"],
                marking=form.marking(),
                level=form.level(),
                share_with_my_service=data["share_with_my_service"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Exchange recorded."))
            return redirect("exchanges:detail", pk=exchange.pk)
    return render(request, "exchanges/exchange_form.html", {"form": form})


@login_required
def exchange_detail_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    exchange = exchange_get(user=user, pk=pk, request=request)
    items = list(item_list(user=user, exchange=exchange))
    reports = list(report_list(user=user).filter(exchange=exchange))
    followups = followup_list_linked(user=user, exchange=exchange)
    return render(
        request,
        "exchanges/exchange_detail.html",
        {
            "exchange": exchange,
            "items": items,
            "reports": reports,
            "marked": [exchange, *items, *reports, *followups],
            "can_write": has_any_role(user, *RECORDING_ROLES),
            "followups": followups,
            "followup_create_query": f"exchange={exchange.pk}" if has_any_role(user, *RECORDING_ROLES) else "",
        },
    )


def _item_input(form: ItemForm) -> services.ItemInput:
    data = form.cleaned_data
    return services.ItemInput(
        direction=data["direction"],
        originator_kind=data["originator_kind"],
        title=data["title"],
        text=data["text"],
        source_reliability=data["source_reliability"],
        information_credibility=data["information_credibility"],
        marking=form.marking(),
        level=form.level(),
        originator_partner=data["originator_partner"],
        originator_service=data["originator_service"],
        zones=list(data["zones"]),
    )


@roles_required(*RECORDING_ROLES)
def item_create_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    exchange = exchange_get(user=user, pk=pk, request=request)
    initial = MarkingsForm.initial_from(exchange) | {"zones": list(exchange.zones.all())}
    form = ItemForm(request.POST or None, partners=visible_to(exchange.partners.all(), user), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(by=user, exchange=exchange, data=_item_input(form))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Item recorded."))
            return redirect("exchanges:item_detail", pk=item.pk)
    return render(request, "exchanges/item_form.html", {"form": form, "exchange": exchange, "marked": [exchange]})


@login_required
def item_detail_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    item = item_get(user=user, pk=pk, request=request)
    return render(
        request,
        "exchanges/item_detail.html",
        {
            "item": item,
            "versions": item.versions.select_related("created_by"),
            "attachment_form": AttachmentForm(),
            "marked": [item],
            "can_write": has_any_role(user, *RECORDING_ROLES),
        },
    )


@roles_required(*RECORDING_ROLES)
def item_edit_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    item = item_get(user=user, pk=pk, request=request)
    initial = MarkingsForm.initial_from(item) | {
        "direction": item.direction,
        "title": item.title,
        "text": item.text,
        "originator_kind": item.originator_kind,
        "originator_partner": item.originator_partner,
        "originator_service": item.originator_service,
        "source_reliability": item.source_reliability,
        "information_credibility": item.information_credibility,
        "zones": list(item.zones.all()),
    }
    form = ItemForm(request.POST or None, partners=visible_to(item.exchange.partners.all(), user), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(by=user, item=item, data=_item_input(form))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("A new version of the item is saved."))
            return redirect("exchanges:item_detail", pk=item.pk)
    return render(
        request, "exchanges/item_form.html", {"form": form, "item": item, "exchange": item.exchange, "marked": [item]}
    )


@require_POST
@roles_required(*RECORDING_ROLES)
def attachment_add_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    item = item_get(user=user, pk=pk, request=request)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("file", [])) or _("Choose a file to attach."))
        return redirect("exchanges:item_detail", pk=item.pk)
    upload = form.cleaned_data["file"]
    try:
        services.attachment_add(by=user, item=item, filename=upload.name, data=upload.read())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("File attached and encrypted."))
    return redirect("exchanges:item_detail", pk=item.pk)


@login_required
def attachment_download_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    attachment = attachment_get(user=user, pk=pk, request=request)
    try:
        data = services.attachment_read(by=user, attachment=attachment, request=request)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("exchanges:item_detail", pk=attachment.item_id)
    response = HttpResponse(data, content_type=attachment.content_type)
    response["Content-Disposition"] = f'attachment; filename="{attachment.filename.replace(chr(34), "")}"'
    return response
