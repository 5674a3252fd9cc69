"""Query counts of the concerns' list pages, pinned: the same number of SQL queries whatever the number of
concerns."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as
from liaison.testing.matrix_concerns import alices_concern
from liaison.testing.queries import assert_page_queries


def _more(cast: Cast) -> None:
    for stage in ("submitted", "triaged", "answered", "published", "published"):
        alices_concern(cast, stage)


def test_my_concerns(cast: Cast, client: Client) -> None:
    alices_concern(cast)
    login_as(client, cast.alice)
    assert_page_queries(client, reverse("concerns:mine"), 6, grow=lambda: _more(cast))


def test_the_queue_with_its_counts_and_response_times(cast: Cast, client: Client) -> None:
    alices_concern(cast, "answered")
    login_as(client, cast.grace)
    assert_page_queries(client, reverse("concerns:queue"), 9, grow=lambda: _more(cast))


def test_the_published_answers(cast: Cast, client: Client) -> None:
    alices_concern(cast, "published")
    login_as(client, cast.ivy)
    assert_page_queries(client, reverse("concerns:published"), 5, grow=lambda: _more(cast))
