"""Money: a Decimal amount rounded to the minor unit of its ISO 4217 currency.

Amounts are ``Decimal``, never ``float``: a float cannot hold 0.10 exactly, and
an invoice that is a cent off is a wrong invoice.

A currency is an ISO 4217 code that Babel (CLDR) knows; lowercase input is
accepted and normalised. Babel also decides the number of decimals, and we use
what it says even where cash practice differs: HUF has 2 decimals in CLDR
(forint coins round to 5 Ft, but invoices and bank transfers use fillér) and
JPY has 0:

>>> EUR, HUF, JPY = Currency.parse("eur"), Currency.parse("HUF"), Currency.parse("JPY")
>>> EUR.code, EUR.precision, HUF.precision, JPY.precision
('EUR', 2, 2, 0)
>>> Currency.parse("EURO", field="currency")
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: currency: unknown currency code 'EURO'; use an ISO 4217 code such as EUR

Every amount is rounded to the currency's precision with ``ROUND_HALF_UP``,
which in Python's ``decimal`` means half *away from zero*. Rounding is
therefore symmetric, ``round(-x) == -round(x)``, which is what makes a credit
note the exact negative of the invoice it cancels:

>>> quantize(Decimal("2.675"), EUR), quantize(Decimal("-2.675"), EUR)
(Decimal('2.68'), Decimal('-2.68'))
>>> quantize(Decimal("1234.5"), JPY), quantize(Decimal("-0.004"), EUR)
(Decimal('1235'), Decimal('0.00'))

``Money`` rounds on construction and after every operation:

>>> price = Money(Decimal("19.999"), EUR)
>>> price
Money(amount=Decimal('20.00'), currency=Currency(code='EUR'))
>>> str(price * 3 - Money(Decimal("0.5"), EUR)), str(-price)
('59.50 EUR', '-20.00 EUR')
>>> Money(Decimal("1"), EUR) < Money(Decimal("2"), EUR)
True

Mixing currencies or using floats is an error, never a silent conversion:

>>> price + Money(Decimal("1"), HUF)
Traceback (most recent call last):
...
faktura.core.errors.CurrencyMismatch: cannot combine EUR and HUF
>>> Money(0.1, EUR)
Traceback (most recent call last):
...
TypeError: Money amount must be a Decimal, not float
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import cache

from babel.numbers import get_currency_precision, list_currencies

from faktura.core.errors import CurrencyMismatch, InvalidValue

# Wide enough for any real amount; InvalidOperation (an amount too large to
# quantize) is trapped rather than silently producing NaN.
_CONTEXT = Context(prec=100, rounding=ROUND_HALF_UP, traps=[InvalidOperation])

# Every code CLDR knows, including historical ones (DEM, ATS): old documents
# and imports may still carry them.
_KNOWN_CODES: frozenset[str] = frozenset(list_currencies())


@dataclass(frozen=True, slots=True)
class Currency:
    """An ISO 4217 currency known to Babel; build it with ``Currency.parse``."""

    code: str

    def __post_init__(self) -> None:
        if self.code not in _KNOWN_CODES:
            raise InvalidValue(_unknown(self.code), field="currency")

    @classmethod
    def parse(cls, code: str, *, field: str = "currency") -> Currency:
        """Validate and normalise user input (``" eur"`` -> ``EUR``)."""
        normalised = code.strip().upper() if isinstance(code, str) else code
        if normalised not in _KNOWN_CODES:
            raise InvalidValue(_unknown(code), field=field)
        return cls(normalised)

    @property
    def precision(self) -> int:
        """Number of decimals of the minor unit, as Babel (CLDR) defines it."""
        return _precision(self.code)

    @property
    def quantum(self) -> Decimal:
        """The smallest amount, e.g. ``Decimal('0.01')`` for EUR."""
        return _quantum(self.code)

    def __str__(self) -> str:
        return self.code


@cache
def _precision(code: str) -> int:
    return int(get_currency_precision(code))


@cache
def _quantum(code: str) -> Decimal:
    return Decimal(1).scaleb(-_precision(code))


def _unknown(code: object) -> str:
    return f"unknown currency code {code!r}; use an ISO 4217 code such as EUR"


def quantize(amount: Decimal, currency: Currency) -> Decimal:
    """Round ``amount`` half away from zero to the currency's minor unit.

    A negative zero is returned as zero, so ``-0.004`` prints as ``0.00``.
    """
    rounded = amount.quantize(currency.quantum, rounding=ROUND_HALF_UP, context=_CONTEXT)
    return rounded.copy_abs() if rounded.is_zero() else rounded


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in one currency, always rounded to that currency's precision."""

    amount: Decimal
    currency: Currency

    def __post_init__(self) -> None:
        amount: object = self.amount
        if not isinstance(amount, Decimal):
            raise TypeError(f"Money amount must be a Decimal, not {type(amount).__name__}")
        if not amount.is_finite():
            raise InvalidValue(f"must be a finite number, not {amount}", field="amount")
        if not isinstance(self.currency, Currency):
            raise TypeError(f"Money currency must be a Currency, not {type(self.currency).__name__}")
        object.__setattr__(self, "amount", quantize(amount, self.currency))

    @classmethod
    def zero(cls, currency: Currency) -> Money:
        return cls(Decimal(0), currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            raise TypeError(f"Money can be multiplied by a Decimal or an int, not {type(factor).__name__}")
        if isinstance(factor, Decimal) and not factor.is_finite():
            raise InvalidValue(f"must be a finite number, not {factor}", field="factor")
        return Money(_CONTEXT.multiply(self.amount, Decimal(factor)), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount >= other.amount

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
