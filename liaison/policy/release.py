"""The release rule: whether something may go to a partner service, and if not, which rule refused and what would
unblock it. Rules are checked in a fixed order and the first refusal is returned.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from liaison.policy.access import Decision
from liaison.policy.markings import TLP, Marking

if TYPE_CHECKING:
    from liaison.accounts.models import User
    from liaison.partners.models import Partner


def release_check(
    *,
    marking: Marking,
    partner: Partner,
    requester: User,
    approver: User | None = None,
    consents: Iterable[str] = (),
) -> Decision:
    """Check a release of material carrying `marking` to `partner`.

    `consents` are the ids of originators whose consent to this release is recorded. The agreement rule asks the
    partner's cooperation agreements; a partner without a valid agreement covering the material is refused.
    """
    consented = set(consents)
    if approver is not None and approver.pk == requester.pk:
        return Decision.refuse(
            "four_eyes",
            _("The approver of a release must be someone other than its requester."),
            _("Ask another release authority to approve it."),
        )
    if marking.tlp in (TLP.RED, TLP.AMBER_STRICT):
        return Decision.refuse(
            "tlp",
            _("TLP:%(label)s material never leaves the service.") % {"label": marking.tlp},
            _("Release a sanitised text (tearline) that does not carry this material."),
        )
    foreign_originators = marking.originators - {str(partner.pk)}
    if marking.tlp == TLP.AMBER and not foreign_originators <= consented:
        return Decision.refuse(
            "tlp",
            _("TLP:AMBER material needs the originator's permission before it is shared."),
            _("Record the originator's consent, then run the check again."),
        )
    if marking.no_foreign_release and partner.is_foreign:
        return Decision.refuse(
            "no_foreign_release",
            _("This material is marked for no foreign release."),
            _("Release a sanitised text, or have the marking reviewed through an approved downgrade."),
        )
    if marking.releasable_to is not None and partner.country not in marking.releasable_to:
        return Decision.refuse(
            "releasable_to",
            _("The partner's country is not in the releasable-to list of this material."),
            _("Ask the originator to extend the releasable-to list."),
        )
    if not foreign_originators <= consented:
        return Decision.refuse(
            "third_party",
            _("Material received from another partner cannot be released without its recorded consent."),
            _("Ask the originating partner for consent and record it, then run the check again."),
        )
    return partner.agreement_decision(marking)
