"""The CSAF provider location, mounted at /.well-known/csaf/ (CSAF 2.0 section 7.1.9)."""

from django.urls import path

from liaison.advisories import provider_views

app_name = "csaf"
urlpatterns = [
    path("provider-metadata.json", provider_views.provider_metadata_view, name="provider_metadata"),
    path("openpgp/<str:fingerprint>.asc", provider_views.openpgp_key_view, name="openpgp_key"),
    path("<slug:directory>/", provider_views.directory_view, name="directory"),
    path("<slug:directory>/index.txt", provider_views.index_view, name="index"),
    path("<slug:directory>/changes.csv", provider_views.changes_view, name="changes"),
    path("<slug:directory>/<int:year>/<str:file>", provider_views.document_view, name="document"),
]
