from django.urls import path

from liaison.concerns import views

app_name = "concerns"
urlpatterns = [
    path("", views.concern_mine_view, name="mine"),
    path("new/", views.concern_create_view, name="create"),
    path("published/", views.published_view, name="published"),
    path("queue/", views.concern_queue_view, name="queue"),
    path("<uuid:pk>/", views.concern_detail_view, name="detail"),
    path("<uuid:pk>/triage/", views.concern_triage_view, name="triage"),
    path("<uuid:pk>/answer/", views.concern_answer_view, name="answer"),
    path("<uuid:pk>/close/", views.concern_close_view, name="close"),
    path("<uuid:pk>/publish/", views.concern_publish_view, name="publish"),
    path("<uuid:pk>/unpublish/", views.concern_unpublish_view, name="unpublish"),
]
