"""Pages of the strengthening plan: the plan's overview, objectives and measures (the security office writes,
internal audit reads), a measure's page with its history, evidence, controls and live indicators, the coverage of
the imported frameworks, the catalogues and their upload, and "my measures" for a measure's owner. Every other
user gets 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.core.exceptions import DomainError
from liaison.policy.gates import request_user, roles_required
from liaison.policy.security_office import (
    PLAN_READERS,
    SECURITY_OFFICE,
    can_edit_plan,
    can_read_plan,
    can_report_on_measure,
)
from liaison.security import services
from liaison.security.forms import CatalogueForm, EvidenceForm, MeasureForm, MeasureUpdateForm, ObjectiveForm
from liaison.security.frameworks import CatalogueRefused
from liaison.security.models import LineOfDefence, Measure, MeasureStatus
from liaison.security.selectors import (
    PlanFilters,
    coverage,
    evidence_get,
    framework_list,
    measure_get,
    measure_page,
    my_measures,
    objective_get,
    plan_overview,
    plan_owners,
    progress_by_line,
)


def _posted(request: HttpRequest) -> Any:
    """The posted fields, so that an empty post is checked (and refused) rather than shown as a blank form."""
    return request.POST if request.method == "POST" else None


@roles_required(*PLAN_READERS)
def plan_view(request: HttpRequest) -> HttpResponse:
    filters = PlanFilters.from_query(request.GET)
    return render(
        request,
        "security/plan.html",
        {
            "objectives": plan_overview(filters=filters),
            "lines": progress_by_line(),
            "filters": filters,
            "line_choices": LineOfDefence.choices,
            "status_choices": MeasureStatus.choices,
            "owners": plan_owners(),
            "can_edit": can_edit_plan(request_user(request)),
        },
    )


@roles_required(*SECURITY_OFFICE)
def objective_edit_view(request: HttpRequest, pk: str | None = None) -> HttpResponse:
    objective = objective_get(pk=pk) if pk is not None else None
    initial = {}
    if objective is not None:
        initial = {
            "reference": objective.reference,
            "title": objective.title,
            "description": objective.description,
            "target_on": objective.target_on,
        }
    form = ObjectiveForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_save(objective=objective, by=request_user(request), request=request, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Objective saved."))
            return redirect("security:plan")
    return render(
        request,
        "security/objective_form.html",
        {"form": form, "objective": objective},
        status=400 if form.errors else 200,
    )


@roles_required(*SECURITY_OFFICE)
def measure_edit_view(request: HttpRequest, pk: str | None = None) -> HttpResponse:
    user = request_user(request)
    measure = measure_get(user=user, pk=pk) if pk is not None else None
    form = MeasureForm(_posted(request), initial=_measure_initial(measure, request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            measure = services.measure_save(
                measure=measure,
                objective=data["objective"],
                reference=data["reference"],
                title=data["title"],
                description=data["description"],
                line=data["line"],
                owner=data["owner"],
                due_on=data["due_on"],
                controls=list(data["controls"]),
                indicators=list(data["indicators"]),
                by=user,
                request=request,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Measure saved."))
            return redirect("security:measure_detail", pk=measure.pk)
    return render(
        request,
        "security/measure_form.html",
        {"form": form, "measure": measure},
        status=400 if form.errors else 200,
    )


def _measure_initial(measure: Measure | None, request: HttpRequest) -> dict[str, Any]:
    if measure is None:
        objective = request.GET.get("objective", "")
        return {"objective": objective} if objective else {}
    return {
        "objective": measure.objective_id,
        "reference": measure.reference,
        "title": measure.title,
        "description": measure.description,
        "line": measure.line,
        "owner": measure.owner_id,
        "due_on": measure.due_on,
        "controls": [c.pk for c in measure.controls.all()],
        "indicators": [i.pk for i in measure.indicators.all()],
    }


@login_required
def measure_detail_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    measure = measure_get(user=user, pk=pk)
    return _measure_page(request, measure, MeasureUpdateForm(initial=_update_initial(measure)), EvidenceForm())


def _update_initial(measure: Measure) -> dict[str, Any]:
    return {"status": measure.status, "progress": measure.progress}


def _measure_page(
    request: HttpRequest,
    measure: Measure,
    update_form: MeasureUpdateForm,
    evidence_form: EvidenceForm,
    status: int = 200,
) -> HttpResponse:
    user = request_user(request)
    return render(
        request,
        "security/measure_detail.html",
        {
            "measure": measure,
            "page": measure_page(measure=measure),
            "can_report": can_report_on_measure(user, measure),
            "can_edit": can_edit_plan(user),
            "can_read_plan": can_read_plan(user),
            "update_form": update_form,
            "evidence_form": evidence_form,
        },
        status=status,
    )


def _reportable(request: HttpRequest, pk: str) -> Measure:
    """A measure the user may post updates and evidence on; 404 for anyone else, readers included."""
    user = request_user(request)
    measure = measure_get(user=user, pk=pk)
    if not can_report_on_measure(user, measure):
        raise Http404
    return measure


@require_POST
@login_required
def measure_update_view(request: HttpRequest, pk: str) -> HttpResponse:
    measure = _reportable(request, pk)
    form = MeasureUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.measure_update_add(measure=measure, by=request_user(request), request=request, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Update recorded."))
            return redirect("security:measure_detail", pk=measure.pk)
    return _measure_page(request, measure, form, EvidenceForm(), status=400)


@require_POST
@login_required
def evidence_upload_view(request: HttpRequest, pk: str) -> HttpResponse:
    measure = _reportable(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.evidence_add(
                measure=measure,
                by=request_user(request),
                filename=upload.name,
                data=upload.read(),
                description=form.cleaned_data["description"],
                request=request,
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("Evidence added, stored encrypted."))
            return redirect("security:measure_detail", pk=measure.pk)
    update_form = MeasureUpdateForm(initial=_update_initial(measure))
    return _measure_page(request, measure, update_form, form, status=400)


@login_required
def evidence_download_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    evidence = evidence_get(user=user, pk=pk)
    try:
        data = services.evidence_read(evidence=evidence, by=user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("security:measure_detail", pk=evidence.measure_id)
    response = HttpResponse(data, content_type=evidence.content_type)
    response["Content-Disposition"] = f'attachment; filename="{evidence.filename.replace(chr(34), "")}"'
    return response


@login_required
def my_measures_view(request: HttpRequest) -> HttpResponse:
    measures = my_measures(user=request_user(request))
    if not measures:
        raise Http404
    return render(request, "security/my_measures.html", {"measures": measures})


@roles_required(*PLAN_READERS)
def coverage_view(request: HttpRequest) -> HttpResponse:
    return render(request, "security/coverage.html", {"frameworks": coverage()})


@roles_required(*PLAN_READERS)
def framework_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "security/frameworks.html",
        {"frameworks": framework_list(), "can_import": can_edit_plan(request_user(request))},
    )


@roles_required(*SECURITY_OFFICE)
def framework_import_view(request: HttpRequest) -> HttpResponse:
    form = CatalogueForm(_posted(request), request.FILES if request.method == "POST" else None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            framework = services.framework_import(
                name=upload.name, data=upload.read(), by=request_user(request), request=request
            )
        except CatalogueRefused as refused:
            form.add_error(None, refused.message)
            problems = refused.lines()
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(name)s imported: %(count)d controls.") % {"name": framework, "count": framework.controls.count()},
            )
            return redirect("security:frameworks")
    return render(
        request,
        "security/framework_import.html",
        {"form": form, "problems": problems},
        status=400 if form.errors else 200,
    )
