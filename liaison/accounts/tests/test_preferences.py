"""Display preferences: the theme and the time zone that dates are shown and entered in."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as


def test_a_chosen_time_zone_is_saved_audited_and_active_on_the_next_request(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    response = client.post(reverse("accounts:profile"), {"theme": "auto", "time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.time_zone == "Asia/Tokyo"
    entry = AuditEntry.objects.filter(event=AuditEvent.USER_CHANGED, target_id=str(cast.alice.pk)).latest("pk")
    assert entry.details["fields"] == ["time_zone"]
    page = client.get(reverse("accounts:profile"))
    assert page.context["TIME_ZONE"] == "Asia/Tokyo"


def test_an_empty_time_zone_means_the_instances(cast: Cast, client: Client, settings) -> None:
    login_as(client, cast.alice)
    client.post(reverse("accounts:profile"), {"theme": "auto", "time_zone": ""})
    assert client.get(reverse("accounts:profile")).context["TIME_ZONE"] == settings.TIME_ZONE


def test_an_unknown_time_zone_is_refused_and_nothing_changes(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    response = client.post(reverse("accounts:profile"), {"theme": "dark", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"]
    cast.alice.refresh_from_db()
    assert (cast.alice.theme, cast.alice.time_zone) == ("auto", "")
