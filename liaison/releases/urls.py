"""Pages of the releases to partners: requests and approval, packages and recalls, consents and tearlines, and
the reciprocity ledger. Each part keeps its own block of routes below."""

from django.urls import path

from liaison.releases import consent_views, ledger_views, package_views, tearline_views, views

app_name = "releases"

# Release requests: list, build, check, submit, approve or refuse, withdraw, recall and receipt.
release_patterns: list = [
    path("", views.release_list_view, name="list"),
    path("new/", views.release_create_view, name="create"),
    path("<uuid:pk>/", views.release_detail_view, name="detail"),
    path("<uuid:pk>/edit/", views.release_edit_view, name="edit"),
    path("<uuid:pk>/submit/", views.release_submit_view, name="submit"),
    path("<uuid:pk>/withdraw/", views.release_withdraw_view, name="withdraw"),
    path("<uuid:pk>/approve/", views.release_approve_view, name="approve"),
    path("<uuid:pk>/refuse/", views.release_refuse_view, name="refuse"),
    path("<uuid:pk>/recall/", views.release_recall_view, name="recall"),
    path("<uuid:pk>/recall/receipt/", views.release_receipt_view, name="recall_receipt"),
]

# Packages and recall messages: the signed PDF, the manifest and its signature.
package_patterns: list = [
    path("<uuid:pk>/package.pdf", package_views.package_pdf_view, name="package_pdf"),
    path("<uuid:pk>/manifest.json", package_views.package_manifest_view, name="package_manifest"),
    path("<uuid:pk>/manifest.json.sig", package_views.package_signature_view, name="package_signature"),
    path("<uuid:pk>/recall.json", package_views.recall_message_view, name="recall_message"),
    path("<uuid:pk>/recall.json.sig", package_views.recall_signature_view, name="recall_signature"),
]

# Consents, consent requests to originators, tearlines and their downgrades.
consent_patterns: list = [
    path("consents/", consent_views.consent_list_view, name="consent_list"),
    path("consents/new/", consent_views.consent_create_view, name="consent_create"),
    path("consents/<uuid:pk>/", consent_views.consent_detail_view, name="consent_detail"),
    path("consent-requests/", consent_views.consent_request_list_view, name="consent_request_list"),
    path("consent-requests/<uuid:pk>/", consent_views.consent_request_detail_view, name="consent_request_detail"),
    path(
        "consent-requests/<uuid:pk>/withdraw/",
        consent_views.consent_request_withdraw_view,
        name="consent_request_withdraw",
    ),
    path("<uuid:pk>/ask-consent/", consent_views.consent_request_open_view, name="consent_request_open"),
    path("tearlines/", tearline_views.tearline_list_view, name="tearline_list"),
    path("tearlines/new/", tearline_views.tearline_create_view, name="tearline_create"),
    path("tearlines/<uuid:pk>/", tearline_views.tearline_detail_view, name="tearline_detail"),
    path("tearlines/<uuid:pk>/edit/", tearline_views.tearline_edit_view, name="tearline_edit"),
    path(
        "tearlines/<uuid:pk>/downgrade/",
        tearline_views.tearline_downgrade_request_view,
        name="tearline_downgrade_request",
    ),
    path(
        "tearlines/<uuid:pk>/downgrade/decide/",
        tearline_views.tearline_downgrade_decide_view,
        name="tearline_downgrade_decide",
    ),
]

# The reciprocity ledger: office-wide and per partner.
ledger_patterns: list = [
    path("ledger/", ledger_views.ledger_office_view, name="ledger"),
    path("ledger/<uuid:pk>/", ledger_views.ledger_partner_view, name="ledger_partner"),
]

urlpatterns = [*release_patterns, *package_patterns, *consent_patterns, *ledger_patterns]
