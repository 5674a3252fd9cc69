"""The federal partners' pages: the security office records administrations and their contacts, links a contact to
the account through which that administration reads its advisories, and is told plainly what to fix."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import translation

from liaison.advisories.models import FederalPartner, PartnerContact
from liaison.advisories.tests.builders import federal_partner, partner_account, published, security
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as


def test_an_officer_records_an_administration_and_it_is_audited(cast: Cast, client: Client) -> None:
    login_as(client, cast.grace)
    data = {"name": "Federal Public Service Mobility", "acronym": "MOB", "kind": "ministry", "notes": ""}
    response = client.post(reverse("advisories:partner_create"), data)
    partner = FederalPartner.objects.get(acronym="MOB")
    assert response["Location"] == reverse("advisories:partner_detail", args=[partner.pk])
    assert AuditEntry.objects.filter(event=AuditEvent.FEDERAL_PARTNER_SAVED, target_id=str(partner.pk)).exists()


def test_an_acronym_already_taken_is_refused_beside_the_field(cast: Cast, client: Client) -> None:
    federal_partner(cast, "INT")
    login_as(client, cast.grace)
    data = {"name": "Another interior", "acronym": "int", "kind": "ministry"}
    response = client.post(reverse("advisories:partner_create"), data)
    assert response.status_code == 400
    assert "Another federal partner already has this acronym." in response.content.decode()
    assert FederalPartner.objects.count() == 1


def test_a_contact_is_linked_to_a_federal_partner_account(cast: Cast, client: Client) -> None:
    interior = federal_partner(cast)
    account, contact = partner_account(cast, interior, "partner.interior")
    contact.user = None
    contact.save()
    login_as(client, cast.grace)
    data = {"name": contact.name, "email": "duty@interior.example", "user": account.pk}
    response = client.post(reverse("advisories:contact_edit", args=[contact.pk]), data)
    assert response.status_code == 302
    assert PartnerContact.objects.get(pk=contact.pk).user == account


def test_an_account_without_the_role_is_not_offered_as_a_contact(cast: Cast, client: Client) -> None:
    interior = federal_partner(cast)
    login_as(client, cast.grace)
    response = client.post(
        reverse("advisories:contact_create", args=[interior.pk]), {"name": "Dave", "user": cast.dave.pk}
    )
    assert response.status_code == 400 and not PartnerContact.objects.exists()


def test_the_advisory_page_reads_in_french(cast: Cast) -> None:
    advisory = published(cast, security())
    client = Client()
    client.cookies.load({"django_language": "fr"})
    login_as(client, cast.grace)
    with translation.override("fr"):
        page = client.get(reverse("advisories:detail", args=[advisory.pk])).content.decode()
    assert "Envoyer aux partenaires fédéraux" in page
    assert "Le document publié est valide au regard du schéma officiel CSAF 2.0" in page
