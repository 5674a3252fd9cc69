"""The read rule compiled once per model and reader (`ReadRule`) gives exactly what the ORM condition gives, alone,
nested in other queries (where Django renames its table) and as the time passes; and the per-request `Reader` sees
changes made to the user."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone

from liaison.accounts.models import User
from liaison.exchanges.models import Exchange, InformationItem
from liaison.followup.models import FollowUp
from liaison.partners.models import Contact, Partner
from liaison.policy.access import ReadRule, reader, rule_q, visible_to
from liaison.policy.models import AccessGrant
from liaison.releases.models import Release
from liaison.reports.models import Report
from liaison.testing.cast import MEMBERS, Cast, compartment, make_exchange, make_followup, make_item, make_partner

MODELS: list[type[Any]] = [Partner, Contact, Exchange, InformationItem, Report, FollowUp, Release]


def reference(model: type[Any], user: User) -> set[Any]:
    """The same rule applied by the ORM at each use, as before it was compiled."""
    fresh = User.objects.get(pk=user.pk)
    return set(model.objects.filter(rule_q(model, fresh, reader(fresh), timezone.now())).values_list("pk", flat=True))


def compiled(model: type[Any], user: User) -> set[Any]:
    return set(visible_to(model.objects.all(), User.objects.get(pk=user.pk)).values_list("pk", flat=True))


@pytest.fixture
def office(cast: Cast) -> Cast:
    """More of each kind: objects under a compartment, a partner in charge, a follow-up owned by another officer."""
    terror = make_partner("Terror desk partner", cast.carol, "s", ("terrorism",))
    terror.officers_in_charge.add(cast.bob)
    exchange = make_exchange(cast.alice, terror, ("terrorism",))
    make_item(cast.alice, exchange, "Secret courier route.")
    make_followup(cast.bob, timezone.now() + timedelta(days=2), by=cast.carol, partner=cast.open_partner)
    make_followup(cast.alice, timezone.now() + timedelta(days=2), by=cast.alice, compartments=("terrorism",))
    return cast


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_compiled_rule_reads_exactly_what_the_orm_rule_reads(office: Cast, model: type[Any]) -> None:
    readable_somewhere = False
    for name in MEMBERS:
        user = office.member(name)
        assert compiled(model, user) == reference(model, user), f"{name} on {model.__name__}"
        readable_somewhere |= bool(compiled(model, user))
    assert readable_somewhere or model in (Release, Contact)  # the cast holds objects of each other kind


def test_the_rule_follows_its_table_into_subqueries_and_joins(office: Cast) -> None:
    alice = User.objects.get(pk=office.alice.pk)
    bob = User.objects.get(pk=office.bob.pk)
    # As a subquery (Django renames its table U0, V0...): the items of the exchanges bob may read.
    nested = InformationItem.objects.filter(exchange__in=visible_to(Exchange.objects.all(), bob))
    expected = {i.pk for i in InformationItem.objects.all() if i.exchange_id in reference(Exchange, bob)}
    assert set(nested.values_list("pk", flat=True)) == expected
    assert expected != set(InformationItem.objects.values_list("pk", flat=True))  # bob misses the secret one
    # Correlated, as the watchtower's "last exchange per partner" does.
    last = visible_to(Exchange.objects.all(), bob).filter(partners=OuterRef("pk")).values("occurred_at")[:1]
    seen = Partner.objects.annotate(last=Subquery(last)).filter(last__isnull=False).values_list("pk", flat=True)
    assert set(seen) == {
        p
        for p in Partner.objects.values_list("pk", flat=True)
        if Exchange.objects.filter(partners=p, pk__in=reference(Exchange, bob)).exists()
    }
    hidden = Exists(visible_to(Exchange.objects.all(), bob).filter(partners=OuterRef("pk")))
    assert not Partner.objects.filter(name="Terror desk partner").filter(hidden).exists()
    # Over a query that already joins other tables, and with an aggregate (no GROUP BY on the rule).
    joined = visible_to(InformationItem.objects.filter(exchange__partners__name__startswith="Terror"), alice)
    assert joined.count() == 1
    counts = visible_to(Exchange.objects.all(), alice).values("kind").annotate(n=Count("pk"))
    assert sum(row["n"] for row in counts) == len(reference(Exchange, alice))
    # Negated and combined.
    assert not set(visible_to(Exchange.objects.all(), bob)) & set(
        Exchange.objects.exclude(pk__in=visible_to(Exchange.objects.all(), bob))
    )


def test_a_grant_ends_at_its_expiry_though_the_rule_was_compiled_before(office: Cast, clock: Any) -> None:
    partner = Partner.objects.get(name="Terror desk partner")
    erin = User.objects.get(pk=office.erin.pk)
    erin.compartments.add(compartment("terrorism"))
    assert not visible_to(Partner.objects.filter(pk=partner.pk), erin).exists()
    AccessGrant.objects.create(
        content_type=ContentType.objects.get_for_model(Partner),
        object_id=partner.pk,
        user=erin,
        granted_by=office.carol,
        reason="audit",
        expires_at=clock.now + timedelta(minutes=5),
    )
    assert visible_to(Partner.objects.filter(pk=partner.pk), erin).exists()
    clock.advance(301)
    assert not visible_to(Partner.objects.filter(pk=partner.pk), erin).exists()


def test_the_reader_sees_compartment_role_clearance_and_service_changes_on_the_same_instance(office: Cast) -> None:
    alice = User.objects.get(pk=office.alice.pk)
    assert visible_to(Partner.objects.filter(name="Terror desk partner"), alice).exists()
    alice.compartments.remove(compartment("terrorism"))
    assert not visible_to(Partner.objects.filter(name="Terror desk partner"), alice).exists()
    alice.compartments.add(compartment("terrorism"))
    assert visible_to(Partner.objects.filter(name="Terror desk partner"), alice).exists()
    alice.clearance = office.bob.clearance  # DR: below the partner's SECRET
    assert not visible_to(Partner.objects.filter(name="Terror desk partner"), alice).exists()
    alice.clearance = office.carol.clearance
    alice.service = office.dave.service  # another service: the office's sharing no longer applies
    assert not visible_to(Partner.objects.filter(name="Open partner"), alice).exists()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_s_rule_compiles_to_a_condition_with_no_join(office: Cast, model: type[Any]) -> None:
    alice = User.objects.get(pk=office.alice.pk)
    bare = model._base_manager.all()
    query = visible_to(bare, alice).query
    assert [alias for alias, count in query.alias_refcount.items() if count] == [bare.model._meta.db_table]
    assert any(isinstance(getattr(child, "lhs", child), ReadRule) for child in query.where.children)
