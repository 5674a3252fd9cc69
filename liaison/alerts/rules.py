"""The anomaly rules and their evaluation over the audit log, from a watermark.

Each run reads the chain entries after the watermark (at most LIAISON_ALERT_BATCH rows, chain entries and the read
records they seal counted together), finds which users and windows the new rows touch, and evaluates each rule on
those windows as a whole (so a day's count includes what earlier runs already saw). A finding goes through
`raise_alert`, which keeps one alert per rule, user and window: running again, or over the same rows again, raises
nothing twice. The watermark moves in the same transaction as the alerts it led to.

Reads are taken through their seals (a read record joins the chain when an `audit.reads_sealed` entry seals it), so
one watermark, the chain's seq, covers both; the evaluation seals waiting reads first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.db.models.functions import ExtractHour, TruncDate
from django.utils import timezone

from liaison.accounts.models import RoleCode, User
from liaison.alerts.models import AlertRule, Severity, Watermark
from liaison.alerts.services import Evidence, raise_alert
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry, ReadRecord
from liaison.audit.services import seal_reads
from liaison.policy.statistics import percentile as nearest_rank

WATERMARK = "rules"
READ = AuditEvent.OBJECT_READ.value
REFUSED = AuditEvent.ACCESS_REFUSED.value
EXPORTED = AuditEvent.OBJECT_EXPORTED.value
LOGIN = AuditEvent.LOGIN_SUCCEEDED.value


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_window(day: date) -> tuple[datetime, datetime]:
    """The local calendar day as a UTC interval [start, end)."""
    zone = local_zone()
    start = datetime.combine(day, time.min, zone)
    end = datetime.combine(day + timedelta(days=1), time.min, zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_day(moment: datetime) -> date:
    return moment.astimezone(local_zone()).date()


def bucket(moment: datetime, minutes: int) -> tuple[datetime, datetime]:
    """The fixed window of `minutes` (aligned on the epoch) that holds `moment`, as [start, end)."""
    size = minutes * 60
    start = int(moment.timestamp()) // size * size
    return datetime.fromtimestamp(start, tz=UTC), datetime.fromtimestamp(start + size, tz=UTC)


def percentile(values: list[int], share: float) -> int:
    """Nearest-rank percentile of counts (0 for no values)."""
    found = nearest_rank(values, share)
    return 0 if found is None else int(found)


def usual_hours_label(hours: set[int]) -> str:
    """Hours of the day as ranges, e.g. {7, 8, 9, 22} -> "07:00-10:00, 22:00-23:00"."""
    spans: list[str] = []
    ordered = sorted(hours)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        spans.append(f"{ordered[i]:02d}:00-{(ordered[j] + 1) % 24:02d}:00")
        i = j + 1
    return ", ".join(spans) or "—"


@dataclass
class Touched:
    """What the new rows touch: the (user, window) pairs each rule must look at again."""

    read_days: set[tuple[str, date]] = field(default_factory=set)
    export_days: set[tuple[str, date]] = field(default_factory=set)
    refusal_windows: set[tuple[str, datetime]] = field(default_factory=set)
    lookup_windows: set[tuple[str, datetime]] = field(default_factory=set)
    logins: list[Any] = field(default_factory=list)

    def add_read(self, actor_id: str, event: str, at: datetime) -> None:
        if not actor_id:
            return
        if event == READ:
            self.read_days.add((actor_id, local_day(at)))
        if event == REFUSED:
            self.refusal_windows.add((actor_id, bucket(at, settings.LIAISON_ALERT_REFUSALS_MINUTES)[0]))
        if event in (READ, REFUSED):
            self.lookup_windows.add((actor_id, bucket(at, settings.LIAISON_ALERT_LOOKUPS_MINUTES)[0]))


@dataclass
class EvaluationResult:
    entries: int = 0  # chain entries read
    reads: int = 0  # read records read
    raised: int = 0  # new alerts
    updated: int = 0  # findings added to an alert already raised
    last_seq: int = 0
    caught_up: bool = True

    def as_dict(self) -> dict[str, object]:
        return {
            "entries": self.entries,
            "reads": self.reads,
            "raised": self.raised,
            "updated": self.updated,
            "last_seq": self.last_seq,
        }


class _Run:
    """One batch: the users concerned, loaded once, and the count of what was raised."""

    def __init__(self, result: EvaluationResult) -> None:
        self.result = result
        self.users: dict[str, User] = {}

    def load_users(self, ids: set[str]) -> None:
        self.users = {str(u.pk): u for u in User.objects.filter(pk__in=ids).prefetch_related("roles")}

    def raise_(self, rule: str, actor_id: str, window: tuple[datetime, datetime], **kwargs: Any) -> None:
        user = self.users.get(actor_id)
        if user is None:  # a deleted or unknown actor: nobody to name
            return
        _alert, created = raise_alert(rule=rule, user=user, window=window, **kwargs)
        if created:
            self.result.raised += 1
        else:
            self.result.updated += 1


def usual_volume(actor_id: str, day: date, *, exports: bool) -> tuple[int, int]:
    """The user's usual daily count of reads (or exports) before `day`: the 95th percentile of their previous
    LIAISON_ALERT_BASELINE_DAYS days (days without any counted as 0), and the count above which a day is unusual,
    max(floor, factor x that percentile). Returns (baseline, threshold)."""
    model: Any = AuditEntry if exports else ReadRecord
    event = EXPORTED if exports else READ
    floor = settings.LIAISON_ALERT_EXPORTS_FLOOR if exports else settings.LIAISON_ALERT_READS_FLOOR
    days = settings.LIAISON_ALERT_BASELINE_DAYS
    start = day_window(day)[0]
    before = model.objects.filter(
        actor_id=actor_id, event=event, created_at__gte=day_window(day - timedelta(days=days))[0], created_at__lt=start
    )
    daily = before.annotate(day=TruncDate("created_at", tzinfo=local_zone())).values("day").annotate(n=Count("pk"))
    per_day = {row["day"]: row["n"] for row in daily}
    history = [per_day.get(day - timedelta(days=n), 0) for n in range(1, days + 1)]
    baseline = percentile(history, 0.95)
    return baseline, max(floor, math.ceil(settings.LIAISON_ALERT_VOLUME_FACTOR * baseline))


def _volume(run: _Run, rule: str, actor_id: str, day: date, *, exports: bool) -> None:
    """Today's count of reads (or exports) against the user's own previous days: above max(floor, factor x p95)."""
    model: Any = AuditEntry if exports else ReadRecord
    event = EXPORTED if exports else READ
    floor = settings.LIAISON_ALERT_EXPORTS_FLOOR if exports else settings.LIAISON_ALERT_READS_FLOOR
    start, end = day_window(day)
    today = model.objects.filter(actor_id=actor_id, event=event, created_at__gte=start, created_at__lt=end)
    count = today.count()
    if count <= floor:
        return
    days = settings.LIAISON_ALERT_BASELINE_DAYS
    baseline, threshold = usual_volume(actor_id, day, exports=exports)
    if count <= threshold:
        return
    key = "seq" if exports else "id"
    refs = list(today.order_by(f"-{key}").values_list(key, flat=True)[: settings.LIAISON_ALERT_EVIDENCE_MAX])
    run.raise_(
        rule,
        actor_id,
        (start, end),
        evidence=[Evidence.entry(r) if exports else Evidence.read(r) for r in sorted(refs)],
        evidence_count=count,
        severity=Severity.HIGH if count > 3 * threshold else Severity.MEDIUM,
        facts={"count": count, "threshold": threshold, "baseline": baseline, "days": days},
    )


def _usual_hours(actor_id: str, day: date) -> set[int]:
    """The office's working hours, and every hour of the day in which the user read on at least
    LIAISON_ALERT_USUAL_HOUR_DAYS of their previous LIAISON_ALERT_BASELINE_DAYS days."""
    hours = set(range(settings.LIAISON_ALERT_DAY_STARTS, settings.LIAISON_ALERT_DAY_ENDS))
    days = settings.LIAISON_ALERT_BASELINE_DAYS
    start = day_window(day - timedelta(days=days))[0]
    zone = local_zone()
    until = day_window(day)[0]
    seen = (
        ReadRecord.objects.filter(actor_id=actor_id, event=READ, created_at__gte=start, created_at__lt=until)
        .annotate(hour=ExtractHour("created_at", tzinfo=zone), day=TruncDate("created_at", tzinfo=zone))
        .values("hour")
        .annotate(days=Count("day", distinct=True))
    )
    hours |= {row["hour"] for row in seen if row["days"] >= settings.LIAISON_ALERT_USUAL_HOUR_DAYS}
    return hours


def _off_hours(run: _Run, actor_id: str, day: date) -> None:
    start, end = day_window(day)
    rows = list(
        ReadRecord.objects.filter(actor_id=actor_id, event=READ, created_at__gte=start, created_at__lt=end)
        .order_by("id")
        .values_list("id", "created_at")
    )
    if len(rows) < settings.LIAISON_ALERT_OFF_HOURS_READS:
        return
    usual = _usual_hours(actor_id, day)
    zone = local_zone()
    off = [(pk, at) for pk, at in rows if at.astimezone(zone).hour not in usual]
    threshold = settings.LIAISON_ALERT_OFF_HOURS_READS
    if len(off) < threshold:
        return
    run.raise_(
        AlertRule.OFF_HOURS,
        actor_id,
        (start, end),
        evidence=[Evidence.read(pk) for pk, _at in off[-settings.LIAISON_ALERT_EVIDENCE_MAX :]],
        evidence_count=len(off),
        severity=Severity.HIGH,
        facts={"count": len(off), "threshold": threshold, "hours": usual_hours_label(usual)},
    )


def _rows_by_window(
    actor_id: str, events: tuple[str, ...], starts: list[datetime], minutes: int
) -> dict[datetime, list[Any]]:
    """The user's read records of `events` in the windows of `minutes` starting at `starts`, by window start: one
    query over the span of those windows (the batch's), whatever their number."""
    low, high = min(starts), bucket(max(starts), minutes)[1]
    rows = (
        ReadRecord.objects.filter(actor_id=actor_id, event__in=events, created_at__gte=low, created_at__lt=high)
        .order_by("id")
        .values_list("id", "created_at", "target_type", "target_id")
    )
    wanted = set(starts)
    grouped: dict[datetime, list[Any]] = {start: [] for start in starts}
    for row in rows.iterator(chunk_size=2000):
        start = bucket(row[1], minutes)[0]
        if start in wanted:
            grouped[start].append(row)
    return grouped


def _refusals(run: _Run, actor_id: str, starts: list[datetime]) -> None:
    minutes = settings.LIAISON_ALERT_REFUSALS_MINUTES
    threshold = settings.LIAISON_ALERT_REFUSALS
    for start, rows in _rows_by_window(actor_id, (REFUSED,), starts, minutes).items():
        if len(rows) < threshold:
            continue
        run.raise_(
            AlertRule.REFUSALS,
            actor_id,
            bucket(start, minutes),
            evidence=[Evidence.read(row[0]) for row in rows[-settings.LIAISON_ALERT_EVIDENCE_MAX :]],
            evidence_count=len(rows),
            severity=Severity.HIGH if len(rows) >= 3 * threshold else Severity.MEDIUM,
            facts={"count": len(rows), "threshold": threshold, "minutes": minutes},
        )


def _lookups(run: _Run, actor_id: str, starts: list[datetime]) -> None:
    """Distinct objects read or refused in a window: one record per object (its first) is the evidence."""
    minutes = settings.LIAISON_ALERT_LOOKUPS_MINUTES
    threshold = settings.LIAISON_ALERT_LOOKUPS
    for start, rows in _rows_by_window(actor_id, (READ, REFUSED), starts, minutes).items():
        firsts: dict[tuple[str, str], int] = {}
        for pk, _at, target_type, target_id in rows:
            if target_id:
                firsts.setdefault((target_type, target_id), pk)
        if len(firsts) < threshold:
            continue
        refs = sorted(firsts.values())
        run.raise_(
            AlertRule.LOOKUPS,
            actor_id,
            bucket(start, minutes),
            evidence=[Evidence.read(pk) for pk in refs[-settings.LIAISON_ALERT_EVIDENCE_MAX :]],
            evidence_count=len(refs),
            severity=Severity.HIGH,
            facts={"count": len(refs), "threshold": threshold, "minutes": minutes},
        )


def _by_actor(pairs: set[tuple[str, datetime]]) -> dict[str, list[datetime]]:
    grouped: dict[str, list[datetime]] = {}
    for actor_id, start in sorted(pairs):
        grouped.setdefault(actor_id, []).append(start)
    return grouped


def _admin_login(run: _Run, login: dict[str, Any]) -> None:
    """A login of an administrator from a device (user agent) or an address absent from their logins of the
    previous LIAISON_ALERT_DEVICE_MEMORY_DAYS days. Without earlier logins recording one there is nothing to
    compare with, and nothing is raised (the first login of an instance is not an anomaly)."""
    user = run.users.get(login["actor_id"])
    if user is None or not any(role.code == RoleCode.ADMINISTRATOR for role in user.roles.all()):
        return
    days = settings.LIAISON_ALERT_DEVICE_MEMORY_DAYS
    at: datetime = login["created_at"]
    earlier = list(
        AuditEntry.objects.filter(
            actor_id=login["actor_id"], event=LOGIN, created_at__gte=at - timedelta(days=days), seq__lt=login["seq"]
        ).values_list("ip", "extra")
    )
    agents = {AuditEntry(extra=extra).details.get("user_agent", "") for _ip, extra in earlier} - {""}
    addresses = {ip for ip, _extra in earlier} - {""}
    agent = AuditEntry(extra=login["extra"]).details.get("user_agent", "")
    window = day_window(local_day(at))
    evidence = [Evidence.entry(login["seq"])]
    if agent and agents and agent not in agents:
        facts = {"value": agent, "days": days}
        run.raise_(AlertRule.ADMIN_NEW_DEVICE, login["actor_id"], window, evidence=evidence, facts=facts)
    if login["ip"] and addresses and login["ip"] not in addresses:
        facts = {"value": login["ip"], "days": days}
        rule, high = AlertRule.ADMIN_NEW_ADDRESS, Severity.HIGH
        run.raise_(rule, login["actor_id"], window, evidence=evidence, severity=high, facts=facts)


def _batch_end(last_seq: int, head: int, budget: int) -> int:
    """The last seq of this batch: at most `budget` chain entries and read records together, and at least one
    entry whatever the size of its seal (a batch always moves on)."""
    upto = min(head, last_seq + budget)
    seals = AuditEntry.objects.filter(seq__gt=last_seq, seq__lte=upto, event=AuditEvent.AUDIT_READS_SEALED).values_list(
        "seq", "extra"
    )
    used = 0
    for seq, extra in seals.order_by("seq"):
        used += int(AuditEntry(extra=extra).details.get("count", 0))
        if used + (seq - last_seq) > budget:
            return seq - 1 if seq - 1 > last_seq else seq
    return upto


def _evaluate_batch(budget: int) -> EvaluationResult:
    result = EvaluationResult()
    with transaction.atomic():
        mark, _created = Watermark.objects.select_for_update().get_or_create(name=WATERMARK)
        head = AuditEntry.objects.aggregate(head=Max("seq"))["head"] or 0
        result.last_seq = mark.last_seq
        if head <= mark.last_seq:
            return result
        upto = _batch_end(mark.last_seq, head, budget)
        touched = Touched()
        entries = list(
            AuditEntry.objects.filter(seq__gt=mark.last_seq, seq__lte=upto, event__in=(LOGIN, EXPORTED)).values(
                "seq", "actor_id", "event", "created_at", "ip", "extra"
            )
        )
        for entry in entries:
            if not entry["actor_id"]:
                continue
            if entry["event"] == EXPORTED:
                touched.export_days.add((entry["actor_id"], local_day(entry["created_at"])))
            else:
                touched.logins.append(entry)
        reads = ReadRecord.objects.filter(seal_seq__gt=mark.last_seq, seal_seq__lte=upto)
        for actor_id, event, at in reads.values_list("actor_id", "event", "created_at").iterator(chunk_size=2000):
            touched.add_read(actor_id, event, at)
            result.reads += 1
        result.entries = upto - mark.last_seq
        run = _Run(result)
        actors = {a for a, _ in touched.read_days | touched.export_days | touched.refusal_windows}
        actors |= {a for a, _ in touched.lookup_windows} | {login["actor_id"] for login in touched.logins}
        run.load_users(actors)
        for actor_id, day in sorted(touched.read_days):
            _volume(run, AlertRule.READ_VOLUME, actor_id, day, exports=False)
            _off_hours(run, actor_id, day)
        for actor_id, day in sorted(touched.export_days):
            _volume(run, AlertRule.EXPORT_VOLUME, actor_id, day, exports=True)
        for actor_id, starts in _by_actor(touched.refusal_windows).items():
            _refusals(run, actor_id, starts)
        for actor_id, starts in _by_actor(touched.lookup_windows).items():
            _lookups(run, actor_id, starts)
        for login in touched.logins:
            _admin_login(run, login)
        mark.last_seq = upto
        mark.evaluated_at = timezone.now()
        mark.save(update_fields=["last_seq", "evaluated_at"])
        result.last_seq = upto
        result.caught_up = upto >= head
    return result


def alerts_evaluate(*, batches: int | None = None, budget: int | None = None) -> EvaluationResult:
    """Seal the waiting reads, then evaluate the rules over what the watermark has not seen, batch after batch,
    until caught up (or after `batches` batches). Returns the totals."""
    seal_reads()
    budget = budget or settings.LIAISON_ALERT_BATCH
    total = EvaluationResult()
    done = 0
    while batches is None or done < batches:
        result = _evaluate_batch(budget)
        done += 1
        total.entries += result.entries
        total.reads += result.reads
        total.raised += result.raised
        total.updated += result.updated
        total.last_seq = result.last_seq
        total.caught_up = result.caught_up
        if result.caught_up or result.entries == 0:
            break
    return total
