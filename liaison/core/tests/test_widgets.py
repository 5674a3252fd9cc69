"""The quick select widgets write the same markup as Django's own, escaping included; the row iterator lists a
model's choices without loading instances."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from liaison.core.widgets import QuickSelect, QuickSelectMultiple

CHOICES: list[tuple[Any, Any]] = [
    ("", _("Partner")),
    ("a&b", "A & B'"),
    (3, "Trois"),
    (None, mark_safe("<b>safe</b>")),
    ("<script>", "<script>alert(1)</script>"),
    ("g", [("g1", "G1"), ("g2", 'G"2')]),
    ("a&b", "the same value again"),
]


def squeeze(markup: str) -> str:
    return re.sub(r">\s+<", "><", markup.strip())


@pytest.mark.parametrize(
    ("django_widget", "quick_widget", "value"),
    [
        (forms.Select, QuickSelect, "a&b"),
        (forms.Select, QuickSelect, None),
        (forms.Select, QuickSelect, "<script>"),
        (forms.SelectMultiple, QuickSelectMultiple, ["g2", "3"]),
    ],
)
def test_quick_widgets_write_django_s_markup(django_widget: Any, quick_widget: Any, value: Any) -> None:
    attrs = {"id": "id_f", "required": True, "data-x": 'q"<', "disabled": False}
    expected = django_widget(attrs=attrs, choices=CHOICES).render("f", value)
    written = quick_widget(attrs=attrs, choices=CHOICES).render("f", value)
    assert squeeze(written) == squeeze(expected)
    assert "<script>" not in written


def test_partner_choices_list_rows_with_the_partner_label(cast: Any) -> None:
    from liaison.partners.forms import PartnerChoiceField
    from liaison.partners.selectors import partner_choices

    field = PartnerChoiceField(queryset=partner_choices(user=cast.carol), empty_label="all")
    choices: Any = field.choices
    labels = [label for _value, label in choices]
    assert labels[0] == "all" and "OPE — Open partner" in labels and "SEC — Secret partner" in labels
    assert field.clean(str(cast.open_partner.pk)) == cast.open_partner
    bob_field = PartnerChoiceField(queryset=partner_choices(user=cast.bob))
    bob_choices: Any = bob_field.choices
    assert "SEC — Secret partner" not in [label for _value, label in bob_choices]
    with pytest.raises(forms.ValidationError):
        bob_field.clean(str(cast.secret_partner.pk))  # not among the partners bob may see
