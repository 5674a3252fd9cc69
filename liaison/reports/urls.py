from django.urls import path

from liaison.reports import export_views, views

app_name = "reports"
urlpatterns = [
    path("", views.report_list_view, name="list"),
    path("from-exchange/<uuid:pk>/", views.report_create_view, name="create"),
    path("<uuid:pk>/", views.report_detail_view, name="detail"),
    path("<uuid:pk>/edit/", views.report_edit_view, name="edit"),
    path("<uuid:pk>/submit/", views.report_submit_view, name="submit"),
    path("<uuid:pk>/return/", views.report_return_view, name="return"),
    path("<uuid:pk>/approve/", views.report_approve_view, name="approve"),
    path("<uuid:pk>/disseminate/", views.report_disseminate_view, name="disseminate"),
    path("<uuid:pk>/acknowledge/", views.report_acknowledge_view, name="acknowledge"),
    path("<uuid:pk>/export.pdf", export_views.report_pdf_view, name="export_pdf"),
    path("<uuid:pk>/export.json", export_views.report_json_view, name="export_json"),
]
