"""Partner list, partner file ("dossier partenaire"), and the forms that create partners, agreements and
contacts."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from liaison.accounts.models import LEDGER_ROLES, RECORDING_ROLES
from liaison.audit.services import record_list_read
from liaison.core.exceptions import DomainError
from liaison.followup.selectors import followup_list_linked
from liaison.partners import services
from liaison.partners.forms import AgreementForm, ContactForm, PartnerCreateForm, PartnerForm
from liaison.partners.models import PartnerStatus
from liaison.partners.selectors import partner_dossier, partner_get, partner_list
from liaison.policy.gates import has_any_role, request_user, roles_required
from liaison.policy.models import Zone
from liaison.releases.selectors import partner_releases

PAGE_SIZE = 25


@login_required
def partner_list_view(request: HttpRequest) -> HttpResponse:
    zone, status, query = (request.GET.get(k, "")[:80] for k in ("zone", "status", "q"))
    partners = partner_list(user=request_user(request), zone=zone, status=status, query=query)
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    record_list_read(actor=request.user, objects=list(page.object_list), view="partners:list", request=request)
    return render(
        request,
        "partners/partner_list.html",
        {
            "page": page,
            "marked": page.object_list,
            "zones": Zone.objects.all(),
            "statuses": PartnerStatus.choices,
            "filters": {"zone": zone, "status": status, "q": query},
            "can_write": has_any_role(request_user(request), *RECORDING_ROLES),
        },
    )


@login_required
def partner_detail_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    partner = partner_get(user=user, pk=pk, request=request)
    dossier = partner_dossier(user=user, partner=partner)
    releases = partner_releases(user=user, partner=partner)
    followups = followup_list_linked(user=user, partner=partner)
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "marked": [
                partner,
                *dossier["exchanges"],
                *dossier["contacts"],
                *dossier["proposed"],
                *releases,
                *followups,
            ],
            "followups": followups,
            "followup_create_query": f"partner={partner.pk}" if has_any_role(user, *RECORDING_ROLES) else "",
            "can_write": has_any_role(user, *RECORDING_ROLES),
            "can_see_ledger": has_any_role(user, *LEDGER_ROLES),
            "partner_releases": releases,
            "can_request_release": has_any_role(user, *RECORDING_ROLES),
            **dossier,
        },
    )


@roles_required(*RECORDING_ROLES)
def partner_create_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = PartnerCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partner = services.partner_create(
                name=data["name"],
                acronym=data["acronym"],
                country=data["country"],
                kind=data["kind"],
                zone=data["zone"],
                trust_level=data["trust_level"],
                status=data["status"],
                notes=data["notes"],
                classification=form.level(),
                compartments=data["compartments"],
                shared_with=[user.service] if user.service else [],
                officers_in_charge=[user],
                marking=form.marking(),
                by=user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Partner file created."))
            return redirect("partners:detail", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form})


@roles_required(*RECORDING_ROLES)
def partner_edit_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    partner = partner_get(user=user, pk=pk, request=request)
    initial = {name: getattr(partner, name) for name in PartnerForm.base_fields}
    form = PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.partner_update(by=user, partner=partner, fields=form.cleaned_data)
        messages.success(request, _("Partner file saved."))
        return redirect("partners:detail", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner, "marked": [partner]})


def _partner_subform(
    request: HttpRequest, pk: str, form_class: type[forms.Form], create: Callable[..., object], done: str, heading: str
) -> HttpResponse:
    """A form that adds something to a partner file the user may see (agreement, contact)."""
    user = request_user(request)
    partner = partner_get(user=user, pk=pk, request=request)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            create(by=user, partner=partner, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("partners:detail", pk=partner.pk)
    return render(
        request,
        "partners/simple_form.html",
        {"form": form, "partner": partner, "marked": [partner], "heading": heading},
    )


@roles_required(*RECORDING_ROLES)
def agreement_create_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _partner_subform(
        request, pk, AgreementForm, services.agreement_create, _("Agreement recorded."), _("New cooperation agreement")
    )


@roles_required(*RECORDING_ROLES)
def contact_create_view(request: HttpRequest, pk: str) -> HttpResponse:
    return _partner_subform(request, pk, ContactForm, services.contact_create, _("Contact recorded."), _("New contact"))
