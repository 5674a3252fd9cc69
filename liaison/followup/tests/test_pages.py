"""The follow-up pages as a user meets them: list and filters, creation from an exchange, actions, the card on
linked pages, a recipient's question, the hand-over page; and constant query counts for the list."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.followup.models import FollowUp, FollowUpKind, FollowUpStatus
from liaison.followup.services import followup_create
from liaison.testing.cast import make_partner, make_user
from liaison.testing.matrix import login_as


def _tasks(cast, count, owner=None):
    for n in range(count):
        followup_create(
            by=cast.alice, kind="task", title=f"Task {n}", owner=owner or cast.alice, exchange=cast.exchange
        )


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("followup:list"))
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_the_same_number_of_queries_for_3_and_10_rows(cast, client):
    login_as(client, cast.alice)
    _tasks(cast, 3)
    _list_queries(client)  # the first request after login also saves the session
    three = _list_queries(client)
    _tasks(cast, 7)
    assert _list_queries(client) == three


def test_my_followups_by_default_and_filters(cast, client):
    followup_create(by=cast.alice, kind="task", title="Mine", owner=cast.alice)
    followup_create(by=cast.carol, kind="task", title="Carol's own", owner=cast.carol)
    overdue = followup_create(
        by=cast.alice, kind="rfi_in", title="Late request", owner=cast.alice, partner=cast.open_partner
    )
    FollowUp.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timedelta(hours=2))
    login_as(client, cast.alice)
    page = client.get(reverse("followup:list")).content.decode()
    assert "Mine" in page and "Late request" in page and "Carol&#x27;s own" not in page
    page = client.get(reverse("followup:list"), {"scope": "mine", "status": "open", "overdue": "on"}).content.decode()
    assert "Late request" in page and "Mine" not in page
    login_as(client, cast.carol)
    page = client.get(reverse("followup:list"), {"scope": "all", "status": "open"}).content.decode()
    assert "Mine" in page and "Carol&#x27;s own" in page  # the desk head sees her team's
    page = client.get(reverse("followup:list"), {"scope": "all", "status": "", "owner": cast.alice.pk}).content.decode()
    assert "Mine" in page and "Carol&#x27;s own" not in page


def test_create_from_an_exchange_links_it_and_keeps_its_markings(cast, client):
    login_as(client, cast.alice)
    url = reverse("followup:create") + f"?exchange={cast.exchange.pk}"
    assert "Courier routes" in client.get(url).content.decode()  # the exchange's items can be linked
    response = client.post(
        url,
        {
            "exchange": cast.exchange.pk,
            "kind": "rfi_in",
            "title": "They ask for the courier's phone",
            "priority": "urgent",
            "owner": cast.alice.pk,
            "partner": cast.open_partner.pk,
            "items": [cast.item.pk],
        },
    )
    followup = FollowUp.objects.get(title="They ask for the courier's phone")
    assert response.status_code == 302 and followup.exchange == cast.exchange
    assert list(followup.items.all()) == [cast.item]
    assert followup.marking().dominates(cast.exchange.marking())
    assert (
        "They ask for the courier" in client.get(reverse("exchanges:detail", args=[cast.exchange.pk])).content.decode()
    )


def test_a_due_time_in_the_daylight_saving_gap_is_refused_by_the_form(cast, client):
    cast.alice.time_zone = "Europe/Paris"
    cast.alice.save(update_fields=["time_zone"])
    login_as(client, cast.alice)
    response = client.post(
        reverse("followup:create"),
        {
            "kind": "task",
            "title": "Spring task",
            "priority": "normal",
            "owner": cast.alice.pk,
            "due_at": "2026-03-29T02:30",
        },
    )
    assert response.status_code == 200
    assert "does not exist in Europe/Paris" in response.content.decode()
    assert not FollowUp.objects.filter(title="Spring task").exists()


def test_a_due_time_is_read_in_the_users_zone(cast, client):
    cast.alice.time_zone = "America/New_York"
    cast.alice.save(update_fields=["time_zone"])
    login_as(client, cast.alice)
    client.post(
        reverse("followup:create"),
        {
            "kind": "task",
            "title": "NY task",
            "priority": "normal",
            "owner": cast.alice.pk,
            "due_at": "2030-11-04T09:00",
        },
    )
    followup = FollowUp.objects.get(title="NY task")
    assert followup.due_at.isoformat() == "2030-11-04T14:00:00+00:00"


def test_actions_acknowledge_then_answer_from_the_page(cast, client):
    followup = followup_create(
        by=cast.alice, kind="rfi_in", title="Who rents the flat?", owner=cast.alice, partner=cast.open_partner
    )
    login_as(client, cast.alice)
    act = reverse("followup:act", args=[followup.pk])
    page = client.get(reverse("followup:detail", args=[followup.pk])).content.decode()
    assert "Acknowledge, with an estimated answer" in page
    response = client.post(act, {"action": "acknowledge"})
    assert response.status_code == 400 and "Give the estimated answer date and time." in response.content.decode()
    assert client.post(act, {"action": "acknowledge", "estimate_at": "2030-01-10T12:00"}).status_code == 302
    assert client.post(act, {"action": "answer", "text": "Name given by phone."}).status_code == 302
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.ANSWERED and followup.outcome == "Name given by phone."
    response = client.post(act, {"action": "comment", "text": "late"})
    assert response.status_code == 400 and "reopen it first" in response.content.decode()


def test_a_recipient_asks_from_the_report_page(cast, client):
    login_as(client, cast.dave)
    page = client.get(reverse("reports:detail", args=[cast.sent_report.pk])).content.decode()
    assert reverse("followup:ask", args=[cast.sent_report.pk]) in page
    response = client.post(reverse("followup:ask", args=[cast.sent_report.pk]), {"question": "Is it current?"})
    followup = FollowUp.objects.get(kind=FollowUpKind.RFI_INTERNAL)
    assert response.status_code == 302 and followup.owner == cast.alice
    login_as(client, cast.alice)
    assert "Is it current?" in client.get(reverse("reports:detail", args=[cast.sent_report.pk])).content.decode()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_handover_page_moves_the_files(cast, client, lang):
    ivan = make_user("ivan", ("liaison_officer",), "bci", "s", ("terrorism", "cyber"))
    _tasks(cast, 2)
    client.cookies.load({"django_language": lang})
    login_as(client, cast.carol)
    assert client.get(reverse("followup:handover")).status_code == 200
    response = client.post(
        reverse("followup:handover"), {"from_user": cast.alice.pk, "to_user": ivan.pk, "note": "Partners' habits."}
    )
    assert response.status_code == 302
    assert FollowUp.objects.filter(owner=ivan).count() == 2
    assert "IVAN" in client.get(reverse("followup:handover")).content.decode()


def test_a_followup_never_shows_a_partner_its_reader_may_not_see(cast, client):
    hidden = make_partner("Hidden partner", cast.carol, "dr", shared=())
    followup = followup_create(
        by=cast.carol, kind="rfi_out", title="Ask the hidden one", owner=cast.alice, partner=hidden
    )
    login_as(client, cast.alice)
    assert "Hidden partner" not in client.get(reverse("followup:list")).content.decode()
    page = client.get(reverse("followup:detail", args=[followup.pk])).content.decode()
    assert "Ask the hidden one" in page and "Hidden partner" not in page
    login_as(client, cast.carol)
    assert "Hidden partner" in client.get(reverse("followup:detail", args=[followup.pk])).content.decode()
