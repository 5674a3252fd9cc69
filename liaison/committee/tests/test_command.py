"""`liaison committee`: reports listed, a period's figures printed as JSON, a bad period refused with what to give."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from liaison.committee.services import committee_report_create
from liaison.committee.tests.conftest import SEPTEMBER, at, sample
from liaison.testing.cast import Cast


def test_list_prints_each_report(cast: Cast, capsys) -> None:
    report = committee_report_create(kind="month", start=SEPTEMBER, language="fr", by=cast.grace)
    call_command("committee", "list")
    out = capsys.readouterr().out
    assert str(report.pk) in out and "draft" in out and "GRACE" in out


def test_figures_prints_the_periods_figures_as_json(cast: Cast, capsys) -> None:
    sample("second_factor_share", at(date(2026, 9, 10)), 70)
    call_command("committee", "figures", "--kind", "month", "--start", "2026-09-01")
    document = json.loads(capsys.readouterr().out)
    assert document["end"] == "2026-09-30"
    assert next(i for i in document["indicators"] if i["code"] == "second_factor_share")["value"] == 70


@pytest.mark.parametrize(("start", "message"), [("2026-09-15", "first day"), ("next week", "not a date")])
def test_a_bad_period_is_refused_with_what_to_give(db, start: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("committee", "figures", "--start", start)
