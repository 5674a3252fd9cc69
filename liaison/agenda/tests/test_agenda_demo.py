"""The demo officer's coming week is dense, with evening receptions, one of them running past midnight."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.accounts.models import User
from liaison.agenda.demo import HOME
from liaison.agenda.selectors import agenda_entries, lay_out


@pytest.mark.django_db
def test_the_demo_officer_has_a_dense_week_with_evening_receptions() -> None:
    from liaison.demo.office import load_demo

    load_demo(seed=2026)
    officer = User.objects.get(username="officer.europe")
    today = timezone.localtime(timezone.now(), HOME).date()
    start = timezone.now().astimezone(HOME).replace(hour=0, minute=0, second=0, microsecond=0)
    entries = agenda_entries(user=officer, start=start, end=start + timedelta(days=8), zone=HOME)
    days = lay_out(entries, today, 8, HOME)
    assert len(entries) >= 14
    assert sum(1 for day in days[:2] for _segment in day.segments) >= 3  # today and tomorrow are busy
    evenings = [s for day in days for s in day.segments if s.entry.is_reception and s.is_evening]
    assert len(evenings) >= 3
    assert any(s.continues for s in evenings)  # the late reception runs past midnight
