"""The demo office is alive: exchanges, items and reports in every workflow state, all made through the services,
the same for the same seed. One load serves every check (a load takes seconds)."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import RoleCode, User
from liaison.audit.checkpoints import verify_latest
from liaison.audit.verify import verify_chain
from liaison.demo.office import load_demo
from liaison.exchanges.models import Exchange, InformationItem
from liaison.keys.store import get_signer, verify_ed25519
from liaison.partners.models import Agreement, Contact, Partner
from liaison.partners.selectors import partner_list
from liaison.reports.models import Report, ReportRecipient, ReportStatus, RoutingRule
from liaison.reports.selectors import report_list
from liaison.reviews.models import CampaignStatus, ItemDecision, ReviewCampaign, ReviewItem
from liaison.reviews.result import result_verify
from liaison.reviews.selectors import my_items


class _Rollback(Exception):
    pass


def _snapshot() -> dict[str, list[Any]]:
    """What must not change between two loads with the same seed (times do: they follow today)."""
    return {
        "exchanges": sorted(
            Exchange.objects.values_list("title", "kind", "place", "time_zone", "created_by__username")
        ),
        "items": sorted(InformationItem.objects.values_list("title", "text", "direction", "version", "tlp")),
        "reports": sorted(Report.objects.values_list("title", "status", "created_by__username")),
        "acknowledged": sorted(
            ReportRecipient.objects.filter(acknowledged_at__isnull=False).values_list(
                "report__title", "service__code", "acknowledged_by__username"
            )
        ),
        "agreements": sorted(Agreement.objects.values_list("title", "onward_dissemination")),
        "contacts": sorted(Contact.objects.values_list("partner__name", "name", "position")),
        "partners": sorted(Partner.objects.values_list("name", "status", "trust_level", "classification")),
        "users": sorted(User.objects.values_list("username", "alias", "civil_last_name")),
        "reviews": sorted(
            ReviewItem.objects.values_list(
                "campaign__name", "person__username", "kind", "compartment__code", "role__code", "decision"
            ),
            key=str,
        ),
    }


def _check_access_reviews() -> None:
    """A closed campaign with a revocation and a valid signed result; an open one with items for head.office."""
    closed = ReviewCampaign.objects.get(status=CampaignStatus.CLOSED)
    assert closed.items.filter(decision=ItemDecision.REVOKED, person__username="analyst.ce").count() == 1
    assert not User.objects.get(username="analyst.ce").compartments.filter(code="interference").exists()
    assert result_verify(closed).ok
    head = User.objects.get(username="head.office")
    pending = my_items(user=head).filter(decision=ItemDecision.PENDING)
    assert pending.count() > 20 and not pending.filter(person=head).exists()


def _check_a_believable_office(counts: dict[str, int]) -> None:
    """Enough services, people and partners to look like an office, and every role of the product held by someone."""
    assert counts["services"] >= 8 and counts["users"] >= 25 and counts["partners"] >= 30
    roles = {code for user in User.objects.all() for code in user.role_codes()}
    assert roles == set(RoleCode)


def _check_a_past_and_an_agenda(counts: dict[str, int]) -> None:
    now = timezone.now()
    assert counts["exchanges"] == Exchange.objects.count() >= 40
    assert counts["items"] == InformationItem.objects.count() > counts["exchanges"] // 2
    assert counts["reports"] == Report.objects.count() > 20
    assert Exchange.objects.filter(occurred_at__gt=now).count() >= 8
    assert Exchange.objects.filter(occurred_at__lt=now, occurred_at__gte=now - timedelta(days=121)).count() >= 40
    assert InformationItem.objects.filter(version=2).exists()
    assert InformationItem.objects.exclude(tlp="").exists()
    assert RoutingRule.objects.count() == 6
    assert Contact.objects.exists()
    assert any(agreement.is_expired for agreement in Agreement.objects.all())
    assert any(not agreement.is_expired for agreement in Agreement.objects.all())


def _check_every_report_state_occurs() -> None:
    assert set(Report.objects.values_list("status", flat=True)) == set(ReportStatus.values)


def _check_signatures() -> None:
    public_key = get_signer().public_key_pem()
    frozen = Report.objects.filter(status__in=[ReportStatus.APPROVED, ReportStatus.DISSEMINATED])
    assert frozen.exists()
    for report in frozen:
        signature = base64.b64decode(report.signature)
        assert verify_ed25519(public_key, signature, report.signed_payload.encode()), report.title


def _check_acknowledgements() -> None:
    assert ReportRecipient.objects.filter(acknowledged_at__isnull=False).exists()
    assert ReportRecipient.objects.filter(acknowledged_at__isnull=True).exists()


def _check_who_sees_what() -> None:
    officer = User.objects.get(username="officer.europe")
    analyst = User.objects.get(username="analyst.ct")
    assert report_list(user=officer).exists()
    seen = list(report_list(user=analyst).values_list("status", flat=True))
    assert seen and set(seen) == {ReportStatus.DISSEMINATED}
    # Partner files: an officer sees those of their zone; an analyst and an administrator see none.
    assert partner_list(user=officer).filter(zone__code="europe").exists()
    assert not partner_list(user=analyst).exists()
    assert not partner_list(user=User.objects.get(username="admin")).exists()


def test_demo_office_is_alive_and_deterministic(db) -> None:
    try:
        with transaction.atomic():
            load_demo(seed=2026)
            first = _snapshot()
            raise _Rollback
    except _Rollback:
        pass
    counts = load_demo(seed=2026)
    assert _snapshot() == first
    _check_a_believable_office(counts)
    _check_a_past_and_an_agenda(counts)
    _check_every_report_state_occurs()
    _check_signatures()
    _check_acknowledgements()
    _check_who_sees_what()
    _check_access_reviews()
    assert verify_chain().ok
    checkpoint = verify_latest()  # the demo ends its history with a signed checkpoint
    assert counts["checkpoints"] == 1 and checkpoint is not None and checkpoint.ok
