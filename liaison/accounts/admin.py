from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.password_validation import validate_password
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from liaison.accounts.admin_site import AuditedAdmin, admin_site
from liaison.accounts.models import Role, Service, User
from liaison.audit.events import AuditEvent


@admin.register(Service, Role, site=admin_site)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["code", "name_fr", "name_en"]
    search_fields = ["code", "name_fr", "name_en"]


class UserCreationForm(forms.ModelForm):
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput, strip=False)

    class Meta:
        model = User
        fields = ["username", "alias", "civil_first_name", "civil_last_name", "service", "clearance"]

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


@admin.register(User, site=admin_site)
class UserAdmin(AuditedAdmin):
    """Accounts: the civil identity can be typed in when an account is created, never read back here (it is
    revealed only through the audited reveal page)."""

    audit_event = AuditEvent.USER_CHANGED
    audit_event_created = AuditEvent.USER_CREATED
    list_display = ["alias", "username", "service", "clearance", "is_active"]
    list_filter = ["service", "is_active", "roles"]
    search_fields = ["alias", "username"]
    filter_horizontal = ["roles", "compartments", "zones"]
    change_fields = [
        "username",
        "alias",
        "service",
        "roles",
        "clearance",
        "compartments",
        "zones",
        "is_active",
        "is_demo",
    ]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = UserCreationForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return [*UserCreationForm.Meta.fields, "password"]
        return self.change_fields

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        return super().get_search_results(request, queryset.defer("civil_first_name", "civil_last_name"), search_term)
