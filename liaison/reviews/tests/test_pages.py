"""Access reviews through their pages: a revocation is seen at the person's very next request, the manager's forms,
the explicit "confirm the rest", opening and closing a campaign, and the signed result shown to the auditor."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from liaison.accounts.models import User
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.reviews.models import EntitlementKind, ItemDecision, ReviewCampaign, ReviewItem
from liaison.reviews.services import campaign_close
from liaison.reviews.tests.conftest import item_of, terrorism_item
from liaison.testing.cast import Cast, level
from liaison.testing.matrix import login_as


def test_a_revoked_compartment_is_gone_at_the_persons_next_request(cast: Cast, campaign: ReviewCampaign) -> None:
    item = terrorism_item(cast)
    alice = Client()
    alice.cookies.load({"django_language": "en"})
    login_as(alice, cast.alice)  # her session is open before the decision and stays open
    item_page = f"/exchanges/items/{item.pk}/"
    assert alice.get(item_page).status_code == 200
    assert "Terrorism meeting" in alice.get("/exchanges/").content.decode()
    assert "Secret partner" in alice.get("/partners/").content.decode()

    carol = Client()
    login_as(carol, cast.carol)
    decided = item_of(campaign, cast.alice, EntitlementKind.COMPARTMENT, "terrorism")
    response = carol.post(f"/reviews/items/{decided.pk}/decide/", {"decision": "revoke", "reason": "Left the CT desk"})
    assert response.status_code == 302

    assert alice.get(item_page).status_code == 404
    assert alice.get(f"/exchanges/{item.exchange_id}/").status_code == 404
    assert "Terrorism meeting" not in alice.get("/exchanges/").content.decode()
    assert "Secret partner" not in alice.get("/partners/").content.decode()
    assert alice.get(f"/exchanges/items/{cast.item.pk}/").status_code == 200  # the rest is untouched


def test_a_lowered_clearance_is_seen_at_the_next_request(cast: Cast, campaign: ReviewCampaign) -> None:
    alice = Client()
    login_as(alice, cast.alice)
    partner_page = f"/partners/{cast.secret_partner.pk}/"
    assert alice.get(partner_page).status_code == 200
    carol = Client()
    login_as(carol, cast.carol)
    decided = item_of(campaign, cast.alice, EntitlementKind.CLEARANCE)
    carol.post(
        f"/reviews/items/{decided.pk}/decide/",
        {"decision": "revoke", "reason": "DR work only", "lowered_to": level("dr").pk},
    )
    assert User.objects.get(pk=cast.alice.pk).clearance == level("dr")
    assert alice.get(partner_page).status_code == 404


def test_the_managers_page_lists_their_people_and_never_themselves(
    cast: Cast, campaign: ReviewCampaign, client: Client
) -> None:
    login_as(client, cast.carol)
    response = client.get(f"/reviews/mine/{campaign.pk}/")
    html = response.content.decode()
    assert "ALICE" in html and "BOB" in html and "HEIDI" in html
    assert ReviewItem.objects.filter(campaign=campaign, person=cast.carol).count() > 0
    people = {item.person_id for group in response.context["groups"] for item in group["items"]}
    assert people == {cast.alice.pk, cast.bob.pk, cast.heidi.pk, cast.lou.pk}


def test_revoking_without_a_reason_is_refused_with_what_to_do(
    cast: Cast, campaign: ReviewCampaign, client: Client
) -> None:
    login_as(client, cast.carol)
    item = item_of(campaign, cast.bob, EntitlementKind.CLEARANCE)
    response = client.post(f"/reviews/items/{item.pk}/decide/", {"decision": "revoke", "reason": ""}, follow=True)
    assert "a revocation needs a reason" in response.content.decode()
    assert ReviewItem.objects.get(pk=item.pk).is_pending
    assert User.objects.get(pk=cast.bob.pk).clearance == level("dr")


def test_confirm_the_rest_needs_the_tick(cast: Cast, campaign: ReviewCampaign, client: Client) -> None:
    login_as(client, cast.carol)
    url = f"/reviews/mine/{campaign.pk}/"
    pending = [str(pk) for pk in client.get(url).context["groups"][0]["pending"]]
    assert len(pending) == ReviewItem.objects.filter(campaign=campaign, reviewer_service__code="bci").count()
    response = client.post(f"{url}confirm-rest/", {"items": pending}, follow=True)
    assert "Tick the box" in response.content.decode()
    assert ReviewItem.objects.filter(pk__in=pending, decision=ItemDecision.PENDING).count() == len(pending)
    response = client.post(f"{url}confirm-rest/", {"items": pending, "checked": "on"}, follow=True)
    assert f"{len(pending)} items confirmed." in response.content.decode()
    assert ReviewItem.objects.filter(pk__in=pending, decision=ItemDecision.CONFIRMED).count() == len(pending)
    assert AuditEntry.objects.filter(event=AuditEvent.REVIEW_CONFIRMED).count() == len(pending)


def test_opening_a_campaign_from_its_page(cast: Cast, client: Client) -> None:
    login_as(client, cast.grace)
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post("/reviews/campaigns/new/", {"name": "Spring review", "due_on": due})
    campaign = ReviewCampaign.objects.get(name="Spring review")
    assert response.status_code == 302 and response["Location"] == f"/reviews/campaigns/{campaign.pk}/"
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post("/reviews/campaigns/new/", {"name": "Late review", "due_on": past})
    assert response.status_code == 400 and "The due date has passed" in response.content.decode()
    assert not ReviewCampaign.objects.filter(name="Late review").exists()


def test_closing_shows_the_signed_result_to_the_auditor(
    cast: Cast, campaign: ReviewCampaign, client: Client, settings
) -> None:
    settings.LIAISON_REVIEW_UNANSWERED = "flag"  # revoking the unanswered would take the auditor's role too
    login_as(client, cast.grace)
    page = f"/reviews/campaigns/{campaign.pk}/"
    assert "Close and sign" in client.get(page).content.decode()
    assert client.post(f"{page}close/", {}).status_code == 302
    assert ReviewCampaign.objects.get(pk=campaign.pk).is_open  # the tick is required
    client.post(f"{page}close/", {"confirm": "on"})
    campaign.refresh_from_db()
    assert not campaign.is_open
    auditor = Client()
    auditor.cookies.load({"django_language": "en"})
    login_as(auditor, cast.erin)
    html = auditor.get(page).content.decode()
    assert "Signature valid" in html and f"#{campaign.result_seq}" in html
    assert "Close and sign" not in html
    entry = AuditEntry.objects.get(event=AuditEvent.REVIEW_CAMPAIGN_CLOSED)
    assert entry.details["sha256"] in html


def test_a_tampered_result_is_shown_broken(cast: Cast, campaign: ReviewCampaign, client: Client, settings) -> None:
    settings.LIAISON_REVIEW_UNANSWERED = "flag"
    campaign = campaign_close(campaign=campaign, by=cast.grace)
    ReviewItem.objects.filter(campaign=campaign, person=cast.alice).update(decision=ItemDecision.CONFIRMED)
    login_as(client, cast.erin)
    html = client.get(f"/reviews/campaigns/{campaign.pk}/").content.decode()
    assert "The signed result does not verify" in html
    assert "The decisions stored no longer match the signed result." in html
