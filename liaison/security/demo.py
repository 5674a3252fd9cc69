"""The demo office's strengthening plan, a year into its life: the shipped sample catalogue imported, six objectives
and two dozen measures over the three lines of defence (IT operations and the head of office on the 1st line, the
security office on the 2nd, internal audit on the 3rd), monthly updates over the past twelve months leaving
measures in every state (some overdue), a few small evidence files, each measure mapped to the catalogue's controls
and linked to the live indicators. Written through the services under the demo clock; deterministic for a seed
(dates are relative to the day the demo is built)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from liaison.accounts.models import User
from liaison.home.demo import DemoClock, demo_clock
from liaison.security.models import Indicator, LineOfDefence, Measure, MeasureStatus
from liaison.security.services import (
    evidence_add,
    framework_import,
    measure_save,
    measure_update_add,
    objective_save,
)

CATALOGUE = Path(__file__).resolve().parent / "catalogues" / "liaison-cyfun-sample.yaml"
FIRST, SECOND, THIRD = LineOfDefence.FIRST, LineOfDefence.SECOND, LineOfDefence.THIRD
P, W, B, D, A = (
    MeasureStatus.PLANNED,
    MeasureStatus.IN_PROGRESS,
    MeasureStatus.BLOCKED,
    MeasureStatus.DONE,
    MeasureStatus.ABANDONED,
)

OBJECTIVES = [
    (
        "OBJ-1",
        "Sign-in that resists phishing",
        "Every account behind a second factor, keys for the roles that can do harm.",
    ),
    ("OBJ-2", "Know who can see what", "Least privilege and need-to-know, confirmed by managers every year."),
    ("OBJ-3", "An audit log nobody can bend", "Complete, chained, verified and reviewed on a fixed schedule."),
    ("OBJ-4", "Spot a leak early", "Unusual reading and exports noticed within the day, by people who act on it."),
    ("OBJ-5", "Staff who know and report", "Awareness at headquarters and in posts abroad; every concern answered."),
    ("OBJ-6", "Recover and improve", "Backups that restore, incidents analysed, lessons turned into measures."),
]


@dataclass(frozen=True)
class DemoMeasure:
    reference: str
    objective: int
    title: str
    line: int
    owner: str
    due_in: int  # days from today (negative: past)
    status: str
    progress: int
    start: int  # months after the plan started
    controls: tuple[str, ...]
    indicators: tuple[str, ...] = ()


MEASURES = [
    DemoMeasure("M-01", 0, "Enrol every account in a second factor", FIRST, "admin", -120, D, 100, 0,
                ("PR.AA-03.1", "PR.AA-01.1"), ("second_factor_share",)),
    DemoMeasure("M-02", 0, "Issue security keys to privileged roles", FIRST, "admin.deputy", -20, W, 70, 2,
                ("PR.AA-03.3",), ("phishing_resistant_share",)),
    DemoMeasure("M-03", 0, "Lock accounts after repeated failures", FIRST, "admin", -200, D, 100, 0,
                ("PR.AA-03.2",), ("locked_accounts", "failed_logins")),
    DemoMeasure("M-04", 0, "Passkeys for every staff member at posts", FIRST, "admin.deputy", 150, P, 0, 11,
                ("PR.AA-03.3",), ("phishing_resistant_share",)),
    DemoMeasure("M-05", 1, "Yearly recertification of compartments", SECOND, "security.officer", -60, D, 100, 1,
                ("PR.AA-05.2",), ("reviews_overdue",)),
    DemoMeasure("M-06", 1, "Need-to-know rules for the office's desks", FIRST, "head.office", 45, W, 55, 3,
                ("PR.AA-05.1", "ID.AM-07.1")),
    DemoMeasure("M-07", 1, "Disable accounts on departure within a day", FIRST, "admin", -35, B, 40, 4,
                ("PR.AA-01.1",)),
    DemoMeasure("M-08", 1, "Inventory of information with owners", FIRST, "head.ct", 90, W, 30, 6,
                ("ID.AM-07.1", "GV.OC-01.1")),
    DemoMeasure("M-09", 2, "Chain and seal every audit entry", FIRST, "admin", -240, D, 100, 0,
                ("PR.PS-04.1", "PR.PS-04.2"), ("audit_chain_intact",)),
    DemoMeasure("M-10", 2, "Verify the audit chain every week", SECOND, "security.deputy", 30, W, 80, 2,
                ("DE.AE-02.1", "PR.PS-04.2"), ("audit_verification_age", "audit_chain_intact")),
    DemoMeasure("M-11", 2, "Independent verification of signed checkpoints", THIRD, "auditor", 60, W, 50, 5,
                ("PR.PS-04.2",), ("audit_chain_intact",)),
    DemoMeasure("M-12", 2, "Keep logs a year off the platform", FIRST, "admin.deputy", -90, A, 20, 1,
                ("PR.PS-04.1",)),
    DemoMeasure("M-13", 3, "Alert on exports above a user's usual volume", SECOND, "security.officer", -150, D, 100, 0,
                ("DE.CM-09.1", "DE.CM-03.1"), ("exports_above_usual",)),
    DemoMeasure("M-14", 3, "Watermark every export", FIRST, "admin", -300, D, 100, 0, ("DE.CM-09.1",)),
    DemoMeasure("M-15", 3, "Triage alerts within one working day", SECOND, "security.deputy", -10, W, 85, 3,
                ("DE.CM-01.1", "DE.AE-02.1"), ("exports_above_usual",)),
    DemoMeasure("M-16", 3, "Acknowledge disseminated reports in time", FIRST, "head.office", -25, W, 60, 4,
                ("RS.CO-02.1",), ("reports_unacknowledged",)),
    DemoMeasure("M-17", 4, "Awareness course for every new arrival", SECOND, "security.officer", -100, D, 100, 0,
                ("PR.AT-01.1",)),
    DemoMeasure("M-18", 4, "Pre-departure briefing for exposed posts", SECOND, "security.deputy", 75, W, 35, 5,
                ("PR.AT-02.1",)),
    DemoMeasure("M-19", 4, "A place to raise a security concern", SECOND, "security.officer", 20, W, 90, 6,
                ("RS.CO-02.1", "GV.PO-01.1")),
    DemoMeasure("M-20", 4, "Phishing exercise twice a year", SECOND, "security.deputy", -5, P, 0, 9,
                ("PR.AT-01.1",)),
    DemoMeasure("M-21", 5, "Restore test of backups every half-year", FIRST, "admin", 40, B, 50, 2,
                ("PR.DS-11.1", "RC.RP-01.1")),
    DemoMeasure("M-22", 5, "Incident response plan known to the duty team", SECOND, "security.officer", -180, D, 100,
                0, ("RS.MA-01.1", "RS.CO-03.1")),
    DemoMeasure("M-23", 5, "Audit of the plan's evidence", THIRD, "auditor", 120, W, 25, 7,
                ("GV.OV-01.1", "ID.IM-01.1")),
    DemoMeasure("M-24", 5, "Quarterly report to the management committee", SECOND, "security.officer", 10, W, 75, 1,
                ("GV.RR-02.1", "GV.RR-01.1")),
]  # fmt: skip

COMMENTS: dict[str, list[str]] = {
    W: [
        "Work continued as planned this month.",
        "Next step agreed with the teams concerned.",
        "Slower than hoped: holidays at two posts.",
        "Figures checked with the security office.",
        "Pilot extended to a second directorate.",
    ],
    B: ["Waiting for the supplier's delivery; escalated to the head of office."],
    D: ["Done; evidence attached and checked by the security office."],
    A: ["Abandoned: superseded by the archive service the ministry provides."],
}
EVIDENCE = {
    "M-01": ("enrolment-figures.txt", "Enrolment figures at completion",
             b"Second factor enrolment\nAccounts: 38\nEnrolled: 38\n"),
    "M-03": ("lockout-settings.txt", "Lockout settings in production",
             b"LIAISON_LOCKOUT_THRESHOLD=5\nLIAISON_LOCKOUT_MINUTES=15\n"),
    "M-09": ("audit-verify.txt", "Output of the verifier",
             b"liaison audit verify\nchain intact, checkpoints signed\n"),
    "M-13": ("alert-rule-note.pdf", "Note on the rule",
             b"%PDF-1.4\n% Export volume rule\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    "M-17": ("attendance.csv", "Attendance", b"month,arrivals,trained\n2026-01,4,4\n2026-02,3,3\n"),
}  # fmt: skip


def _local(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), ZoneInfo(settings.TIME_ZONE)).astimezone(UTC)


def _history(clock: DemoClock, rng: random.Random, measure: Measure, spec: DemoMeasure, begun: date, by: User) -> int:
    """Monthly updates from the measure's start to its final state; returns how many were written."""
    last_month = 11 if spec.status not in (D, A) else min(11, spec.start + 2 + rng.randint(0, 3))
    months = list(range(spec.start, last_month + 1)) if spec.status != P else []
    for step, month in enumerate(months, start=1):
        final = step == len(months)
        status = spec.status if final else W
        progress = spec.progress if final else max(5, round(spec.progress * step / len(months) / 5) * 5)
        comment = rng.choice(COMMENTS[status] if status in COMMENTS else COMMENTS[W])
        clock.at(_local(begun + timedelta(days=30 * month + rng.randint(2, 8)), rng.randint(9, 17)))
        measure_update_add(measure=measure, by=by, comment=comment, status=status, progress=progress)
    return len(months)


def load_plan_demo(*, rng: random.Random, users: list[User]) -> dict[str, int]:
    by_login = {user.username: user for user in users}
    officer = by_login["security.officer"]
    today = timezone.localdate()
    begun = today - timedelta(days=365)
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    updates = evidence = 0
    with demo_clock() as clock:
        clock.at(_local(begun - timedelta(days=7)))
        framework = framework_import(name=CATALOGUE.name, data=CATALOGUE.read_bytes(), by=officer)
        controls = {control.control_id: control for control in framework.controls.all()}
        objectives = []
        for n, (reference, title, description) in enumerate(OBJECTIVES):
            clock.at(_local(begun, 9 + n))
            objectives.append(
                objective_save(
                    reference=reference,
                    title=title,
                    description=description,
                    target_on=today + timedelta(days=180 + 30 * n),
                    by=officer,
                )
            )
        for spec in MEASURES:
            clock.at(_local(begun + timedelta(days=30 * spec.start + 1), 11))
            measure = measure_save(
                objective=objectives[spec.objective],
                reference=spec.reference,
                title=spec.title,
                line=spec.line,
                owner=by_login[spec.owner],
                due_on=today + timedelta(days=spec.due_in),
                controls=[controls[c] for c in spec.controls],
                indicators=[indicators[code] for code in spec.indicators if code in indicators],
                by=officer,
            )
            updates += _history(clock, rng, measure, spec, begun, by_login[spec.owner])
            if spec.reference in EVIDENCE:
                filename, description, data = EVIDENCE[spec.reference]
                evidence_add(
                    measure=measure, by=by_login[spec.owner], filename=filename, data=data, description=description
                )
                evidence += 1
    return {"plan_measures": len(MEASURES), "plan_updates": updates, "plan_evidence": evidence}
