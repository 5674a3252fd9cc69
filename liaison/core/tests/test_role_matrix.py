"""Every URL, every role: the answer each member of the cast gets is exactly the matrix's."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from liaison.testing.api_matrix import API_ROUTES, request_body
from liaison.testing.cast import MEMBERS
from liaison.testing.matrix import PUBLIC, ROUTES, Route, login_as
from liaison.testing.matrix_advisories import ADVISORIES_ROUTES
from liaison.testing.matrix_agenda import AGENDA_ROUTES
from liaison.testing.matrix_alerts import ALERTS_ROUTES
from liaison.testing.matrix_ckpt import CKPT_ROUTES
from liaison.testing.matrix_committee import COMMITTEE_ROUTES
from liaison.testing.matrix_concerns import CONCERNS_ROUTES
from liaison.testing.matrix_followup import FOLLOWUP_ROUTES
from liaison.testing.matrix_glass import GLASS_ROUTES
from liaison.testing.matrix_home import HOME_ROUTES
from liaison.testing.matrix_indicators import INDICATORS_ROUTES
from liaison.testing.matrix_notifications import NOTIFICATIONS_ROUTES
from liaison.testing.matrix_passkeys import PASSKEYS_PUBLIC, PASSKEYS_ROUTES
from liaison.testing.matrix_plan import PLAN_ROUTES
from liaison.testing.matrix_reviews import REVIEWS_ROUTES

ALL_ROUTES = (
    ROUTES
    + API_ROUTES
    + FOLLOWUP_ROUTES
    + NOTIFICATIONS_ROUTES
    + AGENDA_ROUTES
    + HOME_ROUTES
    + REVIEWS_ROUTES
    + GLASS_ROUTES
    + PASSKEYS_ROUTES
    + ALERTS_ROUTES
    + CKPT_ROUTES
    + PLAN_ROUTES
    + INDICATORS_ROUTES
    + CONCERNS_ROUTES
    + ADVISORIES_ROUTES
    + COMMITTEE_ROUTES
)


def _call(client: Client, route: Route, url: str, body: tuple[dict, dict]) -> int:
    data, options = body
    response = getattr(client, route.method)(url, data, **options)
    return int(response.status_code)


@pytest.mark.parametrize("route", ALL_ROUTES, ids=lambda r: r.id)
def test_route_answers_each_role_as_the_matrix_says(route: Route, cast, client: Client) -> None:
    url = reverse(route.name, args=route.args(cast))
    body = request_body(route, cast)
    got = {"anonymous": _call(client, route, url, body)}
    for name in MEMBERS:
        login_as(client, cast.member(name))
        got[name] = _call(client, route, url, body)
        client.logout()
    expected = {"anonymous": route.anonymous} | {name: route.allowed.get(name, 404) for name in MEMBERS}
    assert got == expected


def _names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _names(pattern.url_patterns, inner)
        elif pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix() -> None:
    covered = {route.name for route in ALL_ROUTES} | PUBLIC | PASSKEYS_PUBLIC
    product = {name for name in _names(get_resolver().url_patterns) if not name.startswith("admin:")}
    assert product - covered == set(), "add these URLs to liaison/testing/matrix*.py"


def test_every_admin_page_refuses_non_administrators(cast, client: Client) -> None:
    """The admin site has many generated URLs; each model's list and add pages answer 404 to every non-admin."""
    from liaison.accounts.admin_site import admin_site

    urls = [reverse("admin:index")]
    for model in admin_site._registry:
        meta = model._meta
        urls += [reverse(f"admin:{meta.app_label}_{meta.model_name}_{page}") for page in ("changelist", "add")]
    for name in MEMBERS:
        login_as(client, cast.member(name))
        statuses = {url: client.get(url).status_code for url in urls}
        expected = 200 if name == "frank" else 404
        assert set(statuses.values()) == {expected}, (name, statuses)
        client.logout()
