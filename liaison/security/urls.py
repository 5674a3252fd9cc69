from django.urls import URLPattern, URLResolver, path

from liaison.security import views
from liaison.security.indicators.urls import urlpatterns as indicator_urlpatterns

app_name = "security"

urlpatterns: list[URLPattern | URLResolver] = [
    path("plan/", views.plan_view, name="plan"),
    path("plan/objectives/new/", views.objective_edit_view, name="objective_create"),
    path("plan/objectives/<uuid:pk>/edit/", views.objective_edit_view, name="objective_edit"),
    path("plan/measures/new/", views.measure_edit_view, name="measure_create"),
    path("plan/measures/<uuid:pk>/", views.measure_detail_view, name="measure_detail"),
    path("plan/measures/<uuid:pk>/edit/", views.measure_edit_view, name="measure_edit"),
    path("plan/measures/<uuid:pk>/update/", views.measure_update_view, name="measure_update"),
    path("plan/measures/<uuid:pk>/evidence/", views.evidence_upload_view, name="evidence_upload"),
    path("plan/evidence/<uuid:pk>/", views.evidence_download_view, name="evidence_download"),
    path("plan/mine/", views.my_measures_view, name="my_measures"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("frameworks/", views.framework_list_view, name="frameworks"),
    path("frameworks/import/", views.framework_import_view, name="framework_import"),
    *indicator_urlpatterns,
]
