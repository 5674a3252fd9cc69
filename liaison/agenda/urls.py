from django.urls import path, re_path

from liaison.agenda import feeds, views

app_name = "agenda"
urlpatterns = [
    path("", views.agenda_index_view, name="index"),
    re_path(r"^day/(?P<day>\d{4}-\d{2}-\d{2})/$", views.agenda_day_view, name="day"),
    re_path(r"^week/(?P<day>\d{4}-\d{2}-\d{2})/$", views.agenda_week_view, name="week"),
    re_path(r"^month/(?P<month>\d{4}-\d{2})/$", views.agenda_month_view, name="month"),
    path("feed/", views.feed_settings_view, name="feed_settings"),
    re_path(r"^feed/(?P<token>[A-Za-z0-9_-]{16,100})\.ics$", feeds.feed_view, name="feed_ics"),
]
