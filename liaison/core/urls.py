from django.urls import path

from liaison.core import views

app_name = "core"
urlpatterns = [
    path("keys/instance-ed25519.pem", views.public_key_view, name="public_key"),
    path("keys/ca.pem", views.ca_certificate_view, name="ca_certificate"),
]
