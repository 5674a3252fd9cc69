"""The signed result of a closed campaign: a canonical JSON document of every decision (who, what, decision, by
whom, when), its SHA-256 and an Ed25519 signature by the instance key, kept in the `review.campaign_closed` audit
entry. `result_verify` checks the entry's digest and signature and that the decisions stored still say the same."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.utils.translation import gettext as _

from liaison.audit.events import AuditEvent
from liaison.audit.models import AuditEntry, canonical_json
from liaison.keys.store import get_signer
from liaison.reviews.models import ReviewCampaign, ReviewItem

FORMAT = "liaison-access-review/1"


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def _user(user: Any) -> dict[str, str] | None:
    return {"id": str(user.pk), "alias": user.alias} if user is not None else None


def result_document(campaign: ReviewCampaign) -> str:
    """The campaign's decisions as canonical JSON (sorted keys, no spaces, items in a fixed order)."""
    items = (
        ReviewItem.objects.filter(campaign=campaign)
        .select_related("person", "decided_by", "clearance", "new_clearance", "compartment", "role")
        .order_by("person__username", "kind", "compartment__code", "role__code", "pk")
    )
    decisions = [
        {
            "item": str(item.pk),
            "person": _user(item.person),
            "entitlement": {"kind": item.kind, "code": item.entitlement_code},
            "decision": item.decision,
            "lowered_to": item.new_clearance.code if item.new_clearance else None,
            "reason": item.reason,
            "by": _user(item.decided_by),
            "at": _iso(item.decided_at),
            "automatic": item.is_automatic,
        }
        for item in items
    ]
    document = {
        "format": FORMAT,
        "campaign": {
            "id": str(campaign.pk),
            "name": campaign.name,
            "services": sorted(s.code for s in campaign.services.all()),
            "due_on": campaign.due_on.isoformat(),
            "opened_by": _user(campaign.created_by),
            "opened_at": _iso(campaign.created_at),
            "closed_by": _user(campaign.closed_by),
            "closed_at": _iso(campaign.closed_at),
            "unanswered": campaign.unanswered_outcome,
        },
        "decisions": decisions,
    }
    return canonical_json(document)


def sign_result(document: str) -> dict[str, str]:
    """What the audit entry carries beside the document: its digest, the signature and the signing key's id."""
    data = document.encode("utf-8")
    signer = get_signer()
    return {
        "result": document,
        "sha256": hashlib.sha256(data).hexdigest(),
        "signature": base64.b64encode(signer.sign(data)).decode("ascii"),
        "key_id": signer.key_id,
    }


@dataclass
class Verdict:
    ok: bool
    problems: list[str] = field(default_factory=list)
    sha256: str = ""
    key_id: str = ""
    decisions: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "problems": self.problems, "sha256": self.sha256, "key_id": self.key_id}


def signature_valid(public_key_pem: bytes, signature: bytes, data: bytes) -> bool:
    key = serialization.load_pem_public_key(public_key_pem)
    if not isinstance(key, ed25519.Ed25519PublicKey):
        return False
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def result_entry(campaign: ReviewCampaign) -> AuditEntry | None:
    if campaign.result_seq is None:
        return None
    return AuditEntry.objects.filter(
        seq=campaign.result_seq, event=AuditEvent.REVIEW_CAMPAIGN_CLOSED, target_id=str(campaign.pk)
    ).first()


def result_verify(
    campaign: ReviewCampaign, *, public_key_pem: bytes | None = None, entry: AuditEntry | None = None
) -> Verdict:
    """Check a closed campaign's signed result: the entry exists, its digest matches the document, the signature
    is the instance key's (or `public_key_pem`'s) over the document, and the decisions stored agree with it."""
    entry = entry or result_entry(campaign)
    if entry is None:
        return Verdict(False, [_("No signed result is recorded for this campaign.")])
    try:
        extra = json.loads(entry.extra)
        document, digest, key_id = extra["result"], extra["sha256"], extra["key_id"]
        signature = base64.b64decode(extra["signature"], validate=True)
    except (ValueError, KeyError, TypeError):
        return Verdict(False, [_("The result entry is malformed.")])
    verdict = Verdict(True, sha256=digest, key_id=key_id)
    data = document.encode("utf-8")
    if hashlib.sha256(data).hexdigest() != digest:
        verdict.problems.append(_("The SHA-256 of the result does not match the one recorded."))
    if public_key_pem is None:
        signer = get_signer()
        public_key_pem = signer.public_key_pem()
        if signer.key_id != key_id:
            verdict.problems.append(
                _("The result was signed by key %(signed)s; the instance key is %(current)s.")
                % {"signed": key_id, "current": signer.key_id}
            )
    if not signature_valid(public_key_pem, signature, data):
        verdict.problems.append(_("The signature does not verify with the public key."))
    if result_document(campaign) != document:
        verdict.problems.append(_("The decisions stored no longer match the signed result."))
    verdict.decisions = len(json.loads(document).get("decisions", []))
    verdict.ok = not verdict.problems
    return verdict
