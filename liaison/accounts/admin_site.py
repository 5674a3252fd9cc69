"""The administration site for vocabularies and accounts. Only administrators reach it (others get 404, like any
page they may not use); it holds no content model, so administering the instance never shows protected content.
Every change made here is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import RoleCode
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.policy.gates import has_any_role


class LiaisonAdminSite(admin.AdminSite):
    site_header = _("Liaison administration")
    site_title = _("Liaison administration")
    index_title = _("Vocabularies and accounts")

    def has_permission(self, request: HttpRequest) -> bool:
        return has_any_role(request.user, RoleCode.ADMINISTRATOR)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404
            response: HttpResponse = inner(request, *args, **kwargs)
            return response

        return gated

    def password_change(self, request: HttpRequest, extra_context: Any = None) -> TemplateResponse:
        response = super().password_change(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            record(
                actor=request.user,
                event=AuditEvent.USER_CHANGED,
                target=request.user,  # type: ignore[arg-type]
                extra={"fields": ["password"]},
                request=request,
            )
        return response

    def logout(self, request: HttpRequest, extra_context: Any = None) -> TemplateResponse:
        if request.method == "POST" and request.user.is_authenticated:
            record(actor=request.user, event=AuditEvent.LOGOUT, request=request)
        return super().logout(request, extra_context)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return redirect(f"{reverse('accounts:login')}?next={request.GET.get('next', reverse('admin:index'))}")


admin_site = LiaisonAdminSite(name="admin")


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit entry for every add, change and delete made through the administration site."""

    audit_event = AuditEvent.VOCABULARY_CHANGED
    audit_event_created: AuditEvent | None = None

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,
            event=self.audit_event if change or self.audit_event_created is None else self.audit_event_created,
            target=obj,
            extra={"action": "change" if change else "add", "fields": sorted(form.changed_data)},
            request=request,
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        record(actor=request.user, event=self.audit_event, target=obj, extra={"action": "delete"}, request=request)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            record(actor=request.user, event=self.audit_event, target=obj, extra={"action": "delete"}, request=request)
        super().delete_queryset(request, queryset)
