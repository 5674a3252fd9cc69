from django.contrib import admin

from liaison.accounts.admin_site import AuditedAdmin, admin_site
from liaison.reports.models import RoutingRule


@admin.register(RoutingRule, site=admin_site)
class RoutingRuleAdmin(AuditedAdmin):
    """Theme and zone → internal service: the recipients proposed when a report is disseminated."""

    list_display = ["compartment", "zone", "service"]
    list_filter = ["compartment", "zone", "service"]
