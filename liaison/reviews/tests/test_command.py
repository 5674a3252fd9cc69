"""`liaison reviews`: open and close as a named security officer or administrator, verify a closed campaign's signed
result (with the instance key or a public key file), and clear errors for bad input."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from liaison.keys.store import get_signer
from liaison.reviews.models import ItemDecision, ReviewCampaign, ReviewItem
from liaison.testing.cast import Cast


def _run(capsys, *args: str) -> str:
    call_command("reviews", *args)
    return str(capsys.readouterr().out)


def test_open_close_and_verify(cast: Cast, capsys, tmp_path: Path, settings) -> None:
    settings.LIAISON_REVIEW_UNANSWERED = "flag"
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    out = _run(capsys, "open", "--by", "grace", "--name", "Office", "--due", due, "--service", "bci")
    campaign = ReviewCampaign.objects.get(name="Office")
    assert f"campaign {campaign.pk} opened" in out
    assert str(campaign.pk) in _run(capsys, "list")
    out = _run(capsys, "close", str(campaign.pk), "--by", "frank")
    campaign.refresh_from_db()
    assert f"audit entry #{campaign.result_seq}" in out
    out = _run(capsys, "verify", str(campaign.pk))
    assert out.startswith("review result OK") and get_signer().key_id in out
    key = tmp_path / "instance.pem"
    key.write_bytes(get_signer().public_key_pem())
    assert _run(capsys, "verify", str(campaign.pk), "--public-key", str(key)).startswith("review result OK")

    ReviewItem.objects.filter(campaign=campaign).update(decision=ItemDecision.CONFIRMED)
    with pytest.raises(CommandError, match="no longer match the signed result"):
        call_command("reviews", "verify", str(campaign.pk))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["open", "--name", "X", "--due", "2099-01-01"], "--by LOGIN"),
        (["open", "--by", "nobody", "--name", "X", "--due", "2099-01-01"], "No active account"),
        (["open", "--by", "grace", "--name", "X", "--due", "next week"], "YYYY-MM-DD"),
        (["open", "--by", "grace", "--name", "X", "--due", "2099-01-01", "--service", "zzz"], "Unknown service"),
        (["open", "--by", "alice", "--name", "X", "--due", "2099-01-01"], "security officer or an administrator"),
        (["close", "--by", "grace"], "Give the campaign id"),
        (["close", "not-an-id", "--by", "grace"], "No campaign with the id"),
        (["verify", "00000000-0000-0000-0000-000000000000"], "No campaign with the id"),
    ],
)
def test_bad_input_is_refused_with_what_to_do(cast: Cast, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("reviews", *args)
    assert not ReviewCampaign.objects.exists()


def test_verifying_an_open_campaign_says_there_is_no_result(cast: Cast, campaign: ReviewCampaign) -> None:
    with pytest.raises(CommandError, match="No signed result"):
        call_command("reviews", "verify", str(campaign.pk))


def test_a_public_key_file_that_is_not_a_key(cast: Cast, campaign: ReviewCampaign, tmp_path: Path) -> None:
    from liaison.reviews.services import campaign_close

    campaign_close(campaign=campaign, by=cast.grace)
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    with pytest.raises(CommandError, match="not a PEM public key"):
        call_command("reviews", "verify", str(campaign.pk), "--public-key", str(bad))
    with pytest.raises(CommandError, match="Cannot read the public key file"):
        call_command("reviews", "verify", str(campaign.pk), "--public-key", str(tmp_path / "missing.pem"))
