"""Reads of advisories and federal partners. The security office handles them and the auditor reads them; a federal
partner's account sees only the published advisories sent to its administration. At the CSAF provider location, a
TLP:CLEAR document is public; any other is served only to the security office and to the accounts of the
administrations it was sent to — to everyone else it does not exist (404)."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from liaison.accounts.models import RoleCode
from liaison.advisories.csaf import CSAF_TLP, Problem, build_document, validate
from liaison.advisories.models import (
    Advisory,
    AdvisoryDistribution,
    AdvisoryStatus,
    FederalPartner,
    PartnerContact,
)
from liaison.policy.gates import has_any_role
from liaison.policy.markings import TLP
from liaison.policy.security_office import ADVISORY_EDITORS

READERS = (RoleCode.SECURITY_OFFICER, RoleCode.AUDITOR)
# The provider's TLP directories (CSAF 2.0 section 7.1.13), named after CSAF's TLP 1.0 labels.
DIRECTORIES = {"white": "WHITE", "green": "GREEN", "amber": "AMBER", "red": "RED"}


def directory_of(tlp: str) -> str:
    return CSAF_TLP[TLP(tlp)].lower()


def tlps_of(directory: str) -> list[str]:
    label = DIRECTORIES.get(directory)
    if label is None:
        raise Http404
    return [t for t, csaf_label in CSAF_TLP.items() if csaf_label == label]


def can_edit_advisories(user: Any) -> bool:
    return has_any_role(user, *ADVISORY_EDITORS)


def _readable(advisories: QuerySet[Advisory], user: Any) -> QuerySet[Advisory]:
    return advisories if has_any_role(user, *READERS) else advisories.none()


def advisory_list(*, user: Any, status: str = "") -> QuerySet[Advisory]:
    """Advisories, newest first, with their author, approver and how many administrations received and acknowledged
    each; one query whatever the page."""
    advisories = _readable(Advisory.objects.select_related("author", "approver"), user).defer("csaf_json")
    if status:
        advisories = advisories.filter(status=status)
    return advisories.annotate(
        sent_count=Count("distributions"),
        acknowledged_count=Count("distributions", filter=Q(distributions__acknowledged_at__isnull=False)),
    ).order_by("-created_at", "tracking_id")


def advisory_get(*, user: Any, pk: Any) -> Advisory:
    found = _readable(Advisory.objects.select_related("author", "approver"), user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def advisory_distributions(*, advisory: Advisory) -> list[AdvisoryDistribution]:
    return list(
        advisory.distributions.select_related("partner", "sent_by", "acknowledged_by", "acknowledged_for").order_by(
            "partner__name"
        )
    )


def advisory_csaf_preview(*, advisory: Advisory) -> tuple[str, list[Problem]]:
    """The CSAF document as published, or as it would be if published now, and what validation says of it."""
    if advisory.csaf_json:
        data = advisory.document_bytes
        return data.decode("utf-8"), validate(json.loads(data))
    document = build_document(advisory, released_at=timezone.now().replace(microsecond=0))
    return json.dumps(document, ensure_ascii=False, indent=2), validate(document)


def partner_list(*, user: Any) -> QuerySet[FederalPartner]:
    partners = FederalPartner.objects.all() if has_any_role(user, *READERS) else FederalPartner.objects.none()
    return partners.annotate(contact_count=Count("contacts", distinct=True)).order_by("name")


def partner_get(*, user: Any, pk: Any) -> FederalPartner:
    contacts = Prefetch("contacts", queryset=PartnerContact.objects.select_related("user").order_by("name"))
    found = partner_list(user=user).prefetch_related(contacts).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def contact_get(*, user: Any, pk: Any) -> PartnerContact:
    if not has_any_role(user, *READERS):
        raise Http404
    found = PartnerContact.objects.select_related("partner", "user").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def partner_of(user: Any) -> FederalPartner | None:
    """The administration a federal partner's account represents, if any."""
    if not has_any_role(user, RoleCode.FEDERAL_PARTNER):
        return None
    contact = PartnerContact.objects.select_related("partner").filter(user=user).first()
    return contact.partner if contact else None


def distributions_for_partner_account(*, user: Any) -> QuerySet[AdvisoryDistribution]:
    """The published advisories sent to the administration `user` represents, newest first."""
    partner = partner_of(user)
    if partner is None:
        return AdvisoryDistribution.objects.none()
    return (
        AdvisoryDistribution.objects.filter(partner=partner, advisory__status=AdvisoryStatus.PUBLISHED)
        .select_related("advisory", "partner", "acknowledged_by", "acknowledged_for")
        .defer("advisory__csaf_json")
        .order_by("-sent_at")
    )


def distribution_get(*, user: Any, pk: Any) -> AdvisoryDistribution:
    """A distribution its administration's account or the security office may act on; 404 for anyone else."""
    if can_edit_advisories(user):
        rows = AdvisoryDistribution.objects.all()
    else:
        rows = distributions_for_partner_account(user=user)
    found = rows.select_related("advisory", "partner").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def published_documents(*, user: Any, directory: str) -> QuerySet[Advisory]:
    """The published advisories of a TLP directory that `user` (possibly anonymous) may fetch."""
    documents = Advisory.objects.filter(status=AdvisoryStatus.PUBLISHED, tlp__in=tlps_of(directory))
    if directory == "white" or can_edit_advisories(user):
        return documents
    partner = partner_of(user)
    if partner is None:
        return documents.none()
    return documents.filter(distributions__partner=partner)


def published_document(*, user: Any, directory: str, year: int, file_name: str) -> Advisory:
    tracking_id = file_name.removesuffix(".json").upper()
    found = published_documents(user=user, directory=directory).filter(tracking_id=tracking_id).first()
    if found is None or found.year != year or found.file_name != file_name:
        raise Http404
    return found
