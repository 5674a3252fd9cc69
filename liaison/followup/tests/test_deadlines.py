"""Deadline arithmetic across time zones and daylight-saving changes, and the proposed follow-ups syntax."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from liaison.core.exceptions import DomainError
from liaison.core.timeutil import moment_in_zone
from liaison.followup.deadlines import Proposed, add_local_days, default_due, due_on_day, parse_proposed

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def test_three_days_keep_the_wall_time_across_the_autumn_change_in_paris():
    # Thursday 2026-10-22 10:00 CEST (UTC+2); clocks go back on Sunday 25 October.
    start = datetime(2026, 10, 22, 8, 0, tzinfo=UTC)
    due = default_due("normal", start=start, zone=PARIS)
    assert due.astimezone(PARIS).replace(tzinfo=None) == datetime(2026, 10, 25, 10, 0)
    assert due - start == timedelta(days=3, hours=1)  # one hour longer: the night of the change had 25 hours


def test_seven_days_keep_the_wall_time_across_the_autumn_change_in_new_york():
    # Friday 2026-10-30 09:30 EDT (UTC-4); clocks go back on Sunday 1 November.
    start = datetime(2026, 10, 30, 13, 30, tzinfo=UTC)
    due = default_due("routine", start=start, zone=NEW_YORK)
    assert due.astimezone(NEW_YORK).replace(tzinfo=None) == datetime(2026, 11, 6, 9, 30)
    assert due == datetime(2026, 11, 6, 14, 30, tzinfo=UTC)


def test_urgent_is_eight_hours_of_elapsed_time_across_the_change():
    start = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)  # 25 Oct 00:00 CEST, the night of the change
    due = default_due("urgent", start=start, zone=PARIS)
    assert due == start + timedelta(hours=8)
    assert due.astimezone(PARIS).hour == 7  # wall clock shows 7 hours later: the clocks went back


@override_settings(LIAISON_FOLLOWUP_DUE_NORMAL_DAYS=5, LIAISON_FOLLOWUP_DUE_URGENT_HOURS=2)
def test_default_deadlines_follow_the_settings():
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert default_due("normal", start=start, zone=PARIS) == start + timedelta(days=5)
    assert default_due("urgent", start=start, zone=PARIS) == start + timedelta(hours=2)


def test_a_computed_deadline_in_the_spring_gap_moves_forward_by_the_gap():
    start = datetime(2026, 3, 26, 1, 30, tzinfo=UTC)  # 26 March 02:30 CET
    due = add_local_days(start, 3, PARIS)  # 29 March 02:30 does not exist in Paris
    assert due.astimezone(PARIS).replace(tzinfo=None) == datetime(2026, 3, 29, 3, 30)


def test_a_typed_time_in_the_spring_gap_is_refused_with_the_instants_around_it():
    with pytest.raises(DomainError, match="does not exist in Europe/Paris"):
        moment_in_zone(datetime(2026, 3, 29, 2, 30), "Europe/Paris")


def test_a_due_day_is_due_at_the_end_of_the_working_day_in_the_owners_zone():
    assert due_on_day(date(2026, 12, 4), PARIS) == datetime(2026, 12, 4, 17, 0, tzinfo=UTC)
    assert due_on_day(date(2026, 12, 4), NEW_YORK) == datetime(2026, 12, 4, 23, 0, tzinfo=UTC)


def test_proposed_followups_one_per_line_with_optional_bullet_and_day():
    text = "- Send the list of numbers [2026-12-04]\n\n* Call back about the visit\nCheck the IBAN [2026-02-30]\n"
    assert parse_proposed(text) == [
        Proposed("Send the list of numbers", date(2026, 12, 4)),
        Proposed("Call back about the visit", None),
        Proposed("Check the IBAN [2026-02-30]", None),
    ]
