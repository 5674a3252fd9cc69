from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from liaison.accounts.admin_site import AuditedAdmin, admin_site
from liaison.policy.models import Caveat, ClassificationLevel, ClassificationScheme, Compartment, Zone


class LevelInline(admin.TabularInline):
    """A level's rank decides who may read everything marked with it: it is set when the level is created and
    never edited or deleted afterwards (that would silently lower every object at that level)."""

    model = ClassificationLevel
    extra = 0

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["rank"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ClassificationScheme, site=admin_site)
class ClassificationSchemeAdmin(AuditedAdmin):
    list_display = ["name", "code", "is_national"]
    inlines = [LevelInline]


@admin.register(Zone, site=admin_site)
class VocabularyAdmin(AuditedAdmin):
    list_display = ["code", "name_fr", "name_en"]
    search_fields = ["code", "name_fr", "name_en"]


@admin.register(Compartment, Caveat, site=admin_site)
class CompartmentAdmin(VocabularyAdmin):
    """Compartments and caveats cannot be deleted: deleting one would silently drop it from every object it
    marks (and, for a compartment, open them to readers without it). Rename instead; retiring one is a reviewed
    downgrade."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
