from django.urls import URLPattern, URLResolver

from liaison.security.indicators.urls import urlpatterns as indicator_urlpatterns

app_name = "security"

urlpatterns: list[URLPattern | URLResolver] = [
    *indicator_urlpatterns,
]
