"""Query counts of the break-glass lists, pinned: the requester's own requests and the approvers' page run the
same number of SQL queries whatever the number of requests they show."""

from __future__ import annotations

import uuid

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from liaison.breakglass.identifiers import parse_identifiers
from liaison.breakglass.services import breakglass_decide, breakglass_request
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as
from liaison.testing.matrix_glass import WHY
from liaison.testing.queries import assert_page_queries

WHY_IDS = f"{uuid.uuid4()}\n{uuid.uuid4()}"


def _add(cast: Cast) -> None:
    """Two of frank's requests: one waiting, one approved."""
    for approve in (False, True):
        objects = parse_identifiers(f"{uuid.uuid4()}\n{uuid.uuid4()}")
        made = breakglass_request(by=cast.frank, justification=WHY, minutes=10, objects=objects)
        if approve:
            breakglass_decide(by=cast.grace, request=made, approve=True, reason="Checked.")


def test_my_requests_page_queries_are_pinned(cast: Cast, client: Client) -> None:
    _add(cast)
    login_as(client, cast.frank)
    assert_page_queries(client, reverse("breakglass:list"), 5, grow=lambda: _add(cast))


def test_pending_page_queries_are_pinned(cast: Cast, client: Client) -> None:
    _add(cast)
    login_as(client, cast.grace)
    assert_page_queries(client, reverse("breakglass:pending"), 6, grow=lambda: _add(cast))


def test_request_page_queries_are_pinned(cast: Cast, client: Client) -> None:
    """One request with its objects and reads: the same queries whatever the number of reads."""
    from liaison.breakglass.models import BreakGlassRead

    made = breakglass_request(by=cast.frank, justification=WHY, minutes=10, objects=parse_identifiers(WHY_IDS))
    made = breakglass_decide(by=cast.grace, request=made, approve=True, reason="Checked.")
    targets = list(made.targets.all())

    def read_more() -> None:
        for target in targets:
            BreakGlassRead.objects.create(request=made, target=target, read_at=timezone.now())

    read_more()
    login_as(client, cast.grace)
    assert_page_queries(client, reverse("breakglass:detail", args=[made.pk]), 7, grow=read_more)
