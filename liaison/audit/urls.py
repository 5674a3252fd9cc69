from django.urls import path

from liaison.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log_view, name="log"),
    path("verify/", views.audit_verify_view, name="verify"),
    path("auth-failures/", views.auth_failure_list_view, name="auth_failures"),
    path("checkpoint/", views.checkpoint_download_view, name="checkpoint"),
    path("export/", views.export_download_view, name="export"),
    path("public-key/", views.public_key_download_view, name="public_key"),
]
