from django.contrib import admin

from liaison.core.admin_site import AuditedAdmin, admin_site
from liaison.policy.models import Caveat, ClassificationLevel, ClassificationScheme, Compartment, Zone


class LevelInline(admin.TabularInline):
    model = ClassificationLevel
    extra = 0


@admin.register(ClassificationScheme, site=admin_site)
class ClassificationSchemeAdmin(AuditedAdmin):
    list_display = ["name", "code", "is_national"]
    inlines = [LevelInline]


@admin.register(Compartment, Zone, Caveat, site=admin_site)
class VocabularyAdmin(AuditedAdmin):
    list_display = ["code", "name_fr", "name_en"]
    search_fields = ["code", "name_fr", "name_en"]
