"""The notification centre: the page, the header count and the API, each naming a target only while readable."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.notifications.context_processors import unread
from liaison.notifications.models import Notification, NotificationKind
from liaison.notifications.services import notify
from liaison.notifications.sweep import reminder_sweep
from liaison.testing.cast import compartment, make_followup
from liaison.testing.matrix import login_as

NEUTRAL = "An item you can no longer see"


def notices_for_alice(cast, count: int) -> None:
    for n in range(count):
        followup = make_followup(
            owner=cast.alice, by=cast.alice, due_at=timezone.now() + timedelta(hours=2), title=f"Task {n}"
        )
        notify(recipient=cast.alice, kind=NotificationKind.DUE_SOON, target=followup, key=str(followup.pk))
    notify(recipient=cast.alice, kind=NotificationKind.REPORT_RETURNED, target=cast.draft_report, key="r")


def test_page_lists_unread_first_then_newest_first_with_links(cast, client: Client) -> None:
    notices_for_alice(cast, 3)
    for n, notification in enumerate(Notification.objects.order_by("created_at")[:2]):
        notification.read_at = timezone.now() + timedelta(minutes=n)  # the older one was read first
        notification.save()
    login_as(client, cast.alice)
    page = client.get(reverse("notifications:list")).content.decode()
    order = [page.index(title) for title in ("CR — quarterly meeting", "Task 2", "Task 1", "Task 0")]
    assert order == sorted(order)  # unread (newest first), then read (newest first)
    assert reverse("reports:detail", args=[cast.draft_report.pk]) in page


def test_header_shows_the_unread_count(cast, client: Client) -> None:
    notices_for_alice(cast, 2)
    login_as(client, cast.alice)
    assert 'class="badge" aria-label="3 unread">3</span>' in client.get(reverse("reports:list")).content.decode()
    login_as(client, cast.bob)
    assert 'class="badge"' not in client.get(reverse("reports:list")).content.decode()


def test_mark_one_then_all_read(cast, client: Client) -> None:
    notices_for_alice(cast, 2)
    login_as(client, cast.alice)
    first = Notification.objects.filter(recipient=cast.alice)[0]
    assert client.post(reverse("notifications:read", args=[first.pk])).status_code == 302
    assert Notification.objects.filter(recipient=cast.alice, read_at__isnull=True).count() == 2
    client.post(reverse("notifications:read_all"))
    assert Notification.objects.filter(recipient=cast.alice, read_at__isnull=True).count() == 0


def test_someone_elses_notification_answers_404(cast, client: Client) -> None:
    notices_for_alice(cast, 1)
    login_as(client, cast.bob)
    theirs = Notification.objects.filter(recipient=cast.alice)[0]
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("api:notification-read", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_lost_compartment_hides_the_title_on_page_and_api(cast, client: Client) -> None:
    followup = make_followup(
        owner=cast.alice,
        by=cast.alice,
        due_at=timezone.now() + timedelta(hours=2),
        title="Courier network sweep",
        compartments=frozenset({"terrorism"}),
    )
    reminder_sweep()
    login_as(client, cast.alice)
    before = client.get(reverse("notifications:list")).content.decode()
    assert "Courier network sweep" in before
    assert reverse("followup:detail", args=[followup.pk]) in before
    cast.alice.compartments.remove(compartment("terrorism"))
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Courier network sweep" not in page
    assert NEUTRAL in page
    assert str(followup.pk) not in page
    response = client.get(reverse("api:notification-list"))
    api = response.json()["results"]
    about = [n for n in api if n["kind"] == NotificationKind.DUE_SOON]
    assert about and about[0]["title"] is None and about[0]["url"] is None and about[0]["target_id"] is None
    assert "Courier network sweep" not in str(api)


def test_list_page_query_count_does_not_grow(cast, client: Client) -> None:
    login_as(client, cast.alice)
    notices_for_alice(cast, 3)
    client.get(reverse("notifications:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:list"))
    notices_for_alice(cast, 7)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("notifications:list"))
    assert Notification.objects.filter(recipient=cast.alice).count() == 11  # 3 + 7 follow-ups, one report
    assert len(few) == len(many)


def test_api_list_filters_unread_and_marks_read(cast, client: Client) -> None:
    notices_for_alice(cast, 2)
    login_as(client, cast.alice)
    results = client.get(reverse("api:notification-list"), {"unread": "true"}).json()["results"]
    assert len(results) == 3 and {r["read_at"] for r in results} == {None}
    one = results[0]
    answer = client.post(reverse("api:notification-read", args=[one["id"]])).json()
    assert answer["read_at"] is not None and answer["title"] == one["title"]
    assert client.post(reverse("api:notification-read-all")).json() == {"marked": 2}
    assert client.get(reverse("api:notification-list"), {"unread": "true"}).json()["results"] == []


def test_api_list_query_count_does_not_grow(cast, client: Client) -> None:
    login_as(client, cast.alice)
    notices_for_alice(cast, 3)
    client.get(reverse("api:notification-list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("api:notification-list"))
    notices_for_alice(cast, 7)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("api:notification-list"))
    assert len(few) == len(many)


def test_header_count_is_one_query(cast, rf) -> None:
    notices_for_alice(cast, 4)
    request = rf.get("/")
    request.user = cast.alice
    with CaptureQueriesContext(connection) as queries:
        assert unread(request) == {"unread_notifications": 5}
    assert len(queries) == 1


def test_the_page_banner_carries_the_markings_of_the_targets_it_names(cast, client: Client) -> None:
    followup = make_followup(
        owner=cast.alice, by=cast.alice, due_at=timezone.now() + timedelta(hours=2), compartments=frozenset({"cyber"})
    )
    notify(recipient=cast.alice, kind=NotificationKind.DUE_SOON, target=followup, key="cyber")
    login_as(client, cast.alice)
    assert client.get(reverse("notifications:list")).context["marked"] == [followup]
    assert "CYBER" in client.get(reverse("notifications:list")).content.decode()
    cast.alice.compartments.remove(compartment("cyber"))
    page = client.get(reverse("notifications:list"))
    assert page.context["marked"] == [] and "CYBER" not in page.content.decode()
