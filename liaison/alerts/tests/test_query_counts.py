"""Query counts of the alert pages, pinned: the list and an alert with its evidence run the same number of SQL
queries whatever the number of alerts or evidence rows."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse

from liaison.alerts.models import Alert, AlertRule
from liaison.alerts.services import Evidence, raise_alert
from liaison.alerts.tests.builders import DAY, at
from liaison.audit.models import AuditEntry
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as
from liaison.testing.queries import assert_page_queries


def _alert(cast: Cast, hour: int, rule: str = AlertRule.REFUSALS) -> Alert:
    start = at(DAY, hour)
    alert, _created = raise_alert(
        rule=rule,
        user=cast.dave if hour % 2 else cast.bob,
        window=(start, start + timedelta(minutes=10)),
        evidence=[],
        facts={"count": 5, "threshold": 5, "minutes": 10},
    )
    return alert


def test_the_alert_list(cast: Cast, client: Client) -> None:
    _alert(cast, 1)
    login_as(client, cast.grace)

    def grow() -> None:
        for hour in range(2, 8):
            _alert(cast, hour)

    assert_page_queries(client, reverse("alerts:list"), 10, grow=grow)


def test_an_alert_with_its_evidence(cast: Cast, client: Client) -> None:
    alert = _alert(cast, 1)
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    raise_alert(
        rule=alert.rule,
        user=alert.user,
        window=(alert.window_start, alert.window_end),
        evidence=[Evidence.entry(seqs[0]), Evidence.read(1)],
    )
    login_as(client, cast.grace)

    def grow() -> None:
        more = [Evidence.entry(seq) for seq in seqs[1:20]]
        raise_alert(rule=alert.rule, user=alert.user, window=(alert.window_start, alert.window_end), evidence=more)

    assert_page_queries(client, reverse("alerts:detail", args=[alert.pk]), 12, grow=grow)
