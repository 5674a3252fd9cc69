"""Break-glass access through its pages and services: the whole cycle, four eyes, one's own window only, expiry to
the second, every read recorded and notified, and a request form that confirms nothing about what it names."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import RoleCode, User
from liaison.audit.models import AuditEntry, ReadRecord
from liaison.breakglass.identifiers import parse_identifiers
from liaison.breakglass.models import BreakGlassRead, BreakGlassRequest, BreakGlassStatus
from liaison.breakglass.services import breakglass_close, breakglass_decide, breakglass_request
from liaison.core.exceptions import Conflict, DomainError, InputFieldError, PolicyRefusal
from liaison.notifications.models import Notification, NotificationKind
from liaison.policy.breakglass import break_glass_decision
from liaison.testing.cast import Cast, make_user
from liaison.testing.clock import Clock
from liaison.testing.matrix import login_as
from liaison.testing.matrix_glass import WHY

pytestmark = pytest.mark.django_db


def _request(cast: Cast, *objects: str, by: User | None = None, minutes: int = 30) -> BreakGlassRequest:
    return breakglass_request(
        by=by or cast.frank, justification=WHY, minutes=minutes, objects=parse_identifiers("\n".join(objects))
    )


def _partner_url(cast: Cast) -> str:
    return reverse("partners:detail", args=[cast.secret_partner.pk])


def _object_url(bg: BreakGlassRequest) -> str:
    return reverse("breakglass:object", args=[bg.pk, bg.targets.get().pk])


def _second_admin() -> User:
    return make_user("ivan", (RoleCode.ADMINISTRATOR,), "dsi", "dr")


def _switch(client: Client, user: User) -> None:
    """Log out and in as `user`, keeping the page language (logging out drops the client's cookies)."""
    client.logout()
    client.cookies.load({"django_language": "en"})
    login_as(client, user)


def test_the_whole_cycle_request_approve_read_close(cast: Cast, client: Client, clock: Clock) -> None:
    login_as(client, cast.frank)
    response = client.post(
        reverse("breakglass:create"), {"objects": _partner_url(cast), "justification": WHY, "minutes": "20"}
    )
    bg = BreakGlassRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("breakglass:detail", args=[bg.pk])
    assert bg.status == BreakGlassStatus.PENDING and bg.requester == cast.frank
    # The security officer is told of the request, and reads it on her pending page.
    assert Notification.objects.filter(recipient=cast.grace, kind=NotificationKind.BREAKGLASS_REQUESTED).exists()
    # Before approval the object page is 404 for the requester too.
    assert client.get(_object_url(bg)).status_code == 404
    _switch(client, cast.grace)
    assert bg.reference in client.get(reverse("breakglass:pending")).content.decode()
    notices = client.get(reverse("notifications:list")).content.decode()
    assert bg.reference in notices and reverse("breakglass:detail", args=[bg.pk]) in notices
    client.post(reverse("breakglass:decide", args=[bg.pk]), {"decision": "approve", "reason": "Ticket checked."})
    bg.refresh_from_db()
    assert bg.status == BreakGlassStatus.APPROVED and bg.decided_by == cast.grace
    assert bg.expires_at is not None and bg.opens_at is not None
    assert bg.expires_at - bg.opens_at == timedelta(minutes=20)
    _switch(client, cast.frank)
    assert Notification.objects.filter(recipient=cast.frank, kind=NotificationKind.BREAKGLASS_DECIDED).exists()
    page = client.get(_object_url(bg))
    text = page.content.decode()
    assert page.status_code == 200
    assert cast.secret_partner.name in text
    assert "Break-glass access" in text and "Every read is logged" in text and "time left: 20 min 00 s" in text
    # The normal page stays closed to him: break-glass is a separate path.
    assert client.get(_partner_url(cast)).status_code == 404
    client.post(reverse("breakglass:close", args=[bg.pk]), {"reason": "Fixed."})
    bg.refresh_from_db()
    assert bg.status == BreakGlassStatus.CLOSED and bg.closed_by == cast.frank
    assert client.get(_object_url(bg)).status_code == 404
    events = list(AuditEntry.objects.filter(target_id=str(bg.pk)).values_list("event", flat=True))
    assert events == ["breakglass.requested", "breakglass.approved", "breakglass.closed"]


def test_the_requester_cannot_approve_their_own_request(cast: Cast, client: Client) -> None:
    bg = _request(cast, _partner_url(cast))
    with pytest.raises(PolicyRefusal) as refusal:
        breakglass_decide(by=cast.frank, request=bg, approve=True, reason="Mine.")
    assert refusal.value.rule == "break_glass.four_eyes"
    login_as(client, cast.frank)
    detail = client.get(reverse("breakglass:detail", args=[bg.pk])).content.decode()
    assert "Record the decision" not in detail
    response = client.post(
        reverse("breakglass:decide", args=[bg.pk]), {"decision": "approve", "reason": "Mine."}, follow=True
    )
    assert "You cannot decide your own request" in response.content.decode()
    assert "break_glass.four_eyes" in response.content.decode()
    bg.refresh_from_db()
    assert bg.status == BreakGlassStatus.PENDING
    assert client.get(_object_url(bg)).status_code == 404


def test_a_second_administrator_may_approve_but_not_read_through_the_window(cast: Cast, client: Client) -> None:
    ivan = _second_admin()
    bg = _request(cast, _partner_url(cast))
    bg = breakglass_decide(by=ivan, request=bg, approve=True, reason="Checked.")
    login_as(client, ivan)
    assert client.get(_object_url(bg)).status_code == 404
    assert break_glass_decision(ivan, cast.secret_partner, timezone.now()).rule == "break_glass.window"
    # Even with an open window of his own on another object, frank's target stays closed to him.
    own = _request(cast, str(cast.open_partner.pk), by=ivan)
    breakglass_decide(by=cast.grace, request=own, approve=True, reason="Checked.")
    assert client.get(_object_url(bg)).status_code == 404
    assert client.get(_object_url(own)).status_code == 200
    refused = ReadRecord.objects.filter(event="access.refused", actor_id=str(ivan.pk))
    assert refused.count() == 2 and all("break_glass.window" in r.extra for r in refused)


def test_no_other_role_reads_through_a_window_even_if_named(cast: Cast) -> None:
    breakglass_decide(by=cast.grace, request=_request(cast, _partner_url(cast)), approve=True, reason="Ok.")
    now = timezone.now()
    for member in (cast.grace, cast.carol, cast.erin):
        assert break_glass_decision(member, cast.secret_partner, now).rule == "break_glass.role"
    assert break_glass_decision(cast.frank, cast.secret_partner, now).allowed
    assert not break_glass_decision(cast.frank, cast.prolif_partner, now).allowed


def test_the_window_ends_exactly_at_its_second(cast: Cast, client: Client, clock: Clock) -> None:
    bg = _request(cast, _partner_url(cast), minutes=5)
    breakglass_decide(by=cast.grace, request=bg, approve=True, reason="Checked.")
    login_as(client, cast.frank)
    clock.advance(5 * 60 - 1)
    page = client.get(_object_url(bg))
    assert page.status_code == 200 and "time left: 0 min 01 s" in page.content.decode()
    clock.advance(1)
    assert client.get(_object_url(bg)).status_code == 404
    detail = client.get(reverse("breakglass:detail", args=[bg.pk])).content.decode()
    assert "expired" in detail and "Close now" not in detail
    with pytest.raises(Conflict):
        breakglass_close(by=cast.frank, request=bg)


def test_every_read_is_recorded_and_notified_to_the_security_officers(cast: Cast, client: Client) -> None:
    deputy = make_user("gwen", (RoleCode.SECURITY_OFFICER,), "ssi", "dr")
    bg = _request(cast, str(cast.item.pk))  # a bare id: found among every kind of object
    breakglass_decide(by=cast.grace, request=bg, approve=True, reason="Checked.")
    login_as(client, cast.frank)
    for _ in range(2):
        assert client.get(_object_url(bg)).status_code == 200
    reads = ReadRecord.objects.filter(event="object.read", actor_id=str(cast.frank.pk), target_id=str(cast.item.pk))
    assert reads.count() == 2
    assert all(json.loads(r.extra) == {"break_glass": bg.reference} for r in reads)
    assert BreakGlassRead.objects.filter(request=bg).count() == 2
    for officer in (cast.grace, deputy):
        notices = Notification.objects.filter(recipient=officer, kind=NotificationKind.BREAKGLASS_READ)
        assert notices.count() == 2
    assert not Notification.objects.filter(recipient=cast.frank, kind=NotificationKind.BREAKGLASS_READ).exists()
    _switch(client, cast.grace)
    detail = client.get(reverse("breakglass:detail", args=[bg.pk])).content.decode()
    assert detail.count(str(cast.item.pk)) >= 3  # named once, read twice
    assert cast.item.title not in detail  # the request's page never shows the object itself


def _request_page_without_ids(client: Client, objects: str) -> tuple[int, str, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("breakglass:create"), {"objects": objects, "justification": WHY, "minutes": "15"}, follow=True
        )
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}|BG-[0-9A-F]{8}|\d{1,2}:\d{2}(:\d{2})?", "X", response.content.decode())
    text = re.sub(r'datetime="[^"]*"|value="[A-Za-z0-9]{64}"', "", text)
    return response.status_code, text, " ".join(q["sql"] for q in queries.captured_queries)


def test_the_request_form_confirms_nothing_about_what_it_names(cast: Cast, client: Client) -> None:
    login_as(client, cast.frank)
    existing = reverse("reports:detail", args=[cast.draft_report.pk])
    missing = reverse("reports:detail", args=[uuid.uuid4()])
    status_a, page_a, sql_a = _request_page_without_ids(client, existing)
    status_b, page_b, sql_b = _request_page_without_ids(client, missing)
    assert status_a == status_b == 200
    assert page_a == page_b
    for table in ("reports_report", "partners_partner", "exchanges_exchange", "exchanges_informationitem"):
        assert table not in sql_a and table not in sql_b
    assert cast.draft_report.title not in page_a


def test_a_malformed_identifier_or_duration_is_refused_with_what_to_do(cast: Cast, client: Client) -> None:
    login_as(client, cast.frank)
    page = client.post(
        reverse("breakglass:create"),
        {"objects": "https://example.org/admin/\nnot-an-id", "justification": WHY, "minutes": "15"},
    )
    assert page.status_code == 200 and "is neither an id nor the address" in page.content.decode()
    page = client.post(
        reverse("breakglass:create"), {"objects": str(uuid.uuid4()), "justification": WHY, "minutes": "61"}
    )
    assert page.status_code == 200 and "less than or equal to 60" in page.content.decode()
    page = client.post(
        reverse("breakglass:create"), {"objects": str(uuid.uuid4()), "justification": "because", "minutes": "5"}
    )
    assert "at least 20 characters" in page.content.decode()
    assert not BreakGlassRequest.objects.exists()
    with pytest.raises(InputFieldError):
        parse_identifiers(reverse("reports:edit", args=[cast.draft_report.pk]))


def test_the_maximum_duration_is_a_setting(cast: Cast, settings) -> None:
    settings.LIAISON_BREAKGLASS_MAX_MINUTES = 10
    with pytest.raises(DomainError):
        _request(cast, str(uuid.uuid4()), minutes=11)
    assert _request(cast, str(uuid.uuid4()), minutes=10).minutes == 10


def test_a_refused_request_never_opens_and_a_pending_one_can_be_withdrawn(cast: Cast, client: Client) -> None:
    refused = _request(cast, _partner_url(cast))
    breakglass_decide(by=cast.grace, request=refused, approve=False, reason="No ticket.")
    login_as(client, cast.frank)
    assert client.get(_object_url(refused)).status_code == 404
    pending = _request(cast, _partner_url(cast))
    breakglass_close(by=cast.frank, request=pending, reason="Not needed any more.")
    with pytest.raises(Conflict):
        breakglass_decide(by=cast.grace, request=pending, approve=True, reason="Late.")
    pending.refresh_from_db()
    assert pending.status == BreakGlassStatus.CLOSED and pending.expires_at is None


def test_an_approver_closes_the_window_early(cast: Cast, client: Client) -> None:
    bg = _request(cast, _partner_url(cast))
    breakglass_decide(by=cast.grace, request=bg, approve=True, reason="Checked.")
    login_as(client, cast.grace)
    client.post(reverse("breakglass:close", args=[bg.pk]), {"reason": "Enough."})
    _switch(client, cast.frank)
    assert client.get(_object_url(bg)).status_code == 404
    assert Notification.objects.filter(recipient=cast.frank, kind=NotificationKind.BREAKGLASS_DECIDED).count() == 2
