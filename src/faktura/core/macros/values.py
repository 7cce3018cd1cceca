"""Typed values of macros: what the caller may put in a context, and how a value reads in a document.

Every macro has one of five types. The caller builds the context from its own
data and must give each macro a value of its type; a wrong type is a bug in
that code, not in the seller's template, and raises ``TypeError``:

=============  ==================================  ====================================
type           value in the context                written (Babel, CLDR)
=============  ==================================  ====================================
``text``       ``str``                             as it is
``date``       ``date`` (not ``datetime``)         numeric, four-digit year (``yMMdd``)
``money``      ``Money``                           the language's currency format
``number``     ``Decimal`` or ``int``              grouped, every decimal kept
``boolean``    ``bool``                            yes or no in the language
=============  ==================================  ====================================

The language is one of the document languages (F5.4); Babel decides the
format, so a date reads as people of that language write it:

>>> from datetime import date
>>> [format_value(date(2026, 11, 23), MacroType.DATE, locale=lang) for lang in ("ro", "sk", "cs", "de", "hu", "pl")]
['23.11.2026', '23. 11. 2026', '23. 11. 2026', '23.11.2026', '2026. 11. 23.', '23.11.2026']
>>> [format_value(date(2026, 3, 5), MacroType.DATE, locale=lang) for lang in ("de", "en")]
['05.03.2026', '5 Mar 2026']

English follows the EU's conventions, as the PDF does: the day before the
month, and the month spelled out so that 05/03 is never read as 3 May.

Money uses the currency's own symbol where the language has one (CLDR has none
for the leu in Romanian, so it writes the code):

>>> from decimal import Decimal
>>> from faktura.core.money import Currency, Money
>>> ron, huf = Money(Decimal("1234.56"), Currency("RON")), Money(Decimal("-1234.5"), Currency("HUF"))
>>> format_value(ron, MacroType.MONEY, locale="ro"), format_value(huf, MacroType.MONEY, locale="hu")
('1.234,56\\xa0RON', '-1\\xa0234,50\\xa0Ft')
>>> format_value(Decimal("1234.125"), MacroType.NUMBER, locale="de"), format_value(True, MacroType.BOOLEAN, locale="sk")
('1.234,125', 'áno')
>>> format_value("14", MacroType.NUMBER, locale="en")
Traceback (most recent call last):
...
TypeError: a number macro takes a Decimal or an int, not str
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Context, Decimal, localcontext
from enum import StrEnum

from babel.dates import format_date, format_skeleton
from babel.numbers import format_currency, format_decimal

from faktura.core.countries import language
from faktura.core.money import Money

__all__ = ["YES_NO", "MacroContext", "MacroType", "MacroValue", "accepts", "format_value", "mismatch"]


class MacroType(StrEnum):
    """What a macro holds, which decides how it is written and where it may be used."""

    TEXT = "text"
    DATE = "date"
    MONEY = "money"
    NUMBER = "number"
    BOOLEAN = "boolean"


MacroValue = str | date | Money | Decimal | int | bool

MacroContext = Mapping[str, MacroValue | None]
"""Macro name -> value, built by the caller from its own data. ``None`` or a
missing name means the value is not known (a buyer without a VAT id)."""

YES_NO: Mapping[str, tuple[str, str]] = {
    "ro": ("da", "nu"),
    "sk": ("áno", "nie"),
    "hu": ("igen", "nem"),
    "cs": ("ano", "ne"),
    "en": ("yes", "no"),
    "de": ("ja", "nein"),
    "pl": ("tak", "nie"),
}
"""How a boolean macro (the OSS flag) reads in each document language."""

# A numeric date with a four-digit year; CLDR picks the order, separators and padding.
_DATE_SKELETON = "yMMdd"
# The same Babel locales as the PDF (faktura.pdf.formatting): English documents use Irish English.
_BABEL_LOCALES = {"en": "en_IE"}

_EXPECTED = {
    MacroType.TEXT: "a str",
    MacroType.DATE: "a date",
    MacroType.MONEY: "a Money",
    MacroType.NUMBER: "a Decimal or an int",
    MacroType.BOOLEAN: "a bool",
}


def accepts(macro_type: MacroType, value: object) -> bool:
    """Whether ``value`` is a value of ``macro_type`` (``bool`` is not a number, ``datetime`` not a date)."""
    if macro_type is MacroType.TEXT:
        return isinstance(value, str)
    if macro_type is MacroType.DATE:
        return isinstance(value, date) and not isinstance(value, datetime)
    if macro_type is MacroType.MONEY:
        return isinstance(value, Money)
    if macro_type is MacroType.NUMBER:
        if isinstance(value, Decimal):
            return value.is_finite()
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, bool)


def mismatch(macro_type: MacroType, value: object) -> str:
    """Why ``value`` is refused, e.g. ``a number macro takes a Decimal or an int, not str``."""
    return f"a {macro_type} macro takes {_EXPECTED[macro_type]}, not {type(value).__name__}"


def format_value(value: object, macro_type: MacroType, *, locale: str) -> str:
    """``value`` written in the document language ``locale`` (``sk``, ``de-AT``...)."""
    if not accepts(macro_type, value):
        raise TypeError(mismatch(macro_type, value))
    lang = language(locale, field="locale")
    babel_locale = _BABEL_LOCALES.get(lang, lang)
    if isinstance(value, bool):
        return YES_NO[lang][0 if value else 1]
    if isinstance(value, str):
        return value
    if isinstance(value, Money):
        with localcontext(_context_for(value.amount)):
            return format_currency(value.amount, value.currency.code, locale=babel_locale)
    if isinstance(value, Decimal | int):
        number = Decimal(value)
        with localcontext(_context_for(number)):
            return format_decimal(number, locale=babel_locale, decimal_quantization=False)
    assert isinstance(value, date)
    if lang == "en":
        return format_date(value, "medium", locale=babel_locale)
    return format_skeleton(_DATE_SKELETON, value, locale=babel_locale)


def _context_for(number: Decimal) -> Context:
    """Enough precision for Babel to round ``number`` without an InvalidOperation."""
    digits = len(number.as_tuple().digits) + abs(number.adjusted())
    return Context(prec=max(100, digits + 10))
