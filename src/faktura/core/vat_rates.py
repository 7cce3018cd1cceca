"""VAT rates of the EU member states over time, and the check of a line's rate.

The rate that applies is the one in force at the tax point (the date of
supply, or of an advance payment), not the issue date: goods delivered in
Romania on 2025-07-31 carry 19 % even on an invoice issued in August. Callers
pass that date as ``on``.

>>> rates_for("RO", date(2025, 7, 31)).standard, sorted(rates_for("RO", date(2025, 7, 31)).reduced)
(Decimal('19'), [Decimal('5'), Decimal('9')])
>>> rates_for("RO", date(2025, 8, 1))
CountryRates(standard=Decimal('21'), reduced=frozenset({Decimal('11')}))
>>> rates_for("US", date(2026, 1, 15))
Traceback (most recent call last):
...
faktura.core.errors.NotFound: country: Faktura knows no VAT rates of the United States on 2026-01-15

``reduced`` holds every positive rate below the standard one: reduced,
super-reduced and parking rates alike, since the seller picks them all as the
category "reduced". A standard line must carry the standard rate, a reduced
line one of the reduced rates, and an OSS line any positive rate of the
destination country (passed as ``country``). A rate that does not fit raises
``InvalidValue`` on the ``vat_rate`` field (or the one passed as ``field``):

>>> def check(country, category, rate, on=date(2026, 1, 15)):
...     try:
...         validate_rate(country=country, category=VatCategory(category), rate=Decimal(rate), on=on)
...     except InvalidValue as error:
...         print(error.message)
>>> check("RO", "standard", "21")
>>> check("RO", "reduced", "9")
9 % is not a reduced VAT rate of Romania on 2026-01-15; use 21 (standard) or 11 (reduced)
>>> check("RO", "reduced", "9", on=date(2025, 7, 31))
>>> check("DE", "oss", "21")
21 % is not a VAT rate of Germany on 2026-01-15; use 19 (standard) or 7 (reduced)

Every other category (zero, exempt, reverse charge, intra-EU, export) is 0 %:

>>> check("SK", "reverse_charge", "23")
23 % is not allowed for category reverse_charge; the rate must be 0

Outside the EU, and before the first date the table covers, Faktura knows no
rates: a taxed line may carry any rate above 0 and below 100. Refusing would
stop sellers from invoicing where we have no data; the seller's rate is the
better guess. OSS, however, only ever taxes in a member state.

What the table holds: the standard and reduced rates of each member state
from a date on which the whole set is known, with every change since then.
It does not hold regional rates (Madeira, Azores, Canary Islands, Mount
Athos, Büsingen, Heligoland, Jungholz), rates limited by transitional rules
to contracts or advances from before a change (Romania's 9 % and 5 % for
housing until 2026-07-31), or the 0 % some states call a rate (category ZERO).

Where the figures come from, and where to re-check them before changing a
row: the European Commission's "VAT rates applied in the Member States" and
its Taxes in Europe Database, and for the core markets these laws (changes
since 2024 were also cross-checked against tax advisers' notices):

- RO: Fiscal Code (Law 227/2015) art. 291, 20 % in 2016, 19 % / 9 % / 5 % from
  2017-01-01; Law 141/2025 (Monitorul Oficial no. 699 of 2025-07-25): 21 %
  and a single reduced 11 % from 2025-08-01.
- SK: Act 222/2004 Coll. § 27, 20 % / 10 %; 5 % added on 2023-01-01 (rental
  housing); Act 278/2024 Coll.: 23 % / 19 % / 5 % from 2025-01-01.
- HU: Áfa tv. (Act CXXVII of 2007) § 82 and annexes 3 and 3/A, 27 % / 18 % / 5 %
  from 2012-01-01.
- CZ: Act 235/2004 Coll. § 47, 21 % / 15 % / 10 % from 2015-01-01; Act 349/2023
  Coll.: 21 % / 12 % from 2024-01-01.
- DE: UStG § 12, 19 % / 7 % from 2007-01-01; Zweites Corona-Steuerhilfegesetz:
  16 % / 5 % from 2020-07-01 to 2020-12-31.
- PL: VAT Act art. 41 and 146ef, 23 % / 8 % / 5 % from 2011-01-01.

Later changes elsewhere: EE 22 % (2024-01-01), 13 % / 9 % reduced (2025-01-01),
24 % (2025-07-01); FI 25.5 % (2024-09-01), 13.5 % replacing 14 % (2026-01-01);
LT 12 % replacing 9 % (2026-01-01); LU 16 % / 13 % / 7 % for 2023; MT 12 %
added (2024-01-01); CY 3 % added (2023-07-21).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from faktura.core import countries
from faktura.core.countries import EU_MEMBER_STATES, country_name
from faktura.core.errors import InvalidValue, NotFound
from faktura.core.vat import VatCategory


@dataclass(frozen=True)
class CountryRates:
    """The rates of one member state on one day; ``reduced`` may be empty (Denmark)."""

    standard: Decimal
    reduced: frozenset[Decimal]


# country: (first day, standard, reduced rates), oldest first; each row holds until the next
_TABLE: dict[str, tuple[tuple[date, str, str], ...]] = {
    "AT": ((date(2022, 1, 1), "20", "13 10"),),
    "BE": ((date(2015, 1, 1), "21", "12 6"),),
    "BG": ((date(2015, 1, 1), "20", "9"),),
    "CY": ((date(2014, 1, 13), "19", "9 5"), (date(2023, 7, 21), "19", "9 5 3")),
    "CZ": ((date(2015, 1, 1), "21", "15 10"), (date(2024, 1, 1), "21", "12")),
    "DE": (
        (date(2007, 1, 1), "19", "7"),
        (date(2020, 7, 1), "16", "5"),
        (date(2021, 1, 1), "19", "7"),
    ),
    "DK": ((date(2015, 1, 1), "25", ""),),
    "EE": (
        (date(2024, 1, 1), "22", "9 5"),
        (date(2025, 1, 1), "22", "13 9"),
        (date(2025, 7, 1), "24", "13 9"),
    ),
    "ES": ((date(2025, 1, 1), "21", "10 4"),),
    "FI": (
        (date(2013, 1, 1), "24", "14 10"),
        (date(2024, 9, 1), "25.5", "14 10"),
        (date(2026, 1, 1), "25.5", "13.5 10"),
    ),
    "FR": ((date(2014, 1, 1), "20", "10 5.5 2.1"),),
    "GR": ((date(2016, 6, 1), "24", "13 6"),),
    "HR": ((date(2014, 1, 1), "25", "13 5"),),
    "HU": ((date(2012, 1, 1), "27", "18 5"),),
    "IE": ((date(2021, 3, 1), "23", "13.5 9 4.8"),),
    "IT": ((date(2017, 1, 1), "22", "10 5 4"),),
    "LT": ((date(2015, 1, 1), "21", "9 5"), (date(2026, 1, 1), "21", "12 5")),
    "LU": (
        (date(2015, 1, 1), "17", "14 8 3"),
        (date(2023, 1, 1), "16", "13 7 3"),
        (date(2024, 1, 1), "17", "14 8 3"),
    ),
    "LV": ((date(2018, 1, 1), "21", "12 5"),),
    "MT": ((date(2015, 1, 1), "18", "7 5"), (date(2024, 1, 1), "18", "12 7 5")),
    "NL": ((date(2019, 1, 1), "21", "9"),),
    "PL": ((date(2011, 1, 1), "23", "8 5"),),
    "PT": ((date(2012, 1, 1), "23", "13 6"),),
    "RO": (
        (date(2016, 1, 1), "20", "9 5"),
        (date(2017, 1, 1), "19", "9 5"),
        (date(2025, 8, 1), "21", "11"),
    ),
    "SE": ((date(2015, 1, 1), "25", "12 6"),),
    "SI": ((date(2020, 1, 1), "22", "9.5 5"),),
    "SK": (
        (date(2011, 1, 1), "20", "10"),
        (date(2023, 1, 1), "20", "10 5"),
        (date(2025, 1, 1), "23", "19 5"),
    ),
}

_RATES: dict[str, tuple[list[date], list[CountryRates]]] = {
    cc: (
        [since for since, _, _ in rows],
        [
            CountryRates(Decimal(standard), frozenset(Decimal(r) for r in reduced.split()))
            for _, standard, reduced in rows
        ],
    )
    for cc, rows in _TABLE.items()
}


def _lookup(cc: str, on: date) -> CountryRates | None:
    if cc not in _RATES:
        return None
    starts, rates = _RATES[cc]
    index = bisect_right(starts, on) - 1
    return rates[index] if index >= 0 else None


def rates_for(country: str, on: date) -> CountryRates:
    """The standard and reduced rates of a member state at the tax point ``on``."""
    cc = countries.country(country)
    rates = _lookup(cc, on)
    if rates is None:
        name = country_name(cc, in_sentence=True)
        raise NotFound(f"Faktura knows no VAT rates of {name} on {on.isoformat()}", field="country")
    return rates


def _percent(rate: Decimal) -> str:
    return format(rate.normalize(), "f")


def _choices(rates: CountryRates) -> str:
    standard = f"{_percent(rates.standard)} (standard)"
    reduced = [_percent(r) for r in sorted(rates.reduced, reverse=True)]
    if not reduced:
        return f"use {standard}"
    if len(reduced) == 1:
        return f"use {standard} or {reduced[0]} (reduced)"
    return f"use {standard} or one of {', '.join(reduced)} (reduced)"


def validate_rate(*, country: str, category: VatCategory, rate: Decimal, on: date, field: str = "vat_rate") -> None:
    """Refuse a rate that does not fit the category in ``country`` at the tax point ``on``.

    For OSS, ``country`` is the member state of destination.
    """
    if not isinstance(rate, Decimal):
        raise TypeError(f"VAT rate must be a Decimal, not {type(rate).__name__}")
    if not rate.is_finite():
        raise InvalidValue(f"{rate} is not a VAT rate", field=field)
    if not category.is_taxed:
        if rate != 0:
            message = f"{_percent(rate)} % is not allowed for category {category}; the rate must be 0"
            raise InvalidValue(message, field=field)
        return
    if not 0 < rate < 100:
        message = f"{_percent(rate)} % is not a VAT rate; a taxed line needs a rate above 0 and below 100"
        raise InvalidValue(message, field=field)
    cc = countries.country(country)
    name = country_name(cc, in_sentence=True)
    if category is VatCategory.OSS and cc not in EU_MEMBER_STATES:
        raise InvalidValue(f"OSS applies to sales to EU member states, and {name} is not one", field=field)
    rates = _lookup(cc, on)
    if rates is None:
        return
    if category is VatCategory.STANDARD:
        fits, what = rate == rates.standard, "the standard VAT rate"
    elif category is VatCategory.REDUCED:
        fits, what = rate in rates.reduced, "a reduced VAT rate"
    else:
        fits, what = rate == rates.standard or rate in rates.reduced, "a VAT rate"
    if not fits:
        message = f"{_percent(rate)} % is not {what} of {name} on {on.isoformat()}; {_choices(rates)}"
        raise InvalidValue(message, field=field)
