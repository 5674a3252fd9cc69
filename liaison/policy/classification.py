"""Classification ladders and their equivalences: every level has a rank on the common ladder; a rank is shown
in the national scheme as the lowest national level that protects it at least as well."""

from __future__ import annotations

from django.utils.translation import gettext as _

from liaison.policy.models import ClassificationLevel, ClassificationScheme


def national_scheme() -> ClassificationScheme:
    scheme = ClassificationScheme.objects.filter(is_national=True).first()
    if scheme is None:
        raise ClassificationScheme.DoesNotExist(_("No national classification scheme is configured."))
    return scheme


def equivalent_level(rank: int, scheme: ClassificationScheme) -> ClassificationLevel | None:
    """The lowest level of `scheme` whose rank is at least `rank`. None when the scheme has no such level, and for
    unclassified material in a scheme without an unclassified level: it needs no marking there, not RESTRICTED."""
    return _lowest_at_least(rank, list(scheme.levels.all()))


def _lowest_at_least(rank: int, levels: list[ClassificationLevel]) -> ClassificationLevel | None:
    candidates = [level for level in levels if level.rank >= rank and (rank > 0 or level.rank == 0)]
    return min(candidates, key=lambda level: level.rank, default=None)


def national_level_for_rank(rank: int) -> ClassificationLevel | None:
    return equivalent_level(rank, national_scheme())


def equivalence_table(
    schemes: list[ClassificationScheme] | None = None,
) -> list[tuple[ClassificationLevel, list[ClassificationLevel | None]]]:
    """Rows: each level of every scheme; columns: its equivalent in each scheme (schemes in display order). A
    caller that already holds the schemes with their levels prefetched passes them, and no query runs."""
    if schemes is None:
        schemes = list(ClassificationScheme.objects.prefetch_related("levels"))
    rows = []
    for scheme in schemes:
        for level in scheme.levels.all():
            rows.append(
                (
                    level,
                    [
                        min(
                            (lv for lv in s.levels.all() if lv.rank >= level.rank), key=lambda lv: lv.rank, default=None
                        )
                        for s in schemes
                    ],
                )
            )
    return rows
