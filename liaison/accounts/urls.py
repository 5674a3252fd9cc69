from django.urls import path

from liaison.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.second_factor_view, name="second_factor"),
    path("login/enrol/", views.enrol_view, name="enrol"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile_view, name="profile"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/<uuid:pk>/reveal/", views.user_reveal_view, name="user_reveal"),
    path("users/<uuid:pk>/unlock/", views.user_unlock_view, name="user_unlock"),
    path("users/<uuid:pk>/reset-second-factor/", views.user_reset_second_factor_view, name="user_reset_second_factor"),
]
