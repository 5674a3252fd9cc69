from django.urls import path

from liaison.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.followup_list_view, name="list"),
    path("new/", views.followup_create_view, name="create"),
    path("handover/", views.followup_handover_view, name="handover"),
    path("<uuid:pk>/", views.followup_detail_view, name="detail"),
    path("<uuid:pk>/act/", views.followup_action_view, name="act"),
    path("ask/report/<uuid:pk>/", views.followup_ask_view, name="ask"),
]
