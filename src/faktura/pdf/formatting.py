"""Numbers, money, dates and rates in a document's language, by Babel (CLDR).

Every figure on a PDF is formatted here, in Python, and reaches the template
as finished text. German and Romanian group with a dot, the Slavic languages
and Hungarian with a no-break space; English is the EU's (Ireland's) English:

>>> from decimal import Decimal as D
>>> [money(D("1234.56"), "EUR", lang) for lang in ("de", "ro", "en")]
['1.234,56\\xa0€', '1.234,56\\xa0EUR', '€1,234.56']
>>> [amount(D("1234.56"), "EUR", lang) for lang in ("sk", "cs", "pl", "hu")]
['1\\xa0234,56', '1\\xa0234,56', '1\\xa0234,56', '1\\xa0234,56']
>>> amount(D("1234"), "JPY", "de"), unit_price(D("0.123400"), "EUR", "de")
('1.234', '0,1234')
>>> quantity(D("2.000"), "de"), quantity(D("1.5"), "sk"), rate(D("21.00"), "de"), rate(D("5.5"), "en")
('2', '1,5', '21\\xa0%', '5.5%')
>>> import datetime as dt
>>> [date(dt.date(2026, 3, 5), lang) for lang in ("ro", "sk", "hu", "cs", "en", "de", "pl")]
['05.03.2026', '5. 3. 2026', '2026. 03. 05.', '5. 3. 2026', '5 Mar 2026', '05.03.2026', '5.03.2026']
>>> country("DE", "sk"), country("SK", "de")
('Nemecko', 'Slowakei')
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_currency, format_decimal, format_percent

# English documents follow the EU's conventions (day before month, euro sign first).
_LOCALES = {"en": "en_IE"}


def locale_of(language: str) -> str:
    return _LOCALES.get(language, language)


def money(value: Decimal, currency: str, language: str) -> str:
    """An amount with its currency, as the locale writes it: ``1 234,56 €``."""
    return format_currency(value, currency, locale=locale_of(language))


def amount(value: Decimal, currency: str, language: str) -> str:
    """An amount without its currency sign (table cells), at the currency's precision."""
    return format_currency(value, currency, format="#,##0.00", locale=locale_of(language))


def unit_price(value: Decimal, currency: str, language: str) -> str:
    """A unit price: the currency's precision, up to four decimals where the price has them."""
    if value == value.quantize(Decimal("0.01")):
        return amount(value, currency, language)
    return format_decimal(value, format="#,##0.00##", locale=locale_of(language))


def quantity(value: Decimal, language: str) -> str:
    return format_decimal(value, format="#,##0.####", locale=locale_of(language))


def rate(percent: Decimal, language: str) -> str:
    """A VAT rate given in percent: ``21 %`` in German, ``21%`` in English."""
    return format_percent(percent.normalize() / 100, locale=locale_of(language), decimal_quantization=False)


def date(value: dt.date, language: str) -> str:
    """Numeric dates with a four-digit year; English spells the month (no 03/05 ambiguity)."""
    if language == "en":
        return format_date(value, "medium", locale=locale_of(language))
    return format_skeleton("yMMdd", value, locale=locale_of(language))


def country(code: str, language: str) -> str:
    """A country's name in the document language (``DE`` -> ``Nemecko`` in Slovak)."""
    return Locale.parse(locale_of(language)).territories.get(code, code)
