from django.urls import path

from liaison.committee import views

app_name = "committee"
urlpatterns = [
    path("", views.report_list_view, name="list"),
    path("new/", views.report_create_view, name="create"),
    path("<uuid:pk>/", views.report_detail_view, name="detail"),
    path("<uuid:pk>/commentary/", views.report_comment_view, name="commentary"),
    path("<uuid:pk>/submit/", views.report_submit_view, name="submit"),
    path("<uuid:pk>/approve/", views.report_approve_view, name="approve"),
    path("<uuid:pk>/return/", views.report_return_view, name="return"),
    path("<uuid:pk>/pdf/", views.report_pdf_view, name="pdf"),
]
