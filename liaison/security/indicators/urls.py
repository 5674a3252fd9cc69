"""The indicators' pages, included in the `security` namespace by liaison/security/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from liaison.security.indicators import views

urlpatterns: list[URLPattern] = [
    path("indicators/", views.indicator_list_view, name="indicator_list"),
    path("indicators/<slug:code>/", views.indicator_detail_view, name="indicator_detail"),
    path("indicators/<slug:code>/threshold/", views.indicator_threshold_view, name="indicator_threshold"),
]
