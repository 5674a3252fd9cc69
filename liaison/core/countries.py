"""ISO 3166-1 countries with names in the reader's language (data from pycountry, no network access)."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language


@cache
def _translator(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def is_country(code: str) -> bool:
    return len(code) == 2 and pycountry.countries.get(alpha_2=code.upper()) is not None


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    language = (get_language() or "fr")[:2]
    name = getattr(country, "common_name", None) or country.name
    return _translator(language).gettext(name) if language != "en" else name


def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_2, country_name(c.alpha_2)) for c in pycountry.countries), key=lambda pair: pair[1])
