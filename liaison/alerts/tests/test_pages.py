"""The alert pages as the security officer and the auditor use them, and what they never show."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import translation

from liaison.alerts.models import Alert, AlertRule, AlertStatus
from liaison.alerts.rules import alerts_evaluate
from liaison.alerts.tests.builders import DAY, at, moment, reads
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry, ReadRecord
from liaison.audit.services import record_read
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as


def _daves_night(cast: Cast) -> Alert:
    """Dave reads alice's item (which he may read) and is refused others, five times in ten minutes."""
    with moment(at(DAY, 3)):
        record_read(actor=cast.dave, event=AuditEvent.OBJECT_READ, target=cast.item)
    reads(cast.dave, at(DAY, 3, 1), 5, event=AuditEvent.ACCESS_REFUSED)
    alerts_evaluate()
    return Alert.objects.get(rule=AlertRule.REFUSALS)


def test_the_security_officer_lists_and_filters_alerts(cast: Cast, client: Client) -> None:
    alert = _daves_night(cast)
    login_as(client, cast.grace)
    html = client.get(reverse("alerts:list")).content.decode()
    assert "repeated access refusals" in html and "DAVE" in html and reverse("alerts:detail", args=[alert.pk]) in html
    assert "DAVE" not in client.get(reverse("alerts:list"), {"status": "closed"}).content.decode()
    assert "DAVE" not in client.get(reverse("alerts:list"), {"rule": AlertRule.OFF_HOURS}).content.decode()
    assert "DAVE" in client.get(reverse("alerts:list"), {"severity": "medium", "status": "open"}).content.decode()
    assert client.get(reverse("alerts:list"), {"status": "nonsense"}).status_code == 200


def test_the_evidence_opens_in_the_audit_log_and_never_shows_content(cast: Cast, client: Client) -> None:
    alert = _daves_night(cast)
    refusals = list(ReadRecord.objects.filter(event=AuditEvent.ACCESS_REFUSED).values_list("id", flat=True))
    login_as(client, cast.grace)
    html = client.get(reverse("alerts:detail", args=[alert.pk])).content.decode()
    assert "DAVE was refused access 5 times within 10 minutes" in html
    link = f"{reverse('audit:log')}?log=reads&amp;ids={','.join(map(str, sorted(refusals)))}"
    assert link in html
    # the item dave read is no evidence of refusals, and no page of the content is ever linked or titled
    assert cast.item.title not in html and reverse("exchanges:item_detail", args=[cast.item.pk]) not in html
    log = client.get(reverse("audit:log"), {"log": "reads", "ids": str(refusals[0])}).content.decode()
    assert log.count("access refused</td>") == 1 and "Only the records an alert refers to are shown" in log


def test_acknowledge_then_close_with_a_reason(cast: Cast, client: Client) -> None:
    alert = _daves_night(cast)
    login_as(client, cast.grace)
    assert client.post(reverse("alerts:acknowledge", args=[alert.pk])).status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_by == cast.grace
    refused = client.post(reverse("alerts:close", args=[alert.pk]), {"reason": "   "})
    assert refused.status_code == 400 and "This field is required" in refused.content.decode()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    client.post(reverse("alerts:close", args=[alert.pk]), {"reason": "Dave tried old links from a report."})
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED and alert.closed_by == cast.grace and alert.closed_at is not None
    events = list(AuditEntry.objects.filter(target_id=str(alert.pk)).values_list("event", "actor_id"))
    assert (AuditEvent.ALERT_ACKNOWLEDGED, str(cast.grace.pk)) in events
    assert (AuditEvent.ALERT_CLOSED, str(cast.grace.pk)) in events
    html = client.get(reverse("alerts:detail", args=[alert.pk])).content.decode()
    assert "Dave tried old links from a report." in html and "Close the alert" not in html
    again = client.post(reverse("alerts:close", args=[alert.pk]), {"reason": "Twice"})
    assert again.status_code == 400 and "already closed" in again.content.decode()


def test_the_auditor_reads_alerts_but_cannot_handle_them(cast: Cast, client: Client) -> None:
    alert = _daves_night(cast)
    login_as(client, cast.erin)
    html = client.get(reverse("alerts:detail", args=[alert.pk])).content.decode()
    assert "repeated access refusals" in html and "Acknowledge" not in html and "Close the alert" not in html
    assert client.post(reverse("alerts:acknowledge", args=[alert.pk])).status_code == 404
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_the_security_officer_is_notified_and_the_notice_leads_to_the_alert(cast: Cast, client: Client) -> None:
    alert = _daves_night(cast)
    login_as(client, cast.grace)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "anomaly alert raised" in html and "repeated access refusals" in html
    assert reverse("alerts:detail", args=[alert.pk]) in html
    login_as(client, cast.dave)
    assert "anomaly alert" not in client.get(reverse("notifications:list")).content.decode()


def test_the_explanation_is_in_french_for_a_french_reader(cast: Cast) -> None:
    alert = _daves_night(cast)
    with translation.override("fr"):
        text = alert.explanation
    assert text.startswith("DAVE s'est vu refuser l'accès 5 fois en 10 minutes")


def test_the_navigation_shows_alerts_to_security_officers_and_auditors_only(cast: Cast, client: Client) -> None:
    for member, shown in ((cast.grace, True), (cast.erin, True), (cast.frank, False), (cast.alice, False)):
        login_as(client, member)
        urls = [entry["url"] for entry in client.get("/").context["navigation"]]
        assert (reverse("alerts:list") in urls) is shown, member
        client.logout()


def test_an_alert_window_keeps_its_evidence_count_when_evidence_is_capped(cast: Cast, settings) -> None:
    settings.LIAISON_ALERT_EVIDENCE_MAX = 3
    reads(cast.bob, at(DAY, 10, 1), 7, event=AuditEvent.ACCESS_REFUSED, every=timedelta(seconds=5))
    alerts_evaluate()
    alert = Alert.objects.get(rule=AlertRule.REFUSALS)
    assert alert.evidence_count == 7 and alert.evidence.count() == 3
