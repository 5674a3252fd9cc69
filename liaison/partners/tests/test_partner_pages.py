"""Partner list and file: only what the read rule allows, counted and paged in SQL, with the page's banner."""

from __future__ import annotations

from django.test import Client

from liaison.testing.cast import Cast, make_partner
from liaison.testing.matrix import login_as


def test_the_list_shows_exactly_the_visible_partners(cast: Cast, client: Client) -> None:
    login_as(client, cast.bob)
    page = client.get("/partners/")
    names = [p.name for p in page.context["page"].object_list]
    assert names == ["Open partner"]
    assert page.context["page"].paginator.count == 1
    assert "Secret partner" not in page.content.decode()


def test_filters_and_search_never_widen_the_audience(cast: Cast, client: Client) -> None:
    login_as(client, cast.bob)
    for query in ("?q=Secret", "?q=SEC", "?zone=europe", "?status=active&q=partner"):
        names = [p.name for p in client.get(f"/partners/{query}").context["page"].object_list]
        assert "Secret partner" not in names and "Prolif partner" not in names


def test_the_banner_shows_the_highest_classification_on_the_page_at_top_and_bottom(cast: Cast, client: Client) -> None:
    login_as(client, cast.alice)
    body = client.get("/partners/").content.decode()
    assert body.count('class="banner banner-rank-3') == 2  # SECRET: the secret partner is on the page
    assert "TERRORISM" in body
    detail = client.get(f"/partners/{cast.open_partner.pk}/").content.decode()
    assert detail.count("DIFFUSION RESTREINTE</strong>") == 2


def test_pages_without_protected_content_carry_no_banner(cast: Cast, client: Client) -> None:
    login_as(client, cast.dave)
    assert 'class="banner ' not in client.get("/partners/").content.decode()  # nothing visible, nothing shown


def test_pages_are_bounded(cast: Cast, client: Client) -> None:
    for n in range(30):
        make_partner(f"Extra {n:02d}", cast.carol, "dr")
    login_as(client, cast.bob)
    first = client.get("/partners/")
    assert len(first.context["page"].object_list) == 25
    second = client.get("/partners/?page=2")
    assert len(second.context["page"].object_list) == 6
    assert client.get("/partners/?page=999").status_code == 200  # out of range: last page, not an error


def test_agreements_are_recorded_and_an_invalid_period_is_refused(cast: Cast, client: Client) -> None:
    from django.urls import reverse

    from liaison.testing.cast import compartment, level

    login_as(client, cast.alice)
    url = reverse("partners:agreement_create", args=[cast.open_partner.pk])
    data = {
        "title": "MoU 2026",
        "themes": [compartment("terrorism").pk],
        "max_classification": level("s").pk,
        "valid_from": "2026-01-01",
        "valid_until": "2025-01-01",
    }
    refused = client.post(url, data)
    assert "cannot end before it starts" in refused.content.decode()
    assert not cast.open_partner.agreements.exists()
    client.post(url, data | {"valid_until": "2027-12-31"})
    assert cast.open_partner.agreements.get().title == "MoU 2026"
    page = client.get(reverse("partners:detail", args=[cast.open_partner.pk])).content.decode()
    assert "MoU 2026" in page


def test_the_release_check_reads_the_agreements(cast: Cast) -> None:
    import datetime as dt

    from django.utils import timezone

    from liaison.partners.selectors import partner_release_terms
    from liaison.partners.services import agreement_create
    from liaison.policy.markings import Marking
    from liaison.policy.release import OPEN_SOURCE, Originator, ReleasedItem, release_check
    from liaison.testing.cast import compartment, level

    item = ReleasedItem("i1", Marking(rank=3, compartments=frozenset({"terrorism"})), Originator(OPEN_SOURCE))
    partner = cast.open_partner
    today = timezone.localdate()

    def agree(theme: str, highest: str, start: dt.date = today, end: dt.date | None = None) -> None:
        agreement_create(
            by=cast.alice, partner=partner, title=f"{theme} up to {highest}", themes=[compartment(theme)],
            max_classification=level(highest), onward_dissemination=False, valid_from=start, valid_until=end,
        )  # fmt: skip

    def refusal() -> set[str]:
        decision = release_check(
            partner=partner_release_terms(partner), on=today, requester_id=str(cast.alice.pk), items=[item]
        )
        return {code for code, _item in decision.codes()}

    assert refusal() == {"agreement.none"}
    agree("terrorism", "s", today - dt.timedelta(days=800), today - dt.timedelta(days=1))
    assert refusal() == {"agreement.not_in_force"}
    agree("cyber", "s")
    assert refusal() == {"agreement.themes"}
    agree("terrorism", "dr")
    assert refusal() == {"agreement.classification"}
    agree("terrorism", "s")
    assert refusal() == set()


def test_a_list_page_records_which_protected_objects_it_showed(cast: Cast, client: Client) -> None:
    from liaison.audit.events import AuditEvent
    from liaison.audit.models import ReadRecord

    login_as(client, cast.bob)
    client.get("/partners/")
    entry = ReadRecord.objects.filter(event=AuditEvent.OBJECT_LIST_READ).latest("id")
    assert entry.actor_alias == "BOB" and entry.details["ids"] == [str(cast.open_partner.pk)]
