"""The release workflow through its services: what the rule is given from the database, consents and their
requests, tearlines and downgrades, and who may submit, approve, refuse and withdraw."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from liaison.audit.models import AuditEntry
from liaison.core.exceptions import Conflict, DomainError, PolicyRefusal
from liaison.exchanges.services import ItemInput, item_create
from liaison.policy.markings import TLP, Marking
from liaison.releases import services
from liaison.releases.models import ConsentRequestStatus, DowngradeStatus, Release, ReleaseStatus
from liaison.testing.cast import (
    Cast,
    level,
    make_agreement,
    make_partner,
    make_proliferation_item,
    service,
)


def draft(cast: Cast, partner, *items, tearline=None) -> Release:
    return services.release_create(
        by=cast.alice,
        partner=partner,
        justification="They asked about courier routes.",
        content=services.Content(items=tuple(items), tearline=tearline),
    )


def codes(error: services.ReleaseRefused) -> set[tuple[str, str | None]]:
    return error.decision.codes()


def test_an_item_given_back_to_its_own_originator_needs_only_an_agreement(cast: Cast) -> None:
    release = draft(cast, cast.open_partner, cast.item)
    with pytest.raises(services.ReleaseRefused) as refused:
        services.release_submit(by=cast.alice, release=release)
    assert codes(refused.value) == {("agreement.none", None)}
    assert AuditEntry.objects.filter(event="release.blocked", target_id=str(release.pk)).count() == 1
    make_agreement(cast.carol, cast.open_partner)
    release = services.release_submit(by=cast.alice, release=release)
    assert release.status == ReleaseStatus.SUBMITTED


def test_another_partners_item_needs_its_consent_and_the_latest_record_decides(cast: Cast) -> None:
    make_agreement(cast.carol, cast.secret_partner)
    release = draft(cast, cast.secret_partner, cast.item)
    item = str(cast.item.pk)
    assert services.release_check(release).codes() == {("consent.missing", item)}

    def answer(granted: bool, partner=cast.secret_partner, until: date | None = None) -> None:
        services.consent_record(
            by=cast.alice,
            originator_kind="partner",
            originator_partner=cast.open_partner,
            items=[cast.item],
            partner=partner,
            granted=granted,
            valid_until=until,
            reference="MSG-2026-11-042",
        )

    answer(True, partner=make_partner("Third partner", cast.carol, "dr"))  # another partner: no answer here
    assert services.release_check(release).codes() == {("consent.missing", item)}
    answer(True)
    assert services.release_check(release).allowed
    answer(False)
    assert services.release_check(release).codes() == {("consent.refused", item)}
    answer(True, until=timezone.localdate() - timedelta(days=1))
    assert services.release_check(release).codes() == {("consent.expired", item)}
    assert services.release_check(release, on=timezone.localdate() - timedelta(days=1)).allowed


def test_a_consent_for_all_of_an_originators_items_answers_for_each(cast: Cast) -> None:
    make_agreement(cast.carol, cast.secret_partner)
    release = draft(cast, cast.secret_partner, cast.item)
    services.consent_record(
        by=cast.alice,
        originator_kind="partner",
        originator_partner=cast.open_partner,
        all_items=True,
        granted=True,
        reference="Letter of 2 Nov",
    )
    assert services.release_check(release).allowed


def test_a_consent_naming_an_item_of_another_originator_is_refused(cast: Cast) -> None:
    with pytest.raises(DomainError, match="does not come from this originator"):
        services.consent_record(
            by=cast.alice,
            originator_kind="partner",
            originator_partner=cast.secret_partner,
            items=[cast.item],
            granted=True,
            reference="x",
        )


def test_a_release_naming_an_item_the_requester_may_not_read_reads_as_unknown(cast: Cast) -> None:
    hidden = make_proliferation_item(cast)
    with pytest.raises(DomainError, match="Unknown item"):
        draft(cast, cast.open_partner, hidden)
    assert not Release.objects.exists()


def service_item(cast: Cast, *, tlp: str = "", caveats: frozenset[str] = frozenset()):
    return item_create(
        by=cast.alice,
        exchange=cast.exchange,
        data=ItemInput(
            direction="provided",
            originator_kind="service",
            originator_service=service("dct"),
            title="Our own assessment",
            text="Assessment text.",
            source_reliability="B",
            information_credibility="2",
            marking=Marking(rank=1, tlp=tlp or None, caveats=caveats),
        ),
    )


def test_an_internal_service_is_owed_consent_for_orcon_but_not_for_amber(cast: Cast) -> None:
    make_agreement(cast.carol, cast.open_partner)
    amber = service_item(cast, tlp=TLP.AMBER)
    assert services.release_check(draft(cast, cast.open_partner, amber)).allowed
    orcon = service_item(cast, caveats=frozenset({"orcon"}))
    release = draft(cast, cast.open_partner, orcon)
    assert services.release_check(release).codes() == {("consent.missing", str(orcon.pk))}
    services.consent_record(
        by=cast.alice,
        originator_kind="service",
        originator_service=service("dct"),
        items=[orcon],
        partner=cast.open_partner,
        granted=True,
        reference="Note DCT/42",
    )
    assert services.release_check(release).allowed


def test_a_consent_request_opened_from_a_refusal_is_closed_by_the_answer(cast: Cast) -> None:
    make_agreement(cast.carol, cast.secret_partner)
    release = draft(cast, cast.secret_partner, cast.item)
    originator = services.item_originator(cast.item)
    request = services.consent_request_open(
        by=cast.alice, release=release, originator=originator, message="May we pass this on?"
    )
    assert list(request.items.all()) == [cast.item]
    assert request.partner == cast.secret_partner
    with pytest.raises(DomainError, match="Nothing in this release is owed"):
        services.consent_request_open(
            by=cast.alice, release=release, originator=services.rule.Originator("service", "dct"), message="x"
        )
    services.consent_record(
        by=cast.alice,
        originator_kind="partner",
        originator_partner=cast.open_partner,
        items=[cast.item],
        partner=cast.secret_partner,
        granted=True,
        reference="Reply to our request",
        request=request,
    )
    request.refresh_from_db()
    assert request.status == ConsentRequestStatus.ANSWERED
    assert services.release_check(release).allowed


def test_a_tearline_downgrade_needs_a_second_release_authority_and_keeps_originator_obligations(
    cast: Cast,
) -> None:
    secret = item_create(
        by=cast.alice,
        exchange=cast.exchange,
        data=ItemInput(
            direction="received",
            originator_kind="partner",
            originator_partner=cast.open_partner,
            title="Secret detail",
            text="Names and places.",
            source_reliability="B",
            information_credibility="2",
            marking=Marking(rank=3, compartments=frozenset({"terrorism"})),
        ),
    )
    tearline = services.tearline_save(
        by=cast.alice, title="Sanitised", text="A network uses couriers.", sources=[secret, cast.item]
    )
    assert tearline.classification.rank == 3
    assert str(cast.open_partner.pk) in tearline.marking().originators
    with pytest.raises(PolicyRefusal):
        services.downgrade_request(by=cast.bob, tearline=tearline, level=level("dr"), reason="x")
    tearline = services.downgrade_request(by=cast.alice, tearline=tearline, level=level("dr"), reason="No names.")
    with pytest.raises(PolicyRefusal) as not_authority:
        services.downgrade_decide(by=cast.carol, tearline=tearline, approve=True)
    assert not_authority.value.rule == "release_authority"
    tearline = services.downgrade_decide(by=cast.heidi, tearline=tearline, approve=True)
    assert tearline.downgrade_status == DowngradeStatus.APPROVED
    assert tearline.classification.code == "dr"
    assert tearline.marking().compartments == {"terrorism"}
    assert str(cast.open_partner.pk) in tearline.marking().originators
    assert AuditEntry.objects.filter(event="marking.downgrade_decided", target_id=str(tearline.pk)).exists()
    with pytest.raises(Conflict):
        services.tearline_save(by=cast.alice, title="t", text="t", sources=[cast.item], tearline=tearline)

    make_agreement(cast.carol, cast.secret_partner, top="dr")
    release = draft(cast, cast.secret_partner, tearline=tearline)
    # Downgraded below the agreement's ceiling, but both sources are still owed to their originator.
    assert services.release_check(release).codes() == {
        ("consent.missing", str(secret.pk)),
        ("consent.missing", str(cast.item.pk)),
    }


def test_approval_by_the_requester_or_without_the_role_is_refused_and_recorded(cast: Cast) -> None:
    make_agreement(cast.carol, cast.open_partner)
    release = services.release_submit(by=cast.alice, release=draft(cast, cast.open_partner, cast.item))
    with pytest.raises(services.ReleaseRefused) as by_carol:
        services.release_approve(by=cast.carol, release=release)
    assert codes(by_carol.value) == {("release_authority", None)}
    cast.alice.roles.add(*cast.heidi.roles.all())  # alice becomes a release authority too
    alice = type(cast.alice).objects.get(pk=cast.alice.pk)
    with pytest.raises(services.ReleaseRefused) as by_alice:
        services.release_approve(by=alice, release=release)
    assert codes(by_alice.value) == {("four_eyes", None)}
    release.refresh_from_db()
    assert release.status == ReleaseStatus.SUBMITTED
    assert not hasattr(release, "package") or release.package is None
    assert AuditEntry.objects.filter(event="release.blocked", target_id=str(release.pk)).count() == 2


def test_refusal_needs_a_reason_and_withdrawal_is_the_requesters(cast: Cast) -> None:
    make_agreement(cast.carol, cast.open_partner)
    release = services.release_submit(by=cast.alice, release=draft(cast, cast.open_partner, cast.item))
    with pytest.raises(DomainError):
        services.release_refuse(by=cast.heidi, release=release, reason=" ")
    with pytest.raises(PolicyRefusal):
        services.release_withdraw(by=cast.heidi, release=release)
    refused = services.release_refuse(by=cast.heidi, release=release, reason="Not now.")
    assert refused.status == ReleaseStatus.REFUSED
    with pytest.raises(Conflict):
        services.release_refuse(by=cast.heidi, release=refused, reason="Again.")
    other = draft(cast, cast.open_partner, cast.item)
    assert services.release_withdraw(by=cast.alice, release=other).status == ReleaseStatus.WITHDRAWN
    with pytest.raises(Conflict):
        services.release_submit(by=cast.alice, release=other)
