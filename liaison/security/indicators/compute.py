"""The figure of each live indicator, computed from Liaison's own data at a given moment: one function per
`IndicatorCode`, each returning (value, detail). These are aggregates over everyone's data, computed by a job and
read by the security office and audit: the detail holds counts and dates only, never titles, partners or who."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from liaison.accounts.models import AuthFailureScope, AuthFailureWindow, User
from liaison.alerts.rules import local_day, usual_volume
from liaison.audit.checkpoints import CheckpointRefused, checkpoint_latest, verify_since_checkpoint
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.passkeys.selectors import factor_summary, phishing_resistant_share
from liaison.reports.models import ReportRecipient, ReportStatus
from liaison.reviews.models import CampaignStatus, ItemDecision, ReviewItem
from liaison.security.models import IndicatorCode

Figure = tuple[float, dict[str, Any]]
DAY = timedelta(hours=24)
# Full verifications looked back on for the last successful one (a run of failed ones longer than this is reported
# as no success in that run).
VERIFICATIONS_LOOKED_AT = 50


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def second_factor_share(now: datetime) -> Figure:
    """Share (%) of active accounts holding a second factor: a confirmed TOTP or a security key in force. Liaison
    has no service accounts, so every active account counts."""
    summary = factor_summary()
    with_factor = summary.accounts - summary.without_factor
    return _share(with_factor, summary.accounts), {"accounts": summary.accounts, "with_factor": with_factor}


def phishing_resistant_share_figure(now: datetime) -> Figure:
    """Share (%) of active accounts holding a phishing-resistant factor (a security key or passkey in force)."""
    summary = factor_summary()
    return round(100 * phishing_resistant_share(), 1), {"accounts": summary.accounts, "with_key": summary.with_key}


def locked_accounts(now: datetime) -> Figure:
    """Active accounts locked at `now` after repeated failures (unknown login names locked are in the detail)."""
    accounts = User.objects.filter(is_active=True, locked_until__gt=now).count()
    names = AuthFailureWindow.objects.filter(
        scope=AuthFailureScope.ACCOUNT, user__isnull=True, locked_until__gt=now
    ).aggregate(n=Count("key", distinct=True))["n"]
    return float(accounts), {"unknown_names_locked": names}


def failed_logins(now: datetime) -> Figure:
    """Failed authentications in the 24 hours before `now`: every failure counts once in its client address's
    window (accounts/failures.py), so the address windows started in that span hold them all."""
    windows = AuthFailureWindow.objects.filter(
        scope=AuthFailureScope.ADDRESS, started_at__gt=now - DAY, started_at__lte=now
    ).aggregate(
        failures=Sum("failures"), windows=Count("pk"), throttled=Count("pk", filter=Q(throttled_at__isnull=False))
    )
    return float(windows["failures"] or 0), {"windows": windows["windows"], "throttled_windows": windows["throttled"]}


def _last_full_verification() -> tuple[bool | None, datetime | None]:
    """The outcome of the newest full verification (`audit.verified`, from the audit page), and when the newest
    successful one ran."""
    entries = AuditEntry.objects.filter(event=AuditEvent.AUDIT_VERIFIED).order_by("-seq")
    last_ok: bool | None = None
    for index, entry in enumerate(entries[:VERIFICATIONS_LOOKED_AT]):
        is_ok = bool(entry.details.get("ok"))
        if index == 0:
            last_ok = is_ok
        if is_ok:
            return last_ok, entry.created_at
    return last_ok, None


def audit_chain_intact(now: datetime) -> Figure:
    """1 when the chain since the last signed checkpoint verifies now (the checkpoint itself was signed only over a
    chain that verified) and the last full verification, if any, found it intact; else 0."""
    detail: dict[str, Any] = {}
    last = checkpoint_latest()
    detail["checkpoint_size"] = last.tree_size if last else 0
    try:
        detail["checked_since_checkpoint"] = verify_since_checkpoint()
        is_intact = True
    except CheckpointRefused as refusal:
        detail["problem"] = refusal.message
        is_intact = False
    last_ok, _at = _last_full_verification()
    detail["last_full_verification_ok"] = last_ok
    return float(is_intact and last_ok is not False), detail


def audit_verification_age(now: datetime) -> Figure:
    """Hours since the chain was last verified successfully: a full verification on the audit page, or a signed
    checkpoint (signing verifies the entries since the previous one). Never verified: hours since the log began."""
    _last_ok, verified_at = _last_full_verification()
    checkpoint = checkpoint_latest()
    moments = [moment for moment in (verified_at, checkpoint.created_at if checkpoint else None) if moment]
    if moments:
        since, never = max(moments), False
    else:
        first = AuditEntry.objects.order_by("seq").values_list("created_at", flat=True).first()
        since, never = first or now, True
    hours = max(0.0, (now - since).total_seconds() / 3600)
    return round(hours, 1), {"verified_at": None if never else since.isoformat(), "never_verified": never}


def reports_unacknowledged(now: datetime) -> Figure:
    """Disseminated reports with at least one recipient service that has not acknowledged past its deadline."""
    overdue = ReportRecipient.objects.filter(
        report__status=ReportStatus.DISSEMINATED, acknowledged_at__isnull=True, due_at__lt=now
    ).aggregate(reports=Count("report", distinct=True), recipients=Count("pk"))
    return float(overdue["reports"]), {"recipients_overdue": overdue["recipients"]}


def exports_above_usual(now: datetime) -> Figure:
    """Users whose exports in the 24 hours before `now` exceed their usual daily volume, as the alerts' export rule
    reckons it (alerts/rules.py: the 95th percentile of their previous days, times the factor, at least the floor)."""
    per_user = (
        AuditEntry.objects.filter(event=AuditEvent.OBJECT_EXPORTED, created_at__gt=now - DAY, created_at__lte=now)
        .exclude(actor_id="")
        .values("actor_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    day = local_day(now)
    counts = {row["actor_id"]: row["n"] for row in per_user}
    above = sum(
        1
        for actor_id, count in counts.items()
        if count > settings.LIAISON_ALERT_EXPORTS_FLOOR and count > usual_volume(actor_id, day, exports=True)[1]
    )
    return float(above), {"users_exporting": len(counts), "exports": sum(counts.values())}


def reviews_overdue(now: datetime) -> Figure:
    """Access-review items still pending in open campaigns whose due date has passed (the due day ends at midnight
    in the instance's time zone)."""
    today = timezone.localtime(now, timezone.get_default_timezone()).date()
    overdue = ReviewItem.objects.filter(
        decision=ItemDecision.PENDING, campaign__status=CampaignStatus.OPEN, campaign__due_on__lt=today
    ).aggregate(items=Count("pk"), campaigns=Count("campaign", distinct=True))
    return float(overdue["items"]), {"campaigns": overdue["campaigns"]}


COMPUTE: dict[str, Callable[[datetime], Figure]] = {
    IndicatorCode.SECOND_FACTOR_SHARE: second_factor_share,
    IndicatorCode.PHISHING_RESISTANT_SHARE: phishing_resistant_share_figure,
    IndicatorCode.LOCKED_ACCOUNTS: locked_accounts,
    IndicatorCode.FAILED_LOGINS: failed_logins,
    IndicatorCode.AUDIT_CHAIN_INTACT: audit_chain_intact,
    IndicatorCode.AUDIT_VERIFICATION_AGE: audit_verification_age,
    IndicatorCode.REPORTS_UNACKNOWLEDGED: reports_unacknowledged,
    IndicatorCode.EXPORTS_ABOVE_USUAL: exports_above_usual,
    IndicatorCode.REVIEWS_OVERDUE: reviews_overdue,
}


def indicator_figure(code: str, now: datetime) -> Figure:
    """The figure of the indicator `code` at `now`."""
    return COMPUTE[code](now)
