"""Select widgets that write their options in Python. Django renders each option through two templates; a list of a
thousand partners or officers then costs hundreds of milliseconds per page. The markup is the same as Django's."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.safestring import SafeString, mark_safe


def _escape(value: Any) -> str:
    """Django's conditional_escape without its lazy-string machinery (a cost paid per option)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value), quote=True)


def _attrs(attrs: dict[str, Any]) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        parts.append(f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"')
    return "".join(parts)


class QuickSelectMixin:
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget: Any = self
        final = widget.build_attrs(widget.attrs, attrs)
        if widget.allow_multiple_selected:
            final["multiple"] = True
        wanted = set(widget.format_value(value))
        found = False

        def option(choice: Any, label: Any) -> str:
            nonlocal found
            text = "" if choice is None else str(choice)
            chosen = text in wanted and (widget.allow_multiple_selected or not found)
            found |= chosen
            return f'<option value="{_escape(text)}"{" selected" if chosen else ""}>{_escape(label)}</option>'

        out = [f'<select name="{_escape(name)}"{_attrs(final)}>']
        for choice, label in widget.choices:
            if isinstance(label, list | tuple):
                out.append(f'<optgroup label="{_escape(choice)}">')
                out.extend(option(sub_choice, sub_label) for sub_choice, sub_label in label)
                out.append("</optgroup>")
            else:
                out.append(option(choice, label))
        out.append("</select>")
        return mark_safe("".join(out))  # every value and label above went through _escape


class QuickSelect(QuickSelectMixin, forms.Select):
    pass


class QuickSelectMultiple(QuickSelectMixin, forms.SelectMultiple):
    pass


class RowChoiceIterator(ModelChoiceIterator):
    """The choices of a model choice field read as rows — the key and the columns of the label — rather than model
    instances: building a thousand instances for a list of names is most of such a page's time. The field gives
    `label_columns` and `label_from_row(*values)`."""

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        field: Any = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        for pk, *values in self.queryset.values_list("pk", *field.label_columns):
            yield (ModelChoiceIteratorValue(pk, None), field.label_from_row(*values))  # type: ignore[arg-type] # no instance: that is the point
