from django.urls import include, path
from django.views.i18n import set_language

from liaison.accounts.admin_site import admin_site

urlpatterns = [
    path("", include("liaison.home.urls")),
    path("", include("liaison.core.urls")),
    path("accounts/", include("liaison.accounts.urls")),
    path("accounts/keys/", include("liaison.passkeys.urls")),
    path("partners/", include("liaison.partners.urls")),
    path("exchanges/", include("liaison.exchanges.urls")),
    path("reports/", include("liaison.reports.urls")),
    path("releases/", include("liaison.releases.urls")),
    path("followups/", include("liaison.followup.urls")),
    path("reviews/", include("liaison.reviews.urls")),
    path("notifications/", include("liaison.notifications.urls")),
    path("agenda/", include("liaison.agenda.urls")),
    path("audit/", include("liaison.audit.urls")),
    path("break-glass/", include("liaison.breakglass.urls")),
    path("alerts/", include("liaison.alerts.urls")),
    path("security/", include("liaison.security.urls")),
    path("concerns/", include("liaison.concerns.urls")),
    path("advisories/", include("liaison.advisories.urls")),
    path(".well-known/csaf/", include("liaison.advisories.provider_urls")),
    path("committee/", include("liaison.committee.urls")),
    path("api/", include("liaison.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin_site.urls),
]

handler400 = "liaison.core.views.bad_request"
handler403 = "liaison.core.views.permission_denied"
handler404 = "liaison.core.views.page_not_found"
handler500 = "liaison.core.views.server_error"
