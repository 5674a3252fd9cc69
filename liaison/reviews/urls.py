from django.urls import path

from liaison.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.my_reviews_view, name="mine"),
    path("mine/<uuid:pk>/", views.my_campaign_view, name="mine_in"),
    path("mine/<uuid:pk>/confirm-rest/", views.confirm_rest_view, name="confirm_rest"),
    path("items/<uuid:pk>/decide/", views.item_decide_view, name="decide"),
    path("campaigns/", views.campaign_list_view, name="list"),
    path("campaigns/new/", views.campaign_open_view, name="open"),
    path("campaigns/<uuid:pk>/", views.campaign_detail_view, name="detail"),
    path("campaigns/<uuid:pk>/close/", views.campaign_close_view, name="close"),
]
