"""Query counts of the notification centre, pinned: the same number of SQL queries whatever the number of notices,
of either kind of target, readable or not."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from liaison.notifications.models import NotificationKind
from liaison.notifications.services import notify
from liaison.testing.cast import Cast, make_followup, make_report
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries


def add_notices(cast: Cast, tag: str) -> None:
    """Three notices for alice: a follow-up and a report she may read, a follow-up she may no longer read."""
    now = timezone.now()
    due = make_followup(cast.alice, now + timedelta(hours=5), title=f"Due {tag}", compartments=("terrorism",))
    notify(recipient=cast.alice, kind=NotificationKind.DUE_SOON, target=due, key=f"due-{tag}", about_at=due.due_at)
    report = make_report(cast.alice, cast.exchange, cast.item)
    notify(recipient=cast.alice, kind=NotificationKind.REPORT_RETURNED, target=report, key=f"report-{tag}")
    hidden = make_followup(cast.carol, now, title=f"Hidden {tag}", compartments=("proliferation",))
    notify(recipient=cast.alice, kind=NotificationKind.ASSIGNED, target=hidden, key=f"hidden-{tag}")


def test_the_notification_centre(cast: Cast, client: Client) -> None:
    add_notices(cast, "first")
    login_as(client, cast.alice)

    def grow() -> None:
        for n in range(3):
            add_notices(cast, f"more {n}")
        html = client.get("/notifications/").content.decode()
        assert "Due more 2" in html and "Hidden" not in html
        assert html.count("An item you can no longer see") == 4

    assert_page_queries(client, "/notifications/", 14, grow=grow)
