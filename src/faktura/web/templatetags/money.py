"""Money and numbers on the seller's pages in the language of the page (Babel's CLDR data).

``{% load money %}`` then ``{{ order.total|money:order.currency }}`` gives
``1.264,45 RON`` in Romanian, ``1 264,45 RON`` in Slovak and Hungarian, and
``1,264.45 RON`` in English (European English: the amount, then the code, as
on the documents). ``{{ line.quantity|number }}`` drops trailing zeros
(``2.500`` -> ``2,5``). A value that is not a number is shown as it is: a page
never fails on bad data.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal
from django import template
from django.utils.translation import get_language

register = template.Library()

# Babel's plain English puts the code before the amount without a space ("RON1,264.45").
_BABEL_LOCALE = {"en": "en_150"}


def page_locale() -> str:
    language = (get_language() or "en").split("-")[0]
    return _BABEL_LOCALE.get(language, language)


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
    return format_currency(number, currency, locale=page_locale())


@register.filter
def number(value: object) -> str:
    found = _decimal(value)
    if found is None:
        return str(value)
    return format_decimal(found, locale=page_locale(), decimal_quantization=False)
