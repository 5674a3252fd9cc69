"""The advisory pages: the security office drafts, submits, approves (another officer), publishes and sends
advisories, and keeps the federal partners and their contacts; the auditor reads; a federal partner's account sees
the advisories sent to its administration and acknowledges them. Everyone else gets 404."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.advisories.forms import AcknowledgeForm, AdvisoryForm, ContactForm, PartnerForm, SendForm
from liaison.advisories.models import AdvisoryStatus, FederalPartner, PartnerContact
from liaison.advisories.selectors import (
    READERS,
    advisory_csaf_preview,
    advisory_distributions,
    advisory_get,
    advisory_list,
    can_edit_advisories,
    contact_get,
    directory_of,
    distribution_get,
    distributions_for_partner_account,
    partner_get,
    partner_list,
    partner_of,
)
from liaison.advisories.services import (
    advisory_approve,
    advisory_create,
    advisory_publish,
    advisory_send,
    advisory_submit,
    advisory_update,
    contact_save,
    distribution_acknowledge,
    partner_save,
)
from liaison.core.exceptions import DomainError, InputFieldError
from liaison.policy.gates import request_user, roles_required
from liaison.policy.security_office import ADVISORY_EDITORS, FEDERAL_PARTNER

PAGE_SIZE = 50


def _form_error(form: Form, error: DomainError) -> None:
    field = error.field if isinstance(error, InputFieldError) and error.field in form.fields else None
    form.add_error(field, error.message)


@roles_required(*READERS)
def advisory_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in AdvisoryStatus.values else ""
    page = Paginator(advisory_list(user=request_user(request), status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "advisories/advisory_list.html",
        {
            "page": page,
            "status": status,
            "statuses": AdvisoryStatus.choices,
            "can_edit": can_edit_advisories(request.user),
        },
    )


@roles_required(*ADVISORY_EDITORS)
def advisory_create_view(request: HttpRequest) -> HttpResponse:
    form = AdvisoryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            advisory = advisory_create(by=request_user(request), content=form.content(), request=request)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Advisory drafted."))
            return redirect("advisories:detail", pk=advisory.pk)
    status = 400 if form.errors else 200
    return render(request, "advisories/advisory_form.html", {"form": form}, status=status)


@roles_required(*ADVISORY_EDITORS)
def advisory_edit_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request_user(request)
    advisory = advisory_get(user=user, pk=pk)
    if not advisory.is_editable:
        messages.error(request, _("Only a draft can be edited."))
        return redirect("advisories:detail", pk=advisory.pk)
    form = AdvisoryForm(request.POST if request.method == "POST" else None, initial=AdvisoryForm.initial_of(advisory))
    if request.method == "POST" and form.is_valid():
        try:
            advisory_update(advisory=advisory, by=user, content=form.content(), request=request)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("advisories:detail", pk=advisory.pk)
    status = 400 if form.errors else 200
    return render(request, "advisories/advisory_form.html", {"form": form, "advisory": advisory}, status=status)


@roles_required(*READERS)
def advisory_detail_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request_user(request)
    advisory = advisory_get(user=user, pk=pk)
    preview, problems = advisory_csaf_preview(advisory=advisory)
    distributions = advisory_distributions(advisory=advisory)
    can_edit = can_edit_advisories(user)
    return render(
        request,
        "advisories/advisory_detail.html",
        {
            "advisory": advisory,
            "preview": preview,
            "problems": problems,
            "distributions": distributions,
            "can_edit": can_edit,
            "can_approve": can_edit and advisory.status == AdvisoryStatus.SUBMITTED and advisory.author_id != user.pk,
            "directory": directory_of(advisory.tlp),
            "ack_forms": {
                d.pk: AcknowledgeForm(partner=d.partner, prefix=str(d.pk))
                for d in distributions
                if not d.acknowledged_at
            }
            if can_edit
            else {},
        },
    )


def _step(request: HttpRequest, pk: UUID, action: Any, done: str) -> HttpResponse:
    user = request_user(request)
    advisory = advisory_get(user=user, pk=pk)
    try:
        action(advisory=advisory, by=user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("advisories:detail", pk=advisory.pk)


@require_POST
@roles_required(*ADVISORY_EDITORS)
def advisory_submit_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _step(request, pk, advisory_submit, _("Advisory submitted: another security officer approves it."))


@require_POST
@roles_required(*ADVISORY_EDITORS)
def advisory_approve_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _step(request, pk, advisory_approve, _("Advisory approved."))


@require_POST
@roles_required(*ADVISORY_EDITORS)
def advisory_publish_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _step(request, pk, advisory_publish, _("Advisory published: its CSAF document is signed and served."))


@roles_required(*ADVISORY_EDITORS)
def advisory_send_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request_user(request)
    advisory = advisory_get(user=user, pk=pk)
    form = SendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            rows = advisory_send(advisory=advisory, partners=form.cleaned_data["partners"], by=user, request=request)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Sent to %(n)d administration(s).") % {"n": len(rows)})
            return redirect("advisories:detail", pk=advisory.pk)
    status = 400 if form.errors else 200
    return render(request, "advisories/advisory_send.html", {"form": form, "advisory": advisory}, status=status)


@require_POST
@roles_required(*ADVISORY_EDITORS, *FEDERAL_PARTNER)
def distribution_acknowledge_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request_user(request)
    distribution = distribution_get(user=user, pk=pk)
    officer = can_edit_advisories(user) and partner_of(user) is None
    contact: PartnerContact | None = None
    if officer:
        form = AcknowledgeForm(request.POST, partner=distribution.partner, prefix=str(distribution.pk))
        contact = form.cleaned_data["contact"] if form.is_valid() else None
    try:
        distribution_acknowledge(distribution=distribution, by=user, contact=contact, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Acknowledgement recorded."))
    if officer:
        return redirect("advisories:detail", pk=distribution.advisory_id)
    return redirect("advisories:mine")


@roles_required(*FEDERAL_PARTNER)
def partner_advisories_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    rows = [
        (d, reverse("csaf:document", args=[directory_of(d.advisory.tlp), d.advisory.year, d.advisory.file_name]))
        for d in distributions_for_partner_account(user=user)
    ]
    return render(request, "advisories/partner_advisories.html", {"partner": partner_of(user), "rows": rows})


@roles_required(*READERS)
def partner_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "advisories/partner_list.html",
        {"partners": partner_list(user=request.user), "can_edit": can_edit_advisories(request.user)},
    )


@roles_required(*READERS)
def partner_detail_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    partner = partner_get(user=request.user, pk=pk)
    return render(
        request,
        "advisories/partner_detail.html",
        {"partner": partner, "can_edit": can_edit_advisories(request.user)},
    )


def _partner_form(request: HttpRequest, partner: FederalPartner | None) -> HttpResponse:
    initial = (
        {"name": partner.name, "acronym": partner.acronym, "kind": partner.kind, "notes": partner.notes}
        if partner
        else None
    )
    form = PartnerForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = partner_save(by=request_user(request), partner=partner, request=request, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Federal partner saved."))
            return redirect("advisories:partner_detail", pk=saved.pk)
    status = 400 if form.errors else 200
    return render(request, "advisories/partner_form.html", {"form": form, "partner": partner}, status=status)


@roles_required(*ADVISORY_EDITORS)
def partner_create_view(request: HttpRequest) -> HttpResponse:
    return _partner_form(request, None)


@roles_required(*ADVISORY_EDITORS)
def partner_edit_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _partner_form(request, partner_get(user=request.user, pk=pk))


def _contact_form(request: HttpRequest, partner: FederalPartner, contact: PartnerContact | None) -> HttpResponse:
    initial = {f: getattr(contact, f) for f in ("name", "email", "phone", "function", "user")} if contact else None
    form = ContactForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact_save(
                by=request_user(request), partner=partner, contact=contact, request=request, **form.cleaned_data
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Contact saved."))
            return redirect("advisories:partner_detail", pk=partner.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "partner": partner, "contact": contact}
    return render(request, "advisories/contact_form.html", context, status=status)


@roles_required(*ADVISORY_EDITORS)
def contact_create_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    return _contact_form(request, partner_get(user=request.user, pk=pk), None)


@roles_required(*ADVISORY_EDITORS)
def contact_edit_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    contact = contact_get(user=request.user, pk=pk)
    return _contact_form(request, contact.partner, contact)
