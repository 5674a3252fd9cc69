"""Forms of the advisory pages. Lists (references, products, vulnerabilities) are typed one per line with `|` between
their parts, so that the pages work without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import RoleCode, User
from liaison.advisories.models import (
    LANGUAGES,
    Advisory,
    AdvisoryCategory,
    FederalPartner,
    PartnerContact,
    PartnerKind,
)
from liaison.advisories.services import AdvisoryContent
from liaison.policy.markings import TLP

MAX_LINES = 100


def _lines(value: str, parts: int, required: int, example: str) -> list[list[str]]:
    """Rows of `parts` cells split on `|`; the first `required` cells of each must be filled."""
    rows = [line.strip() for line in value.splitlines() if line.strip()]
    if len(rows) > MAX_LINES:
        raise ValidationError(_("At most %(n)d lines.") % {"n": MAX_LINES})
    parsed = []
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row.split("|")]
        cells += [""] * (parts - len(cells))
        if len(cells) != parts or not all(cells[:required]):
            raise ValidationError(_("Line %(n)d: write %(example)s.") % {"n": number, "example": example}, code="line")
        parsed.append(cells)
    return parsed


class AdvisoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    category = forms.ChoiceField(label=_("Category"), choices=AdvisoryCategory.choices)
    tlp = forms.ChoiceField(label=_("TLP"), choices=TLP.choices, initial=TLP.GREEN)
    lang = forms.ChoiceField(label=_("Language of the document"), choices=LANGUAGES, initial="en")
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    details = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 8}), required=False, max_length=20000
    )
    references = forms.CharField(
        label=_("References"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: the address, then | and a short description."),
    )
    products = forms.CharField(
        label=_("Affected products"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Security advisories: one per line, vendor | product | version."),
    )
    vulnerabilities = forms.CharField(
        label=_("Vulnerabilities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Security advisories: one per line, CVE id | title | remediation."),
    )

    @classmethod
    def initial_of(cls, advisory: Advisory) -> dict[str, Any]:
        return {
            "title": advisory.title,
            "category": advisory.category,
            "tlp": advisory.tlp,
            "lang": advisory.lang,
            "summary": advisory.summary,
            "details": advisory.details,
            "references": "\n".join(f"{r['url']} | {r.get('summary', '')}" for r in advisory.references),
            "products": "\n".join(f"{p['vendor']} | {p['product']} | {p['version']}" for p in advisory.products),
            "vulnerabilities": "\n".join(
                f"{v.get('cve', '')} | {v['title']} | {v['remediation']}" for v in advisory.vulnerabilities
            ),
        }

    def clean_references(self) -> list[dict[str, str]]:
        rows = _lines(self.cleaned_data["references"], 2, 1, gettext("https://address | description"))
        check = URLValidator(schemes=["https", "http"])
        for number, (url, _summary) in enumerate(rows, start=1):
            try:
                check(url)
            except ValidationError:
                raise ValidationError(
                    _("Line %(n)d: %(url)s is not a web address.") % {"n": number, "url": url}
                ) from None
        return [{"url": url, "summary": summary or url} for url, summary in rows]

    def clean_products(self) -> list[dict[str, str]]:
        rows = _lines(self.cleaned_data["products"], 3, 3, gettext("vendor | product | version"))
        return [{"vendor": v, "product": p, "version": ver} for v, p, ver in rows]

    def clean_vulnerabilities(self) -> list[dict[str, str]]:
        rows = _lines(self.cleaned_data["vulnerabilities"], 3, 3, gettext("CVE id | title | remediation"))
        return [{"cve": cve.upper(), "title": title, "remediation": fix} for cve, title, fix in rows]

    def content(self) -> AdvisoryContent:
        return AdvisoryContent(**self.cleaned_data)


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    acronym = forms.CharField(label=_("Acronym"), max_length=30)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    function = forms.CharField(label=_("Function"), max_length=200, required=False)
    user = forms.ModelChoiceField(
        label=_("Account"),
        queryset=User.objects.none(),
        required=False,
        help_text=_(
            "An account holding the federal partner contact role, through which this administration reads "
            "its advisories."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts = self.fields["user"]
        assert isinstance(accounts, forms.ModelChoiceField)
        accounts.queryset = User.objects.filter(roles__code=RoleCode.FEDERAL_PARTNER).order_by("alias")
        accounts.label_from_instance = lambda u: u.alias  # type: ignore[method-assign,assignment]


class SendForm(forms.Form):
    partners = forms.ModelMultipleChoiceField(
        label=_("Federal partners"),
        queryset=FederalPartner.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )


class AcknowledgeForm(forms.Form):
    contact = forms.ModelChoiceField(label=_("Acknowledged by"), queryset=PartnerContact.objects.none())

    def __init__(self, *args: Any, partner: FederalPartner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contact = self.fields["contact"]
        assert isinstance(contact, forms.ModelChoiceField)
        contact.queryset = partner.contacts.order_by("name")
