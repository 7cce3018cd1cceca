"""Money, dates and numbers in the app's language (Babel, as on the PDFs), and list URLs that keep the filter."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms, template
from django.forms import BoundField
from django.http import QueryDict
from django.utils.translation import get_language

from faktura.pdf import formatting
from faktura.web.templatetags import money as shared

register = template.Library()

_GLUED_CODE = re.compile(r"^(-?[A-Z]{3})(?=[\d-])")


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@register.filter
def money(value: Decimal | None, currency: str) -> str:
    """``{{ document.payable|money:document.currency }}`` -> ``1.234,56 RON`` in Romanian."""
    if value is None:
        return ""
    text = formatting.money(Decimal(value), currency, _language())
    # A currency without a symbol of its own comes out glued to the figure in English ("RON10.00").
    return _GLUED_CODE.sub("\\1\xa0", text)


@register.filter
def amount(value: Decimal | None, currency: str) -> str:
    """An amount at the currency's precision without its sign (table cells under a currency heading)."""
    if value is None:
        return ""
    return formatting.amount(Decimal(value), currency, _language())


@register.filter
def unit_price(value: Decimal | None, currency: str) -> str:
    if value is None:
        return ""
    return formatting.unit_price(Decimal(value), currency, _language())


@register.filter
def quantity(value: Decimal | None) -> str:
    return "" if value is None else formatting.quantity(Decimal(value), _language())


# Rates, days and moments are written as on every other page of the app (one implementation: web's ``money``).
register.filter("rate", shared.rate)
register.filter("day", shared.day)
register.filter("moment", shared.moment)


@register.simple_tag
def query_with(query: QueryDict, **changes: Any) -> str:
    """``?`` + ``query`` with some parameters replaced (``None`` or ``""`` removes one): sort links, pages."""
    updated = query.copy()
    for name, value in changes.items():
        if value in (None, ""):
            updated.pop(name, None)
        else:
            updated[name] = str(value)
    encoded = updated.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def get(mapping: dict[Any, Any], key: Any) -> Any:
    """``{{ labels|get:document.document_type }}``: a dictionary entry, or the key itself when it has none."""
    return mapping.get(key, key) if key is not None else ""


@register.filter
def control(field: BoundField) -> str:
    """A form field's widget with Bootstrap's class, marked invalid and tied to its error text when it has one."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    attrs: dict[str, str | bool] = {"class": css + (" is-invalid" if field.errors else "")}
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.id_for_label}-error"
    return field.as_widget(attrs=attrs)
