"""Writing markings onto marked objects, and reading a form's markings as a value. The one place where a
`Marking` value becomes database rows, so that sticky markings are applied the same way everywhere."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from liaison.core.exceptions import DomainError
from liaison.policy.classification import national_level_for_rank
from liaison.policy.markings import Marking
from liaison.policy.models import Caveat, ClassificationLevel, Compartment, MarkedModel


def marking_of(
    *,
    classification: ClassificationLevel,
    compartments: Iterable[Compartment] = (),
    caveats: Iterable[Caveat] = (),
    originators: Iterable[Any] = (),
    releasable_to: Iterable[str] | None = None,
    no_foreign_release: bool = False,
    handling_code: int = 0,
    tlp: str = "",
    pap: str = "",
) -> Marking:
    return Marking(
        rank=classification.rank,
        compartments=frozenset(c.code for c in compartments),
        originators=frozenset(str(p.pk) for p in originators),
        caveats=frozenset(c.code for c in caveats),
        releasable_to=None if releasable_to is None else frozenset(c.upper() for c in releasable_to),
        no_foreign_release=no_foreign_release,
        handling=handling_code,
        tlp=tlp or None,
        pap=pap or None,
    )


def apply_marking(obj: MarkedModel, marking: Marking, *, level: ClassificationLevel | None = None) -> None:
    """Write `marking` onto `obj` (saved). `level` keeps a foreign level as given when it has the right rank;
    otherwise the national level for the rank is used."""
    from liaison.partners.models import Partner

    if level is None or level.rank != marking.rank:
        level = national_level_for_rank(marking.rank)
        if level is None:
            raise DomainError(_("The national scheme has no level for this classification."))
    obj.classification = level
    obj.releasable_to = None if marking.releasable_to is None else sorted(marking.releasable_to)
    obj.no_foreign_release = marking.no_foreign_release
    obj.handling_code = marking.handling
    obj.tlp = marking.tlp or ""
    obj.pap = marking.pap or ""
    obj.save()
    obj.compartments.set(list(Compartment.objects.filter(code__in=marking.compartments)))
    obj.caveats.set(list(Caveat.objects.filter(code__in=marking.caveats)))
    obj.originators.set(list(Partner.objects.filter(pk__in=marking.originators)))


def refuse_lowering(current: Marking, new: Marking) -> None:
    """Markings are sticky: a change may raise them, never lower them (that takes an approved downgrade)."""
    if not new.dominates(current):
        raise DomainError(
            _(
                "Markings can be raised, not lowered: keep at least the current classification, compartments, "
                "originator controls and restrictions. Lowering them needs an approved downgrade."
            )
        )
