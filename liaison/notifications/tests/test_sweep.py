"""The reminder sweep: who is told what, once, and never about what they may not read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from liaison.followup.models import FollowUpKind, FollowUpStatus
from liaison.notifications.models import Notification, NotificationKind
from liaison.notifications.services import notify
from liaison.notifications.sweep import reminder_sweep
from liaison.reports.services import report_acknowledge, report_return
from liaison.testing.cast import compartment, make_followup

SMTP = {"LIAISON_SMTP_HOST": "smtp.office.test", "LIAISON_MAIL_DOMAIN": "office.test"}


def kinds_of(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_submitted_report_notifies_the_desk_head_once_and_not_its_author(cast) -> None:
    reminder_sweep()
    reminder_sweep()
    assert kinds_of(cast.carol).count(NotificationKind.REPORT_TO_REVIEW) == 1
    assert NotificationKind.REPORT_TO_REVIEW not in kinds_of(cast.alice)
    assert kinds_of(cast.bob) == []  # an officer, not a reviewer


def test_returned_report_notifies_its_author(cast) -> None:
    report_return(by=cast.carol, report=cast.submitted_report, comment="Add the date.")
    reminder_sweep()
    assert kinds_of(cast.alice) == [NotificationKind.REPORT_RETURNED]


def test_disseminated_report_notifies_the_recipient_until_acknowledged(cast) -> None:
    reminder_sweep()
    assert kinds_of(cast.dave) == [NotificationKind.REPORT_TO_ACKNOWLEDGE]
    report_acknowledge(by=cast.dave, report=cast.sent_report)
    Notification.objects.filter(recipient=cast.dave).delete()
    reminder_sweep()
    assert kinds_of(cast.dave) == []


def test_followup_due_soon_then_overdue_each_once(cast) -> None:
    now = timezone.now()
    followup = make_followup(owner=cast.alice, by=cast.alice, due_at=now + timedelta(hours=3))
    make_followup(owner=cast.alice, by=cast.alice, due_at=now + timedelta(days=5), title="Later")
    reminder_sweep(now)
    reminder_sweep(now)
    assert kinds_of(cast.alice) == [NotificationKind.DUE_SOON]
    reminder_sweep(now + timedelta(hours=4))
    reminder_sweep(now + timedelta(hours=5))
    assert kinds_of(cast.alice) == [NotificationKind.DUE_SOON, NotificationKind.OVERDUE]
    assert Notification.objects.get(kind=NotificationKind.OVERDUE).about_at == followup.due_at


def test_closed_followup_is_not_reminded(cast) -> None:
    followup = make_followup(owner=cast.alice, by=cast.alice, due_at=timezone.now() - timedelta(hours=1))
    followup.status = FollowUpStatus.DONE
    followup.save()
    reminder_sweep()
    assert kinds_of(cast.alice) == []


def test_new_deadline_gets_a_new_reminder(cast) -> None:
    now = timezone.now()
    followup = make_followup(owner=cast.alice, by=cast.alice, due_at=now - timedelta(hours=1))
    reminder_sweep(now)
    followup.due_at = now - timedelta(minutes=10)
    followup.save()
    reminder_sweep(now)
    assert kinds_of(cast.alice) == [NotificationKind.OVERDUE, NotificationKind.OVERDUE]


def test_assignment_by_someone_else_notifies_the_owner(cast) -> None:
    due = timezone.now() + timedelta(days=5)
    make_followup(owner=cast.alice, by=cast.carol, due_at=due)
    make_followup(owner=cast.alice, by=cast.alice, due_at=due, title="My own")
    reminder_sweep()
    reminder_sweep()
    assert kinds_of(cast.alice) == [NotificationKind.ASSIGNED]


def test_rfi_past_its_estimate_is_slipping(cast) -> None:
    now = timezone.now()
    make_followup(
        owner=cast.alice,
        by=cast.alice,
        kind=FollowUpKind.RFI_IN,
        due_at=now + timedelta(days=5),
        estimate_at=now - timedelta(hours=2),
    )
    make_followup(owner=cast.alice, by=cast.alice, due_at=now + timedelta(days=5), estimate_at=now - timedelta(hours=2))
    reminder_sweep(now)
    assert kinds_of(cast.alice) == [NotificationKind.RFI_SLIPPING]


def test_owner_who_cannot_read_the_followup_is_not_told(cast) -> None:
    # bob holds no compartment: a proliferation follow-up he owns is beyond his reach, so nothing names it to him.
    make_followup(
        owner=cast.bob,
        by=cast.carol,
        due_at=timezone.now() - timedelta(hours=1),
        compartments=frozenset({"proliferation"}),
    )
    reminder_sweep()
    assert kinds_of(cast.bob) == []


def test_notify_is_idempotent_on_its_key(cast) -> None:
    first, created = notify(
        recipient=cast.carol, kind=NotificationKind.REPORT_TO_REVIEW, target=cast.submitted_report, key="k"
    )
    again, created_again = notify(
        recipient=cast.carol, kind=NotificationKind.REPORT_TO_REVIEW, target=cast.submitted_report, key="k"
    )
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert Notification.objects.count() == 1


def test_email_sent_once_and_names_nothing(cast, settings) -> None:
    for name, value in SMTP.items():
        setattr(settings, name, value)
    make_followup(owner=cast.alice, by=cast.alice, due_at=timezone.now() + timedelta(hours=2), title="Secret plan")
    first = reminder_sweep()
    second = reminder_sweep()
    assert (first.emailed, second.emailed) == (len(mail.outbox), 0)
    to_alice = [m for m in mail.outbox if m.to == ["alice@office.test"]]
    assert len(to_alice) == 1
    message = to_alice[0]
    assert "Secret plan" not in f"{message.subject} {message.body}"
    assert "/notifications/" in message.body
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_no_email_without_smtp(cast) -> None:
    make_followup(owner=cast.alice, by=cast.alice, due_at=timezone.now() + timedelta(hours=2))
    assert reminder_sweep().emailed == 0
    assert mail.outbox == []


def test_failed_send_releases_the_claim(cast, settings, monkeypatch) -> None:
    for name, value in SMTP.items():
        setattr(settings, name, value)
    make_followup(owner=cast.alice, by=cast.alice, due_at=timezone.now() + timedelta(hours=2))

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert reminder_sweep().emailed == 0
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 0
    monkeypatch.undo()
    assert reminder_sweep().emailed == Notification.objects.count()


def test_recipient_who_lost_the_compartment_gets_no_email(cast, settings) -> None:
    for name, value in SMTP.items():
        setattr(settings, name, value)
    make_followup(
        owner=cast.alice,
        by=cast.alice,
        due_at=timezone.now() + timedelta(hours=2),
        compartments=frozenset({"terrorism"}),
    )
    settings.LIAISON_SMTP_HOST = ""  # notices are created, no e-mail yet
    reminder_sweep()
    assert kinds_of(cast.alice) == [NotificationKind.DUE_SOON]
    cast.alice.compartments.remove(compartment("terrorism"))
    settings.LIAISON_SMTP_HOST = SMTP["LIAISON_SMTP_HOST"]
    reminder_sweep()
    assert [m for m in mail.outbox if m.to == ["alice@office.test"]] == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_email_is_in_the_instance_language(cast, settings, language) -> None:
    for name, value in SMTP.items():
        setattr(settings, name, value)
    settings.LANGUAGE_CODE = language
    make_followup(owner=cast.alice, by=cast.alice, due_at=timezone.now() + timedelta(hours=2))
    reminder_sweep()
    message = next(m for m in mail.outbox if m.to == ["alice@office.test"])
    expected = "Ouvrez vos notifications" if language == "fr" else "Open your notifications"
    assert expected in message.body
