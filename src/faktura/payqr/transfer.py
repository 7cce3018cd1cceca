"""What a payment QR code asks the buyer's bank to do: one credit transfer.

A ``Payment`` is built from a document by ``payment(...)``, which checks every
value once, with the same rules whichever scheme prints it: the IBAN and BIC
with python-stdnum (through ``faktura.core.identifiers``), the amount as a
positive Decimal of the currency's minor units, the Slovak payment symbols as
digits. Text that a person typed (the beneficiary's name, the note) is put on
one line: tabs and line breaks separate the fields of both payloads, so they
never reach one.

>>> from datetime import date
>>> from decimal import Decimal
>>> p = payment(beneficiary="Kvetinárstvo s.r.o.", iban="SK96 1100 0000 0029 1859 9669",
...             amount=Decimal("1234.5"), currency="eur", due_date=date(2025, 3, 31),
...             variable_symbol="2025000123", note="Faktúra\\t2025000123")
>>> p.iban, p.amount, p.currency, p.note
('SK9611000000002918599669', Decimal('1234.50'), 'EUR', 'Faktúra 2025000123')
>>> payment(beneficiary="A", iban="SK9611000000002918599669", amount=Decimal("0"), currency="EUR")
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: amount: the amount to pay must be more than zero
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision

from faktura.core import identifiers
from faktura.core.errors import InvalidValue, MissingValue

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_CURRENCY = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class Payment:
    """One credit transfer to the seller; empty strings are absent values."""

    beneficiary: str
    iban: str
    amount: Decimal
    currency: str
    bic: str = ""
    due_date: date | None = None
    variable_symbol: str = ""
    constant_symbol: str = ""
    specific_symbol: str = ""
    reference: str = ""
    note: str = ""


def one_line(value: str) -> str:
    """The text with control characters (tab, line breaks) turned into single spaces.

    >>> one_line("  Acme\\tTrading\\r\\nLtd  ")
    'Acme Trading Ltd'
    """
    return " ".join(_CONTROL.sub(" ", value).split())


def digits(value: str, *, field: str, most: int) -> str:
    """A payment symbol: up to ``most`` digits, or empty.

    >>> digits(" 0308 ", field="constant_symbol", most=4)
    '0308'
    >>> digits("12a", field="variable_symbol", most=10)
    Traceback (most recent call last):
    ...
    faktura.core.errors.InvalidValue: variable_symbol: must be digits only, at most 10 of them
    """
    squeezed = "".join(value.split())
    if squeezed and not (squeezed.isascii() and squeezed.isdigit() and len(squeezed) <= most):
        raise InvalidValue(f"must be digits only, at most {most} of them", field=field)
    return squeezed


def variable_symbol_from(number: str) -> str:
    """The Slovak/Czech variable symbol of a document number: its digits, the last ten of them.

    Banks match incoming transfers by it, so the document number is the usual one.

    >>> variable_symbol_from("FV-2025/000123"), variable_symbol_from("INV-ABC")
    ('2025000123', '')
    >>> variable_symbol_from("RO-2025-2025-000123")
    '2025000123'
    """
    only_digits = "".join(ch for ch in number if ch.isascii() and ch.isdigit())
    return only_digits[-10:]


def payment(
    *,
    beneficiary: str,
    iban: str,
    amount: Decimal,
    currency: str,
    bic: str = "",
    due_date: date | None = None,
    variable_symbol: str = "",
    constant_symbol: str = "",
    specific_symbol: str = "",
    reference: str = "",
    note: str = "",
) -> Payment:
    """A checked ``Payment``; raises ``InvalidValue``/``MissingValue`` naming the field."""
    name = one_line(beneficiary)
    if not name:
        raise MissingValue("the beneficiary's name is required", field="beneficiary")
    code = currency.strip().upper()
    if not _CURRENCY.fullmatch(code):
        raise InvalidValue(f"{currency!r} is not an ISO 4217 currency code", field="currency")
    return Payment(
        beneficiary=name,
        iban=identifiers.iban(iban, field="iban"),
        bic=identifiers.bic(bic, field="bic") if bic.strip() else "",
        amount=_amount(amount, code),
        currency=code,
        due_date=due_date,
        variable_symbol=digits(variable_symbol, field="variable_symbol", most=10),
        constant_symbol=digits(constant_symbol, field="constant_symbol", most=4),
        specific_symbol=digits(specific_symbol, field="specific_symbol", most=10),
        reference="".join(reference.split()).upper(),
        note=one_line(note),
    )


def _amount(value: Decimal, currency: str) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidValue(f"{value!r} is not an amount", field="amount") from None
    if not amount.is_finite() or amount <= 0:
        raise InvalidValue("the amount to pay must be more than zero", field="amount")
    places = Decimal(1).scaleb(-get_currency_precision(currency))
    if amount != amount.quantize(places):
        raise InvalidValue(f"{amount} has more decimal places than {currency} allows", field="amount")
    return amount.quantize(places)
