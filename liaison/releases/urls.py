"""Pages of the releases to partners: requests and approval, packages and recalls, consents and tearlines, and
the reciprocity ledger. Each part keeps its own block of routes below."""

from django.urls import path

from liaison.releases import ledger_views

app_name = "releases"

# Release requests: list, build, check, submit, approve or refuse, withdraw, recall and receipt.
release_patterns: list = []

# Packages and recall messages: the signed PDF, the manifest and its signature.
package_patterns: list = []

# Consents, consent requests to originators, tearlines and their downgrades.
consent_patterns: list = []

# The reciprocity ledger: office-wide and per partner.
ledger_patterns: list = [
    path("ledger/", ledger_views.ledger_office_view, name="ledger"),
    path("ledger/<uuid:pk>/", ledger_views.ledger_partner_view, name="ledger_partner"),
]

urlpatterns = [*release_patterns, *package_patterns, *consent_patterns, *ledger_patterns]
