from django.urls import path

from liaison.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_list_view, name="list"),
    path("new/", views.partner_create_view, name="create"),
    path("<uuid:pk>/", views.partner_detail_view, name="detail"),
    path("<uuid:pk>/edit/", views.partner_edit_view, name="edit"),
    path("<uuid:pk>/agreements/new/", views.agreement_create_view, name="agreement_create"),
    path("<uuid:pk>/contacts/new/", views.contact_create_view, name="contact_create"),
]
