"""The advisory workflow through its pages and services: four eyes before publication, frozen once published, sent
to federal partners and acknowledged by them or on their behalf, every step audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from liaison.advisories.models import Advisory, AdvisoryDistribution, AdvisoryStatus
from liaison.advisories.services import (
    advisory_approve,
    advisory_create,
    advisory_send,
    advisory_submit,
    advisory_update,
    contact_save,
    distribution_acknowledge,
)
from liaison.advisories.tests.builders import (
    approved,
    federal_partner,
    informational,
    partner_account,
    published,
    second_officer,
    security,
)
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.core.exceptions import Conflict, DomainError, InputFieldError
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as

FORM = {
    "title": "Exploited flaw in a mail gateway",
    "category": "security",
    "tlp": "AMBER",
    "lang": "en",
    "summary": "Attackers exploit a flaw in the gateway's attachment scanner.",
    "references": "https://vendor.example.com/psirt/7 | Vendor bulletin",
    "products": "Example Mail | Gateway | 4.2",
    "vulnerabilities": "CVE-2026-4242 | Attachment scanner overflow | Update to 4.2.1.",
}


def test_the_author_cannot_approve_their_own_advisory(cast: Cast) -> None:
    advisory = advisory_create(by=cast.grace, content=security())
    advisory_submit(advisory=advisory, by=cast.grace)
    with pytest.raises(DomainError, match="another security officer must approve it"):
        advisory_approve(advisory=advisory, by=cast.grace)
    advisory.refresh_from_db()
    assert advisory.status == AdvisoryStatus.SUBMITTED and advisory.approver is None


def test_the_page_refuses_the_authors_approval_with_the_four_eyes_message(cast: Cast, client: Client) -> None:
    advisory = advisory_create(by=cast.grace, content=security())
    advisory_submit(advisory=advisory, by=cast.grace)
    login_as(client, cast.grace)
    response = client.post(reverse("advisories:approve", args=[advisory.pk]), follow=True)
    assert "another security officer must approve it" in response.content.decode()
    assert Advisory.objects.get(pk=advisory.pk).status == AdvisoryStatus.SUBMITTED


def test_a_second_security_officer_approves_then_the_advisory_is_published_from_its_page(
    cast: Cast, client: Client
) -> None:
    advisory = advisory_create(by=cast.grace, content=security())
    advisory_submit(advisory=advisory, by=cast.grace)
    login_as(client, second_officer(cast))
    client.post(reverse("advisories:approve", args=[advisory.pk]))
    response = client.post(reverse("advisories:publish", args=[advisory.pk]), follow=True)
    advisory.refresh_from_db()
    assert advisory.status == AdvisoryStatus.PUBLISHED and advisory.approver == second_officer(cast)
    assert len(advisory.sha256) == 64 and len(advisory.sha512) == 128
    assert advisory.signature.startswith("-----BEGIN PGP SIGNATURE-----")
    assert "validates against the official CSAF 2.0 schema" in response.content.decode()
    events = set(AuditEntry.objects.filter(target_id=str(advisory.pk)).values_list("event", flat=True))
    assert {AuditEvent.ADVISORY_CREATED, AuditEvent.ADVISORY_APPROVED, AuditEvent.ADVISORY_PUBLISHED} <= events


def test_an_officer_drafts_an_advisory_from_the_form(cast: Cast, client: Client) -> None:
    login_as(client, cast.grace)
    response = client.post(reverse("advisories:create"), FORM)
    advisory = Advisory.objects.get()
    assert response.status_code == 302 and advisory.tracking_id.startswith("LIAISON-SA-")
    assert advisory.products == [{"vendor": "Example Mail", "product": "Gateway", "version": "4.2"}]
    assert advisory.vulnerabilities[0]["cve"] == "CVE-2026-4242"
    page = client.get(reverse("advisories:detail", args=[advisory.pk])).content.decode()
    assert "Preview: the document as it would be published now validates" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("products", "Example Mail | Gateway", "Line 1: write vendor | product | version."),
        ("vulnerabilities", "CVE-26 | Overflow | Update.", "CVE-26 is not a CVE id: write CVE-YYYY-NNNN."),
        ("products", "", "A security advisory needs at least one affected product."),
        ("references", "not an address | x", "Line 1: not an address is not a web address."),
    ],
)
def test_bad_input_is_refused_with_what_to_write_and_nothing_saved(
    cast: Cast, client: Client, field: str, value: str, message: str
) -> None:
    login_as(client, cast.grace)
    response = client.post(reverse("advisories:create"), {**FORM, field: value})
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Advisory.objects.exists()


def test_tracking_ids_are_numbered_within_the_year(cast: Cast) -> None:
    first = advisory_create(by=cast.grace, content=informational())
    second = advisory_create(by=cast.grace, content=informational())
    assert int(second.tracking_id[-4:]) == int(first.tracking_id[-4:]) + 1


def test_a_published_advisory_is_frozen(cast: Cast) -> None:
    advisory = published(cast, informational())
    with pytest.raises(Conflict):
        advisory_update(advisory=advisory, by=cast.grace, content=informational(title="Changed"))
    with pytest.raises(Conflict):
        advisory_submit(advisory=advisory, by=cast.grace)


def test_only_a_published_advisory_is_sent(cast: Cast) -> None:
    with pytest.raises(Conflict):
        advisory_send(advisory=approved(cast, informational()), partners=[federal_partner(cast)], by=cast.grace)


def test_sending_records_one_distribution_per_administration_and_never_twice(cast: Cast, client: Client) -> None:
    interior, finance = federal_partner(cast), federal_partner(cast, "FIN", "Federal Public Service Finance")
    advisory = published(cast, security())
    login_as(client, cast.grace)
    client.post(reverse("advisories:send", args=[advisory.pk]), {"partners": [interior.pk, finance.pk]})
    client.post(reverse("advisories:send", args=[advisory.pk]), {"partners": [interior.pk]})
    assert AdvisoryDistribution.objects.filter(advisory=advisory).count() == 2
    assert AuditEntry.objects.filter(event=AuditEvent.ADVISORY_SENT, target_id=str(advisory.pk)).count() == 2


def test_an_officer_records_an_acknowledgement_on_behalf_of_a_contact(cast: Cast, client: Client) -> None:
    interior = federal_partner(cast)
    contact = contact_save(by=cast.grace, partner=interior, name="Duty officer")
    distribution = advisory_send(advisory=published(cast, security()), partners=[interior], by=cast.grace)[0]
    login_as(client, cast.grace)
    url = reverse("advisories:acknowledge", args=[distribution.pk])
    client.post(url, {f"{distribution.pk}-contact": contact.pk})
    distribution.refresh_from_db()
    assert distribution.acknowledged_for == contact and distribution.acknowledged_by == cast.grace


def test_an_acknowledgement_on_behalf_of_another_administrations_contact_is_refused(cast: Cast) -> None:
    interior, finance = federal_partner(cast), federal_partner(cast, "FIN", "Federal Public Service Finance")
    stranger = contact_save(by=cast.grace, partner=finance, name="Finance duty officer")
    distribution = advisory_send(advisory=published(cast, security()), partners=[interior], by=cast.grace)[0]
    with pytest.raises(InputFieldError, match="Choose the contact of this administration"):
        distribution_acknowledge(distribution=distribution, by=cast.grace, contact=stranger)


def test_a_contact_account_must_hold_the_federal_partner_role(cast: Cast) -> None:
    with pytest.raises(InputFieldError, match="federal partner contact role"):
        contact_save(by=cast.grace, partner=federal_partner(cast), name="Dave", user=cast.dave)


def test_the_auditor_reads_advisories_without_any_action(cast: Cast, client: Client) -> None:
    advisory = published(cast, security())
    login_as(client, cast.erin)
    page = client.get(reverse("advisories:detail", args=[advisory.pk])).content.decode()
    assert advisory.tracking_id in page
    assert reverse("advisories:send", args=[advisory.pk]) not in page


def test_a_partner_account_sees_its_administrations_advisories_and_acknowledges_them(
    cast: Cast, client: Client
) -> None:
    interior, finance = federal_partner(cast), federal_partner(cast, "FIN", "Federal Public Service Finance")
    account, contact = partner_account(cast, interior, "partner.interior")
    ours = published(cast, security(title="Gateway flaw for the interior"), to=[interior])
    published(cast, security(title="Gateway flaw for finance only"), to=[finance])
    login_as(client, account)
    page = client.get(reverse("advisories:mine")).content.decode()
    assert "Gateway flaw for the interior" in page and "Gateway flaw for finance only" not in page
    distribution = ours.distributions.get()
    client.post(reverse("advisories:acknowledge", args=[distribution.pk]))
    distribution.refresh_from_db()
    assert distribution.acknowledged_by == account and distribution.acknowledged_for == contact


def test_a_partner_account_cannot_acknowledge_for_another_administration(cast: Cast, client: Client) -> None:
    interior, finance = federal_partner(cast), federal_partner(cast, "FIN", "Federal Public Service Finance")
    account, _contact = partner_account(cast, interior, "partner.interior")
    theirs = published(cast, security(), to=[finance]).distributions.get()
    login_as(client, account)
    assert client.post(reverse("advisories:acknowledge", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.acknowledged_at is None


@pytest.mark.parametrize(
    "name",
    [
        "home:markings",
        "partners:list",
        "exchanges:list",
        "reports:list",
        "advisories:list",
        "notifications:list",
        "api:tokens",
        "accounts:user_list",
    ],
)
def test_everything_else_in_the_product_is_404_for_a_partner_account(cast: Cast, client: Client, name: str) -> None:
    account, _contact = partner_account(cast, federal_partner(cast), "partner.interior")
    login_as(client, account)
    assert client.get(reverse(name)).status_code == 404


def test_a_partner_accounts_home_is_its_advisories(cast: Cast, client: Client) -> None:
    account, _contact = partner_account(cast, federal_partner(cast), "partner.interior")
    login_as(client, account)
    response = client.get(reverse("home:home"))
    assert response.status_code == 302 and response["Location"] == reverse("advisories:mine")


def test_a_number_drawn_twice_is_drawn_again(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    first = advisory_create(by=cast.grace, content=informational())
    drawn = iter([first.tracking_id, first.tracking_id[:-4] + "0002"])
    monkeypatch.setattr("liaison.advisories.services._next_tracking_id", lambda year: next(drawn))
    second = advisory_create(by=cast.grace, content=informational())
    assert second.tracking_id.endswith("0002") and Advisory.objects.count() == 2
