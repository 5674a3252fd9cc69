from django.urls import path

from liaison.home import reference_views, views

app_name = "home"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("markings/", reference_views.markings_view, name="markings"),
    path("watchtower/", views.watchtower_view, name="watchtower"),
    path("watchtower/<str:table>.csv", views.watchtower_csv_view, name="watchtower_csv"),
]
