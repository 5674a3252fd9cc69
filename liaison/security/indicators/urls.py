"""The indicators' pages, included in the `security` namespace by liaison/security/urls.py."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
