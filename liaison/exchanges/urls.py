from django.urls import path

from liaison.exchanges import views

app_name = "exchanges"
urlpatterns = [
    path("", views.exchange_list_view, name="list"),
    path("new/", views.exchange_create_view, name="create"),
    path("<uuid:pk>/", views.exchange_detail_view, name="detail"),
    path("<uuid:pk>/items/new/", views.item_create_view, name="item_create"),
    path("items/<uuid:pk>/", views.item_detail_view, name="item_detail"),
    path("items/<uuid:pk>/edit/", views.item_edit_view, name="item_edit"),
    path("items/<uuid:pk>/attachments/", views.attachment_add_view, name="attachment_add"),
    path("attachments/<uuid:pk>/", views.attachment_download_view, name="attachment_download"),
]
