"""The liaison officer's path end to end, through the pages: exchange, items, report, review, approval,
dissemination, acknowledgement; and the refusals along the way."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from liaison.accounts.models import User
from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry, ReadRecord
from liaison.core.exceptions import DomainError, PolicyRefusal
from liaison.exchanges.models import Exchange, InformationItem
from liaison.reports.models import Report, ReportRecipient, ReportStatus, RoutingRule
from liaison.reports.services import report_approve, report_update
from liaison.testing.cast import Cast, compartment, level, service
from liaison.testing.matrix import login_as


def markings(**extra: object) -> dict[str, object]:
    return {"classification": level("dr").pk, "handling_code": 0, **extra}


def test_an_officer_records_an_exchange_items_and_a_report_that_the_hierarchy_approves(
    cast: Cast, client: Client, tmp_path
) -> None:
    RoutingRule.objects.create(compartment=compartment("terrorism"), service=service("dct"))
    login_as(client, cast.alice)
    # Two clicks from the partner page: the form comes with the partner chosen.
    form = client.get(reverse("exchanges:create") + f"?partner={cast.open_partner.pk}")
    assert form.context["form"].initial["partners"] == [cast.open_partner]
    response = client.post(
        reverse("exchanges:create"),
        markings(
            kind="meeting",
            title="Bilateral meeting",
            occurred_at="2026-11-20T10:30",
            time_zone="Europe/Brussels",
            place="Brussels",
            partners=[cast.open_partner.pk],
            compartments=[compartment("terrorism").pk],
            share_with_my_service="on",
        ),
    )
    exchange = Exchange.objects.get(title="Bilateral meeting")
    assert response["Location"] == reverse("exchanges:detail", args=[exchange.pk])
    assert exchange.occurred_at.isoformat() == "2026-11-20T09:30:00+00:00"  # 10:30 in Brussels, stored in UTC
    for title, direction, originator in (
        ("Courier network", "received", "partner"),  # the partner's information: third-party rule applies
        ("Our assessment given back", "provided", "service"),
    ):
        client.post(
            reverse("exchanges:item_create", args=[exchange.pk]),
            markings(
                direction=direction,
                title=title,
                text=f"{title}: details.",
                originator_kind=originator,
                originator_partner=cast.open_partner.pk,
                originator_service=service("bci").pk,
                source_reliability="B",
                information_credibility="2",
                compartments=[compartment("terrorism").pk],
            ),
        )
    items = list(InformationItem.objects.filter(exchange=exchange).order_by("title"))
    assert [str(cast.open_partner.pk) in i.marking().originators for i in items] == [True, False]

    client.post(reverse("reports:create", args=[exchange.pk]))
    report = Report.objects.get(exchange=exchange)
    client.post(
        reverse("reports:edit", args=[report.pk]),
        {
            "title": "CR — bilateral meeting",
            "context": "Quarterly meeting.",
            "assessment": "Credible.",
            f"quote_{items[0].pk}": "on",
            f"extract_{items[0].pk}": "courier network",
        },
    )
    report.refresh_from_db()
    assert report.marking().compartments == {"terrorism"}  # inherited from what it quotes
    client.post(reverse("reports:submit", args=[report.pk]))

    login_as(client, cast.carol)
    client.post(reverse("reports:return", args=[report.pk]), {"comment": "Add the assessment of the source."})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    login_as(client, cast.alice)
    client.post(reverse("reports:submit", args=[report.pk]))
    login_as(client, cast.carol)
    response = client.post(reverse("reports:approve", args=[report.pk]))
    assert response["Location"] == reverse("reports:disseminate", args=[report.pk])
    page = client.get(reverse("reports:disseminate", args=[report.pk]))
    assert service("dct") in page.context["form"].initial["services"]  # proposed by the routing rule
    client.post(reverse("reports:disseminate", args=[report.pk]), {"services": [service("dct").pk]})
    report.refresh_from_db()
    assert report.status == ReportStatus.DISSEMINATED and report.signature

    login_as(client, cast.dave)
    assert report in client.get(reverse("reports:list")).context["inbox"]
    client.post(reverse("reports:acknowledge", args=[report.pk]))
    recipient = ReportRecipient.objects.get(report=report)
    assert recipient.acknowledged_by == cast.dave

    login_as(client, cast.alice)
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "DAVE" in detail  # the author sees who acknowledged
    pdf = client.get(reverse("reports:export_pdf", args=[report.pk]))
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.content)
    call_command("verify_report", str(path), stdout=io.StringIO())
    tampered = bytearray(pdf.content)
    index = tampered.index(b"/Title")
    tampered[index + 8] ^= 0x01
    path.write_bytes(bytes(tampered))
    with pytest.raises(CommandError, match="INVALID"):
        call_command("verify_report", str(path), stdout=io.StringIO())
    assert AuditEntry.objects.filter(event=AuditEvent.OBJECT_EXPORTED, target_id=str(report.pk)).exists()


def test_nobody_approves_their_own_report(cast: Cast) -> None:
    carol_report = cast.submitted_report
    carol_report.created_by = cast.carol
    carol_report.save()
    with pytest.raises(PolicyRefusal) as refusal:
        report_approve(by=cast.carol, report=carol_report)
    assert refusal.value.rule == "four_eyes"


def test_an_approved_report_cannot_be_edited(cast: Cast, client: Client) -> None:
    with pytest.raises(DomainError, match="frozen"):
        report_update(by=cast.alice, report=cast.sent_report, title="New", sections={}, quotes=[])
    login_as(client, cast.alice)
    response = client.post(reverse("reports:edit", args=[cast.sent_report.pk]), {"title": "Changed"})
    assert "frozen" in response.content.decode()
    cast.sent_report.refresh_from_db()
    assert cast.sent_report.title != "Changed"


def test_a_recipient_who_could_not_read_the_report_is_refused_with_the_rule(cast: Cast, client: Client) -> None:
    User.objects.filter(service=service("dct")).update(clearance=level("dr"))
    report = cast.sent_report
    report.classification = level("s")
    report.save()
    login_as(client, cast.carol)
    page = client.get(reverse("reports:disseminate", args=[report.pk]))
    decisions = {s.code: d for s, d, _ in page.context["decisions"]}
    assert decisions["dct"].rule == "clearance" and decisions["dct"].unblock
    response = client.post(reverse("reports:disseminate", args=[report.pk]), {"services": [service("dct").pk]})
    assert "cleared" in response.content.decode()
    assert report.recipients.count() == 1  # only the earlier dissemination


def test_bad_exchange_input_gets_clear_errors_and_saves_nothing(cast: Cast, client: Client) -> None:
    login_as(client, cast.bob)
    before = Exchange.objects.count()
    response = client.post(
        reverse("exchanges:create"),
        markings(
            kind="meeting",
            title="x",
            occurred_at="2026-13-45T99:00",
            time_zone="Mars/Olympus",
            partners=[cast.secret_partner.pk, uuid.uuid4()],
            releasable_to="BE, XX",
        ),
    )
    errors = response.context["form"].errors
    assert {"occurred_at", "time_zone", "partners", "releasable_to"} <= set(errors)
    assert Exchange.objects.count() == before


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("report.pdf", b"MZ\x90\x00 executable disguised as a PDF", "is not a .pdf file"),
        ("tool.exe", b"MZ\x90\x00", "not accepted"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_disguised_or_unwanted_attachments_are_refused(
    cast: Cast, client: Client, filename: str, data: bytes, message: str
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    login_as(client, cast.alice)
    before = cast.item.attachments.count()
    response = client.post(
        reverse("exchanges:attachment_add", args=[cast.item.pk]),
        {"file": SimpleUploadedFile(filename, data)},
        follow=True,
    )
    assert message in response.content.decode()
    assert cast.item.attachments.count() == before


def test_oversized_attachments_are_refused(cast: Cast, client: Client, settings) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.LIAISON_MAX_ATTACHMENT_BYTES = 1024
    login_as(client, cast.alice)
    response = client.post(
        reverse("exchanges:attachment_add", args=[cast.item.pk]),
        {"file": SimpleUploadedFile("big.txt", b"a" * 5000)},
        follow=True,
    )
    assert "larger than" in response.content.decode()


def test_attachments_are_encrypted_at_rest_and_read_back_only_through_the_item(cast: Cast, client: Client) -> None:
    from liaison.testing.cast import PDF_BYTES

    assert PDF_BYTES not in bytes(cast.attachment.ciphertext)
    login_as(client, cast.alice)
    response = client.get(reverse("exchanges:attachment_download", args=[cast.attachment.pk]))
    assert response.content == PDF_BYTES
    login_as(client, cast.dave)
    assert client.get(reverse("exchanges:attachment_download", args=[cast.attachment.pk])).status_code == 404
    refusal = ReadRecord.objects.filter(event=AuditEvent.ACCESS_REFUSED).latest("id")
    assert (refusal.target_type, refusal.target_id) == ("exchanges.attachment", str(cast.attachment.pk))


def test_an_item_edit_makes_a_new_version_and_cannot_lower_markings(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    item = cast.item
    data = markings(
        direction="received",
        title="Courier routes (updated)",
        text=item.text,
        originator_kind="partner",
        originator_partner=cast.open_partner.pk,
        source_reliability="A",
        information_credibility="2",
        classification=level("s").pk,
    )
    client.post(reverse("exchanges:item_edit", args=[item.pk]), data)
    item.refresh_from_db()
    assert item.version == 2 and item.classification.code == "s"
    history = list(item.versions.order_by("number").values_list("number", "changed_fields"))
    assert history[1][0] == 2 and {"title", "evaluation", "classification"} <= set(history[1][1])
    lowered = client.post(reverse("exchanges:item_edit", args=[item.pk]), data | {"classification": level("dr").pk})
    assert "can be raised, not lowered" in lowered.content.decode()
    item.refresh_from_db()
    assert item.version == 2


def test_an_altered_attachment_is_refused_with_a_message_not_a_crash(cast: Cast, client: Client) -> None:
    from liaison.exchanges.models import Attachment

    data = bytearray(bytes(cast.attachment.ciphertext))
    data[0] ^= 0xFF
    Attachment.objects.filter(pk=cast.attachment.pk).update(ciphertext=bytes(data))
    login_as(client, cast.alice)
    response = client.get(reverse("exchanges:attachment_download", args=[cast.attachment.pk]), follow=True)
    assert response.status_code == 200
    assert "failed its integrity check" in response.content.decode()


def test_an_exchange_carries_its_partners_markings_and_an_item_its_exchanges(cast: Cast) -> None:
    from liaison.policy.access import can_read
    from liaison.testing.cast import make_exchange, make_item

    exchange = make_exchange(cast.alice, cast.secret_partner)  # asked for DR; the partner file is SECRET terrorism
    assert exchange.classification.code == "s" and exchange.marking().compartments == {"terrorism"}
    assert not can_read(cast.bob, exchange)  # bob could not read the partner file, nor its exchanges
    item = make_item(cast.alice, exchange)  # asked for DR as well
    assert item.classification.code == "s" and "terrorism" in item.marking().compartments


def test_a_recipient_services_desk_head_cannot_pass_a_report_on(cast: Cast) -> None:
    from liaison.accounts.models import RoleCode
    from liaison.reports.services import report_disseminate
    from liaison.testing.cast import make_user

    head_ct = make_user("head_ct", (RoleCode.DESK_HEAD, RoleCode.RECIPIENT), "dct", "s", ("terrorism",))
    with pytest.raises(PolicyRefusal) as refusal:
        report_disseminate(by=head_ct, report=cast.sent_report, services=[service("dct")])
    assert refusal.value.rule == "onward_dissemination"


def test_a_new_partner_keeps_every_marking_chosen(cast: Cast, client: Client) -> None:
    from liaison.partners.models import Partner

    login_as(client, cast.alice)
    client.post(
        reverse("partners:create"),
        {
            "name": "Marked partner",
            "country": "DE",
            "kind": "security",
            "zone": cast.open_partner.zone.pk,
            "trust_level": 3,
            "status": "active",
            "classification": level("s").pk,
            "compartments": [compartment("terrorism").pk],
            "no_foreign_release": "on",
            "releasable_to": "DE",
            "handling_code": 2,
            "tlp": "AMBER",
        },
    )
    marking = Partner.objects.get(name="Marked partner").marking()
    assert marking.no_foreign_release and marking.releasable_to == {"DE"} and marking.handling == 2
    assert marking.tlp == "AMBER" and marking.rank == 3 and marking.compartments == {"terrorism"}
