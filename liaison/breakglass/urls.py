from django.urls import path

from liaison.breakglass import views

app_name = "breakglass"
urlpatterns = [
    path("", views.breakglass_list_view, name="list"),
    path("new/", views.breakglass_create_view, name="create"),
    path("pending/", views.breakglass_pending_view, name="pending"),
    path("<uuid:pk>/", views.breakglass_detail_view, name="detail"),
    path("<uuid:pk>/decide/", views.breakglass_decide_view, name="decide"),
    path("<uuid:pk>/close/", views.breakglass_close_view, name="close"),
    path("<uuid:pk>/objects/<uuid:target>/", views.breakglass_object_view, name="object"),
]
