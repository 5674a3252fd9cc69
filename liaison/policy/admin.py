from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from liaison.core.admin_site import AuditedAdmin, admin_site
from liaison.policy.models import Caveat, ClassificationLevel, ClassificationScheme, Compartment, Zone


class LevelInline(admin.TabularInline):
    model = ClassificationLevel
    extra = 0


@admin.register(ClassificationScheme, site=admin_site)
class ClassificationSchemeAdmin(AuditedAdmin):
    list_display = ["name", "code", "is_national"]
    inlines = [LevelInline]


@admin.register(Zone, Caveat, site=admin_site)
class VocabularyAdmin(AuditedAdmin):
    list_display = ["code", "name_fr", "name_en"]
    search_fields = ["code", "name_fr", "name_en"]


@admin.register(Compartment, site=admin_site)
class CompartmentAdmin(VocabularyAdmin):
    """Compartments cannot be deleted: deleting one would silently drop it from every object it protects and open
    them to readers without it. Rename it instead; retiring a compartment is a reviewed downgrade."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
