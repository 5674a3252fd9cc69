"""Each rule raises its alert on crafted activity and stays quiet on ordinary activity; evaluation is idempotent,
bounded and deduplicated; raising notifies the security officers and is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings

from liaison.alerts.models import Alert, AlertRule, AlertStatus, EvidenceSource, Watermark
from liaison.alerts.rules import alerts_evaluate
from liaison.alerts.services import Evidence, raise_alert
from liaison.alerts.tests.builders import DAY, at, daily_reads, exports, login, reads
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry, ReadRecord
from liaison.audit.verify import verify_chain, verify_reads
from liaison.notifications.models import Notification, NotificationKind
from liaison.testing.cast import Cast

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CURL = "curl/8.5.0"


def _alerts(rule: str) -> list[Alert]:
    return list(Alert.objects.filter(rule=rule))


def test_reads_far_above_the_users_baseline_raise_an_alert(cast: Cast) -> None:
    daily_reads(cast.dave, DAY, days=14, per_day=20)
    reads(cast.dave, at(DAY, 9), 200)
    alerts_evaluate()
    [alert] = _alerts(AlertRule.READ_VOLUME)
    assert alert.user == cast.dave
    assert alert.facts["count"] == 200 and alert.facts["baseline"] == 20 and alert.facts["threshold"] == 60
    assert alert.evidence_count == 200
    assert alert.evidence.count() == 100  # LIAISON_ALERT_EVIDENCE_MAX
    assert set(alert.evidence.values_list("source", flat=True)) == {EvidenceSource.READ}
    assert "200" in alert.explanation and "60" in alert.explanation


FILES = [f"file-{n}" for n in range(10)]  # an analyst's working set: few distinct objects, read again and again


def test_an_ordinary_day_raises_nothing(cast: Cast) -> None:
    for n in range(1, 15):
        reads(cast.dave, at(DAY - timedelta(days=n), 10), 45, targets=FILES)
    reads(cast.dave, at(DAY, 9), 80, targets=FILES)  # above the floor (50), within the user's own habits (3 x 45)
    alerts_evaluate()
    assert [(a.rule, a.facts) for a in Alert.objects.all()] == []


def test_a_new_user_is_judged_against_the_floor(cast: Cast) -> None:
    reads(cast.dave, at(DAY, 9), 50, targets=FILES)
    alerts_evaluate()
    assert not Alert.objects.exists()
    reads(cast.dave, at(DAY, 11), 1, targets=FILES)
    alerts_evaluate()
    assert [a.facts["count"] for a in _alerts(AlertRule.READ_VOLUME)] == [51]


@override_settings(LIAISON_ALERT_EXPORTS_FLOOR=3)
def test_exports_above_the_baseline_raise_an_alert(cast: Cast) -> None:
    exports(cast.alice, at(DAY - timedelta(days=2), 10), 1)
    exports(cast.alice, at(DAY, 14), 4)
    alerts_evaluate()
    [alert] = _alerts(AlertRule.EXPORT_VOLUME)
    assert alert.user == cast.alice and alert.evidence_count == 4
    assert set(alert.evidence.values_list("source", flat=True)) == {EvidenceSource.ENTRY}


def test_repeated_refusals_in_a_window_raise_an_alert(cast: Cast) -> None:
    reads(cast.bob, at(DAY, 10, 1), 6, event=AuditEvent.ACCESS_REFUSED, every=timedelta(seconds=30))
    alerts_evaluate()
    [alert] = _alerts(AlertRule.REFUSALS)
    assert alert.user == cast.bob and alert.facts["count"] == 6
    assert alert.window_end - alert.window_start == timedelta(minutes=10)


def test_refusals_spread_over_the_day_raise_nothing(cast: Cast) -> None:
    reads(cast.bob, at(DAY, 8), 8, event=AuditEvent.ACCESS_REFUSED, every=timedelta(hours=1))
    alerts_evaluate()
    assert not _alerts(AlertRule.REFUSALS)


def test_bulk_reads_at_night_raise_an_off_hours_alert(cast: Cast) -> None:
    daily_reads(cast.dave, DAY, days=14, per_day=10)
    reads(cast.dave, at(DAY, 3), 25, every=timedelta(minutes=1))
    alerts_evaluate()
    [alert] = _alerts(AlertRule.OFF_HOURS)
    assert alert.facts["count"] == 25 and alert.severity == "high"
    assert alert.facts["hours"] == "07:00-20:00"


def test_night_reads_of_a_night_worker_are_usual(cast: Cast) -> None:
    for n in range(1, 15):
        reads(cast.dave, at(DAY - timedelta(days=n), 3), 10, every=timedelta(minutes=1))
    reads(cast.dave, at(DAY, 3), 25, every=timedelta(minutes=1))
    alerts_evaluate()
    assert not _alerts(AlertRule.OFF_HOURS)


def test_many_distinct_lookups_raise_an_alert_and_repeated_reads_of_one_object_do_not(cast: Cast) -> None:
    reads(cast.alice, at(DAY, 10, 0), 45, every=timedelta(seconds=30), targets=["same-item"])
    alerts_evaluate()
    assert not _alerts(AlertRule.LOOKUPS)
    reads(cast.alice, at(DAY, 15, 0), 30, every=timedelta(seconds=30))
    reads(cast.alice, at(DAY, 15, 20), 15, every=timedelta(seconds=30), event=AuditEvent.ACCESS_REFUSED)
    alerts_evaluate()
    [alert] = _alerts(AlertRule.LOOKUPS)
    assert alert.facts["count"] == 45 and alert.evidence.count() == 45


def test_an_administrator_on_a_new_device_and_address_raises_alerts(cast: Cast) -> None:
    for n in range(1, 6):
        login(cast.frank, at(DAY - timedelta(days=n), 8), ip="10.1.1.1", agent=FIREFOX)
    login(cast.frank, at(DAY, 8), ip="10.1.1.1", agent=FIREFOX)
    alerts_evaluate()
    assert not Alert.objects.exists()
    entry = login(cast.frank, at(DAY, 23), ip="203.0.113.9", agent=CURL)
    alerts_evaluate()
    [device] = _alerts(AlertRule.ADMIN_NEW_DEVICE)
    [address] = _alerts(AlertRule.ADMIN_NEW_ADDRESS)
    assert device.facts["value"] == CURL and address.facts["value"] == "203.0.113.9"
    assert list(address.evidence.values_list("source", "ref")) == [(EvidenceSource.ENTRY, entry.seq)]


def test_a_new_device_of_someone_else_or_a_first_login_raises_nothing(cast: Cast) -> None:
    login(cast.frank, at(DAY, 8), ip="10.1.1.1", agent=FIREFOX)  # first login: nothing to compare with
    login(cast.alice, at(DAY - timedelta(days=1), 8), ip="10.1.1.1", agent=FIREFOX)
    login(cast.alice, at(DAY, 8), ip="198.51.100.1", agent=CURL)  # not an administrator
    alerts_evaluate()
    assert not Alert.objects.exists()


def test_evaluating_twice_raises_nothing_twice(cast: Cast) -> None:
    reads(cast.bob, at(DAY, 10, 1), 6, event=AuditEvent.ACCESS_REFUSED)
    first = alerts_evaluate()
    assert first.raised == 1
    notices = Notification.objects.count()
    second = alerts_evaluate()  # reads only its own audit entries of the first run
    assert (second.raised, second.updated) == (0, 0)
    Watermark.objects.update(last_seq=0)  # even over the same rows again
    third = alerts_evaluate()
    assert third.raised == 0 and Alert.objects.count() == 1 and Notification.objects.count() == notices


def test_more_activity_in_the_same_window_adds_to_the_open_alert(cast: Cast) -> None:
    reads(cast.bob, at(DAY, 10, 1), 5, event=AuditEvent.ACCESS_REFUSED)
    alerts_evaluate()
    reads(cast.bob, at(DAY, 10, 5), 3, event=AuditEvent.ACCESS_REFUSED)
    result = alerts_evaluate()
    assert (result.raised, result.updated) == (0, 1)
    [alert] = _alerts(AlertRule.REFUSALS)
    assert alert.facts["count"] == 8 and alert.evidence.count() == 8
    assert AuditEntry.objects.filter(event=AuditEvent.ALERT_UPDATED, target_id=str(alert.pk)).count() == 1


def test_a_closed_alert_is_not_raised_again_for_its_window(cast: Cast) -> None:
    reads(cast.bob, at(DAY, 10, 1), 5, event=AuditEvent.ACCESS_REFUSED)
    alerts_evaluate()
    Alert.objects.update(status=AlertStatus.CLOSED)
    reads(cast.bob, at(DAY, 10, 5), 3, event=AuditEvent.ACCESS_REFUSED)
    alerts_evaluate()
    [alert] = _alerts(AlertRule.REFUSALS)
    assert alert.facts["count"] == 5 and alert.status == AlertStatus.CLOSED
    reads(cast.bob, at(DAY, 11, 1), 5, event=AuditEvent.ACCESS_REFUSED)  # a later window is a new alert
    alerts_evaluate()
    assert len(_alerts(AlertRule.REFUSALS)) == 2


def test_raising_notifies_each_security_officer_once_and_is_audited(cast: Cast) -> None:
    reads(cast.bob, at(DAY, 10, 1), 5, event=AuditEvent.ACCESS_REFUSED)
    alerts_evaluate()
    [alert] = _alerts(AlertRule.REFUSALS)
    notices = Notification.objects.filter(kind=NotificationKind.ALERT_RAISED)
    assert [n.recipient for n in notices] == [cast.grace]
    assert notices[0].target_id == alert.pk
    entry = AuditEntry.objects.get(event=AuditEvent.ALERT_RAISED)
    assert entry.target_id == str(alert.pk) and entry.details["rule"] == AlertRule.REFUSALS
    assert entry.details["user"] == str(cast.bob.pk)


def test_a_run_is_bounded_and_the_next_run_goes_on(cast: Cast) -> None:
    reads(cast.bob, at(DAY, 10, 1), 5, event=AuditEvent.ACCESS_REFUSED)
    alerts_evaluate(batches=0)  # seals only
    head = AuditEntry.objects.order_by("-seq").first()
    assert head is not None
    first = alerts_evaluate(batches=1, budget=3)
    assert first.entries <= 3 and not first.caught_up
    rest = alerts_evaluate(budget=3)
    assert rest.caught_up and Watermark.objects.get().last_seq >= head.seq
    assert len(_alerts(AlertRule.REFUSALS)) == 1


def test_a_seal_larger_than_the_budget_is_read_whole(cast: Cast) -> None:
    reads(cast.bob, at(DAY, 10, 1), 6, event=AuditEvent.ACCESS_REFUSED)
    result = alerts_evaluate(budget=2)
    assert result.reads == ReadRecord.objects.count() and len(_alerts(AlertRule.REFUSALS)) == 1


def test_raise_alert_is_the_door_for_other_apps(cast: Cast) -> None:
    window = (at(DAY, 10), at(DAY, 11))
    alert, created = raise_alert(
        rule=AlertRule.LOOKUPS,
        user=cast.dave,
        window=window,
        evidence=[Evidence.read(1), Evidence.read(1), Evidence.entry(2)],
        facts={"count": 2, "threshold": 1, "minutes": 60},
    )
    again, created_again = raise_alert(rule=AlertRule.LOOKUPS, user=cast.dave, window=window, evidence=[])
    assert created and not created_again and again.pk == alert.pk
    assert alert.evidence.count() == 2


def test_the_command_evaluates_and_says_what_it_did(cast: Cast, capsys: pytest.CaptureFixture[str]) -> None:
    reads(cast.bob, at(DAY, 10, 1), 5, event=AuditEvent.ACCESS_REFUSED)
    call_command("alerts", "evaluate")
    out = capsys.readouterr().out
    assert "1 alert(s) raised" in out and "5 read records" in out


def test_the_log_still_verifies_after_evaluation(cast: Cast) -> None:
    login(cast.frank, at(DAY - timedelta(days=1), 8), ip="10.1.1.1", agent=FIREFOX)
    login(cast.frank, at(DAY, 8), ip="203.0.113.9", agent=CURL)
    reads(cast.bob, at(DAY, 10, 1), 5, event=AuditEvent.ACCESS_REFUSED)
    assert alerts_evaluate().raised == 3
    assert verify_chain().ok and verify_reads().ok
