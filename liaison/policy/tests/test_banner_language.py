"""The classification banner names compartments in the reader's language."""

from __future__ import annotations

from django.test import Client

from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as


def test_the_banner_prints_compartments_in_the_page_language(cast: Cast) -> None:
    for language, name, other in (("fr", "TERRORISME", "TERRORISM "), ("en", "TERRORISM", "TERRORISME")):
        client = Client()
        client.cookies.load({"django_language": language})
        login_as(client, cast.alice)
        body = client.get(f"/partners/{cast.secret_partner.pk}/").content.decode()
        banner = body[body.index('class="banner ') :]
        banner = banner[: banner.index("</div>")]
        assert name in banner, language
        assert other not in banner, language
