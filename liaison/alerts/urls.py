from django.urls import path

from liaison.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list_view, name="list"),
    path("<uuid:pk>/", views.alert_detail_view, name="detail"),
    path("<uuid:pk>/acknowledge/", views.alert_acknowledge_view, name="acknowledge"),
    path("<uuid:pk>/close/", views.alert_close_view, name="close"),
]
