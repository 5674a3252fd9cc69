"""Each indicator's figure matches a recount of the database made another way: users created with and without a
factor and counted one by one, failures made and counted as they are made, dates compared by hand."""

from __future__ import annotations

from datetime import timedelta

from django.test import RequestFactory
from django.utils import timezone

from liaison.accounts.failures import auth_failure_record
from liaison.accounts.models import User
from liaison.audit.checkpoints import checkpoint_create
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.audit.services import record
from liaison.audit.tests.test_chain import triggers_disabled
from liaison.passkeys.models import SecurityKey
from liaison.reports.models import ReportRecipient
from liaison.reports.services import report_acknowledge
from liaison.reviews.models import ItemDecision, ReviewItem
from liaison.reviews.services import campaign_open
from liaison.security.indicators.compute import indicator_figure
from liaison.security.models import IndicatorCode
from liaison.testing.cast import Cast, make_user


def _key(user: User, name: str, *, revoked: bool = False) -> None:
    SecurityKey.objects.create(
        user=user,
        name=name,
        credential_id=f"cred-{user.username}-{name}",
        public_key=b"k",
        revoked_at=timezone.now() if revoked else None,
    )


def _with_factors(cast: Cast) -> None:
    """Among the cast and three newcomers: two with TOTP, one with a key, one with a revoked key only, one inactive
    with TOTP (not counted at all)."""
    now = timezone.now()
    User.objects.filter(username__in=["alice", "grace"]).update(totp_confirmed_at=now)
    _key(cast.carol, "yubikey")
    _key(cast.dave, "old", revoked=True)
    gone = make_user("gone", (), "bci", "dr")
    gone.is_active = False
    gone.totp_confirmed_at = now
    gone.save()
    make_user("newcomer1", (), "bci", "dr")
    make_user("newcomer2", (), "bci", "dr")


def _recount_share(*, keys_only: bool) -> float:
    active = [user for user in User.objects.all() if user.is_active]
    counted = 0
    for user in active:
        has_key = any(key.revoked_at is None for key in user.security_keys.all())
        if has_key or (not keys_only and user.totp_confirmed_at is not None):
            counted += 1
    return round(100 * counted / len(active), 1)


def test_second_factor_share_counts_active_accounts_with_totp_or_a_key_in_force(cast: Cast) -> None:
    _with_factors(cast)
    value, detail = indicator_figure(IndicatorCode.SECOND_FACTOR_SHARE, timezone.now())
    assert value == _recount_share(keys_only=False)
    assert detail["accounts"] == User.objects.filter(is_active=True).count()
    assert value == round(100 * detail["with_factor"] / detail["accounts"], 1)


def test_phishing_resistant_share_counts_only_keys_in_force(cast: Cast) -> None:
    _with_factors(cast)
    value, detail = indicator_figure(IndicatorCode.PHISHING_RESISTANT_SHARE, timezone.now())
    assert value == _recount_share(keys_only=True)
    assert value == round(100 * detail["with_key"] / detail["accounts"], 1)


def test_locked_accounts_counts_locks_still_running_at_the_moment(cast: Cast) -> None:
    now = timezone.now()
    User.objects.filter(username="bob").update(locked_until=now + timedelta(minutes=10))
    User.objects.filter(username="dave").update(locked_until=now + timedelta(minutes=30))
    User.objects.filter(username="erin").update(locked_until=now - timedelta(minutes=1))
    users = list(User.objects.filter(is_active=True))

    def recount(moment):
        return sum(1 for user in users if user.locked_until is not None and user.locked_until > moment)

    assert indicator_figure(IndicatorCode.LOCKED_ACCOUNTS, now)[0] == recount(now) >= 2
    later = now + timedelta(minutes=20)  # bob's lock is over, dave's runs on
    assert indicator_figure(IndicatorCode.LOCKED_ACCOUNTS, later)[0] == recount(later) >= 1


def test_failed_logins_counts_every_failure_of_the_last_24_hours(cast: Cast, clock) -> None:
    factory = RequestFactory()
    made = 0
    for address, user, times in (("10.0.0.1", cast.dave, 3), ("10.0.0.2", None, 2), ("10.0.0.3", cast.bob, 1)):
        for _ in range(times):
            request = factory.post("/accounts/login/", REMOTE_ADDR=address)
            auth_failure_record(request=request, event=AuditEvent.LOGIN_FAILED, user=user)
            made += 1
    value, detail = indicator_figure(IndicatorCode.FAILED_LOGINS, clock.now)
    assert value == made == 6
    assert detail["windows"] == 3
    assert indicator_figure(IndicatorCode.FAILED_LOGINS, clock.now + timedelta(hours=25))[0] == 0


def test_the_audit_chain_is_intact_until_an_entry_is_altered(cast: Cast) -> None:
    checkpoint_create()
    record(actor=None, event=AuditEvent.OBJECT_CHANGED, extra={"n": 1})
    value, detail = indicator_figure(IndicatorCode.AUDIT_CHAIN_INTACT, timezone.now())
    assert value == 1.0 and detail["checked_since_checkpoint"] >= 1
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None
    with triggers_disabled():
        AuditEntry.objects.filter(seq=last.seq).update(extra='{"n": 2}')
    value, detail = indicator_figure(IndicatorCode.AUDIT_CHAIN_INTACT, timezone.now())
    assert value == 0.0 and f"#{last.seq}" in detail["problem"]


def test_the_audit_chain_is_reported_broken_when_the_last_full_verification_failed(cast: Cast) -> None:
    record(actor=cast.erin, event=AuditEvent.AUDIT_VERIFIED, extra={"ok": False, "checked": 3, "first_bad_seq": 4})
    assert indicator_figure(IndicatorCode.AUDIT_CHAIN_INTACT, timezone.now())[0] == 0.0
    record(actor=cast.erin, event=AuditEvent.AUDIT_VERIFIED, extra={"ok": True, "checked": 9})
    assert indicator_figure(IndicatorCode.AUDIT_CHAIN_INTACT, timezone.now())[0] == 1.0


def test_verification_age_is_the_hours_since_the_newest_checkpoint_or_successful_verification(
    cast: Cast, clock
) -> None:
    checkpoint = checkpoint_create()
    later = checkpoint.created_at + timedelta(hours=5, minutes=30)
    value, detail = indicator_figure(IndicatorCode.AUDIT_VERIFICATION_AGE, later)
    assert value == 5.5 and detail["verified_at"] == checkpoint.created_at.isoformat()
    clock.advance(3600)
    record(actor=cast.erin, event=AuditEvent.AUDIT_VERIFIED, extra={"ok": False})
    assert indicator_figure(IndicatorCode.AUDIT_VERIFICATION_AGE, later)[0] == 5.5  # a failure verifies nothing
    clock.advance(3600)
    record(actor=cast.erin, event=AuditEvent.AUDIT_VERIFIED, extra={"ok": True})
    assert indicator_figure(IndicatorCode.AUDIT_VERIFICATION_AGE, later)[0] == 3.5


def test_a_never_verified_log_is_as_old_as_its_first_entry(cast: Cast) -> None:
    first = AuditEntry.objects.order_by("seq").first()
    assert first is not None
    value, detail = indicator_figure(IndicatorCode.AUDIT_VERIFICATION_AGE, first.created_at + timedelta(hours=30))
    assert value == 30.0 and detail["never_verified"] is True


def test_reports_unacknowledged_counts_disseminated_reports_past_a_recipients_deadline(cast: Cast) -> None:
    recipient = ReportRecipient.objects.get(report=cast.sent_report)
    before, after = recipient.due_at - timedelta(minutes=1), recipient.due_at + timedelta(hours=1)
    assert indicator_figure(IndicatorCode.REPORTS_UNACKNOWLEDGED, before)[0] == 0
    value, detail = indicator_figure(IndicatorCode.REPORTS_UNACKNOWLEDGED, after)
    overdue = {r.report_id for r in ReportRecipient.objects.all() if r.acknowledged_at is None and r.due_at < after}
    assert value == len(overdue) == 1 and detail == {"recipients_overdue": 1}
    report_acknowledge(by=cast.dave, report=cast.sent_report)
    assert indicator_figure(IndicatorCode.REPORTS_UNACKNOWLEDGED, after)[0] == 0


def _exports(user: User, count: int) -> None:
    for n in range(count):
        record(actor=user, event=AuditEvent.OBJECT_EXPORTED, extra={"n": n})


def test_exports_above_usual_counts_users_past_their_own_baseline(cast: Cast, settings) -> None:
    settings.LIAISON_ALERT_EXPORTS_FLOOR = 10
    _exports(cast.dave, 12)  # no history: the floor is the usual volume, 12 is above it
    _exports(cast.bob, 4)  # under the floor
    value, detail = indicator_figure(IndicatorCode.EXPORTS_ABOVE_USUAL, timezone.now())
    assert value == 1 and detail == {"users_exporting": 2, "exports": 16}
    assert indicator_figure(IndicatorCode.EXPORTS_ABOVE_USUAL, timezone.now() + timedelta(hours=25))[0] == 0


def test_exports_within_a_users_usual_volume_are_not_counted(cast: Cast, settings, clock) -> None:
    settings.LIAISON_ALERT_EXPORTS_FLOOR = 10
    _exports(cast.dave, 12)
    clock.advance(7 * 24 * 3600)
    # A week later dave's usual day holds 12 exports (the 95th percentile of 14 days, one of them at 12): 20 more
    # are within three times that; without that history, 20 would be above the floor.
    _exports(cast.dave, 20)
    assert indicator_figure(IndicatorCode.EXPORTS_ABOVE_USUAL, clock.now)[0] == 0
    _exports(cast.dave, 20)  # 40 in a day: above 36
    assert indicator_figure(IndicatorCode.EXPORTS_ABOVE_USUAL, clock.now)[0] == 1


def test_reviews_overdue_counts_pending_items_once_the_due_day_is_over(cast: Cast) -> None:
    due = timezone.localdate() + timedelta(days=2)
    campaign = campaign_open(name="Spring review", due_on=due, by=cast.grace)
    first = ReviewItem.objects.filter(campaign=campaign).order_by("pk").first()
    assert first is not None
    ReviewItem.objects.filter(pk=first.pk).update(decision=ItemDecision.CONFIRMED)
    pending = [item for item in ReviewItem.objects.filter(campaign=campaign) if item.decision == ItemDecision.PENDING]
    assert pending
    on_due_day = campaign.due_at - timedelta(hours=1)
    assert indicator_figure(IndicatorCode.REVIEWS_OVERDUE, on_due_day)[0] == 0
    value, detail = indicator_figure(IndicatorCode.REVIEWS_OVERDUE, campaign.due_at + timedelta(minutes=1))
    assert value == len(pending) and detail == {"campaigns": 1}
