from django.urls import path

from liaison.core import views

app_name = "core"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("markings/", views.markings_view, name="markings"),
]
