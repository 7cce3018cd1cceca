"""Money, numbers and dates on the seller's pages in the page's language, as the PDFs write them.

``{% load money %}`` then ``{{ order.total|money:order.currency }}`` gives
``1.264,45 RON`` in Romanian, ``1 264,45 RON`` in Slovak and Hungarian, and
``RON 1,264.45`` in English; ``{{ line.quantity|number }}`` drops trailing
zeros (``2.500`` -> ``2,5``), ``{{ line.vat_rate|rate }}`` is ``21 %`` or
``21%``, ``{{ order.placed_at|day }}`` and ``|moment`` the date (and time, in
the active time zone) as the language writes them. The formatting is
``faktura.pdf.formatting``'s (Babel's CLDR data), so a page and its PDF agree.
A value that is not a number is shown as it is: a page never fails on bad data.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from faktura.pdf import formatting

register = template.Library()

# A currency without a symbol of its own comes out glued to the figure in English ("RON10.00").
_GLUED_CODE = re.compile(r"^(-?[A-Z]{3})(?=[\d-])")


def page_language() -> str:
    return (get_language() or "en").split("-")[0]


def _decimal(value: object) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


@register.filter
def money(value: object, currency: str) -> str:
    number = _decimal(value)
    if number is None or not currency:
        return str(value)
    return _GLUED_CODE.sub("\\1\xa0", formatting.money(number, currency, page_language()))


@register.filter
def number(value: object) -> str:
    found = _decimal(value)
    return str(value) if found is None else formatting.quantity(found, page_language())


@register.filter
def rate(value: object) -> str:
    found = _decimal(value)
    return str(value) if found is None else formatting.rate(found, page_language())


@register.filter
def day(value: dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return formatting.date(value, page_language())


@register.filter
def moment(value: dt.datetime | None) -> str:
    """A date and time in the active time zone (``{% timezone %}`` the seller's)."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{formatting.date(local.date(), page_language())} {local:%H:%M}"


def country(code: str) -> str:
    """A country's name in the page's language (``RO`` -> ``Romania``, ``Rumunsko``)."""
    try:
        return str(formatting.country(code.upper(), page_language())) if code else ""
    except ValueError:
        return code
