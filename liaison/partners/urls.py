from django.urls import path

from liaison.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_list_view, name="list"),
    path("<uuid:pk>/", views.partner_detail_view, name="detail"),
]
