from django.urls import path

from liaison.passkeys import views

app_name = "passkeys"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/enrol/", views.login_enrol_view, name="login_enrol"),
    path("", views.key_list_view, name="list"),
    path("add/", views.key_add_view, name="add"),
    path("<uuid:pk>/revoke/", views.key_revoke_view, name="revoke"),
]
