"""Bilingual vocabulary entries: a name in French and in English, shown in the reader's language."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def in_reader_language(fr: str, en: str) -> str:
    """`en` when the active language is English, `fr` otherwise (French is the default)."""
    return en if (get_language() or "fr").startswith("en") else fr


class BilingualName(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_reader_language(self.name_fr, self.name_en)
