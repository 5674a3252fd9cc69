"""The committee report's pages as their users meet them: the draft with live figures and charts, a clear refusal of
a bad period, four eyes at approval, the approved report and its PDF for the head of office, the download audited."""

from __future__ import annotations

from datetime import date

from django.test import Client

from liaison.accounts.models import User
from liaison.audit.models import AuditEntry
from liaison.committee.models import CommitteeReport, CommitteeStatus
from liaison.committee.services import committee_report_approve, committee_report_create
from liaison.committee.tests.conftest import SEPTEMBER, at, sample, submitted
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as


def test_the_draft_page_shows_live_figures_as_svg_charts_and_the_commentary_form(cast: Cast, client: Client) -> None:
    sample("second_factor_share", at(date(2026, 9, 10)), 70)
    report = committee_report_create(kind="month", start=SEPTEMBER, language="fr", by=cast.grace)
    login_as(client, cast.grace)
    page = client.get(f"/committee/{report.pk}/").content.decode()
    assert "read live" in page and 'name="commentary"' in page
    assert page.count("<svg") >= 3 and "chart-progress-bars" in page and "chart-sparkline" in page
    assert "70.0 %" in page
    assert " style=" not in page.split("<main", 1)[-1]  # the CSP refuses style attributes


def test_a_future_period_is_refused_with_a_message_and_nothing_created(cast: Cast, client: Client) -> None:
    login_as(client, cast.grace)
    response = client.post("/committee/new/", {"kind": "quarter", "start": "2099-01-01", "language": "en"})
    assert response.status_code == 400
    assert "has not begun" in response.content.decode()
    assert not CommitteeReport.objects.exists()


def test_inverted_dates_are_refused_with_a_message(cast: Cast, client: Client) -> None:
    login_as(client, cast.grace)
    data = {"kind": "month", "start": "2026-09-01", "end": "2026-08-01", "language": "en"}
    response = client.post("/committee/new/", data)
    assert response.status_code == 400 and "ends before it starts" in response.content.decode()


def test_odd_input_is_a_form_error_not_a_crash(cast: Cast, client: Client) -> None:
    login_as(client, cast.grace)
    response = client.post("/committee/new/", {"kind": "<x>", "start": "2026-13-45", "language": "de"})
    assert response.status_code == 400
    assert not CommitteeReport.objects.exists()


def test_the_preparer_is_not_offered_approval_and_is_refused_if_they_try(cast: Cast, client: Client) -> None:
    report = submitted(cast.grace)
    login_as(client, cast.grace)
    assert "Approve and sign" not in client.get(f"/committee/{report.pk}/").content.decode()
    response = client.post(f"/committee/{report.pk}/approve/", follow=True)
    assert "another security officer approves it" in response.content.decode()
    report.refresh_from_db()
    assert report.status == CommitteeStatus.SUBMITTED


def test_another_officer_approves_from_the_page(cast: Cast, deputy: User, client: Client) -> None:
    report = submitted(cast.grace)
    login_as(client, deputy)
    assert "Approve and sign" in client.get(f"/committee/{report.pk}/").content.decode()
    client.post(f"/committee/{report.pk}/approve/")
    report.refresh_from_db()
    assert report.status == CommitteeStatus.APPROVED and report.approved_by == deputy


def test_the_head_of_office_reads_the_approved_report_and_downloads_its_pdf_audited(
    cast: Cast, deputy: User, client: Client
) -> None:
    report = committee_report_approve(report=submitted(cast.grace), by=deputy)
    login_as(client, cast.carol)
    listing = client.get("/committee/").content.decode()
    assert f"/committee/{report.pk}/" in listing and "Prepare a report" not in listing
    page = client.get(f"/committee/{report.pk}/").content.decode()
    assert "frozen at approval" in page and "The plan is on track" in page
    response = client.get(f"/committee/{report.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(report.pdf)
    entry = AuditEntry.objects.filter(event="object.exported", target_id=str(report.pk)).get()
    assert entry.actor_alias == cast.carol.alias and report.pdf_sha256 in entry.extra


def test_drafts_are_not_listed_to_the_head_of_office(cast: Cast, client: Client) -> None:
    draft = committee_report_create(kind="month", start=SEPTEMBER, language="fr", by=cast.grace)
    login_as(client, cast.carol)
    assert str(draft.pk) not in client.get("/committee/").content.decode()
    assert client.get(f"/committee/{draft.pk}/").status_code == 404
