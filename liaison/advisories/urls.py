from django.urls import path

from liaison.advisories import views

app_name = "advisories"
urlpatterns = [
    path("", views.advisory_list_view, name="list"),
    path("new/", views.advisory_create_view, name="create"),
    path("mine/", views.partner_advisories_view, name="mine"),
    path("<uuid:pk>/", views.advisory_detail_view, name="detail"),
    path("<uuid:pk>/edit/", views.advisory_edit_view, name="edit"),
    path("<uuid:pk>/submit/", views.advisory_submit_view, name="submit"),
    path("<uuid:pk>/approve/", views.advisory_approve_view, name="approve"),
    path("<uuid:pk>/publish/", views.advisory_publish_view, name="publish"),
    path("<uuid:pk>/send/", views.advisory_send_view, name="send"),
    path("sent/<uuid:pk>/acknowledge/", views.distribution_acknowledge_view, name="acknowledge"),
    path("partners/", views.partner_list_view, name="partners"),
    path("partners/new/", views.partner_create_view, name="partner_create"),
    path("partners/<uuid:pk>/", views.partner_detail_view, name="partner_detail"),
    path("partners/<uuid:pk>/edit/", views.partner_edit_view, name="partner_edit"),
    path("partners/<uuid:pk>/contacts/new/", views.contact_create_view, name="contact_create"),
    path("contacts/<uuid:pk>/edit/", views.contact_edit_view, name="contact_edit"),
]
