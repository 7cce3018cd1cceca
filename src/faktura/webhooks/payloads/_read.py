"""Reading untrusted JSON with dotted field paths in every error (``line_items.2.quantity``).

>>> node = Node.parse(b'{"line_items": [{"quantity": 1}, {"quantity": "abc"}]}')
>>> [item.decimal("quantity") for item in node.items("line_items")]
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: line_items.1.quantity: must be a number, not 'abc'
>>> Node.parse(b'{"price": 19.99}').decimal("price")
Decimal('19.99')
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from faktura.core.errors import InvalidValue, MissingValue

ZERO = Decimal(0)
_HUNDRED = 100
_E = TypeVar("_E", bound=StrEnum)
_MAX_MAGNITUDE = 15
"""Amounts and quantities beyond 10^15 are refused before any arithmetic sees them."""


def _no_constants(name: str) -> object:
    raise InvalidValue(f"{name} is not a number JSON allows", field=None)


class Node:
    """A JSON object and where it sits in the document."""

    def __init__(self, value: dict[str, object], path: str = "") -> None:
        self.value = value
        self.path = path

    @classmethod
    def parse(cls, body: bytes) -> Node:
        try:
            value = json.loads(body, parse_float=Decimal, parse_constant=_no_constants)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidValue(f"the body is not valid JSON: {exc}", field=None) from None
        except RecursionError:
            raise InvalidValue("the body is nested too deeply", field=None) from None
        if not isinstance(value, dict):
            raise InvalidValue("the body must be a JSON object", field=None)
        return cls(value)

    def field(self, key: str | int) -> str:
        return f"{self.path}.{key}" if self.path else str(key)

    def raw(self, key: str) -> object:
        """The value, or ``None`` when absent or null."""
        return self.value.get(key)

    def has(self, key: str) -> bool:
        return self.value.get(key) not in (None, "")

    def obj(self, key: str) -> Node:
        value = self.value.get(key)
        if value is None:
            raise MissingValue("is required", field=self.field(key))
        if not isinstance(value, dict):
            raise InvalidValue("must be an object", field=self.field(key))
        return Node(value, self.field(key))

    def optional_obj(self, key: str) -> Node | None:
        return self.obj(key) if self.value.get(key) is not None else None

    def items(self, key: str, *, required: bool = False) -> Iterator[Node]:
        value = self.value.get(key)
        if value is None or value == []:
            if required:
                raise MissingValue("needs at least one entry", field=self.field(key))
            return
        if not isinstance(value, list):
            raise InvalidValue("must be a list", field=self.field(key))
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise InvalidValue("must be an object", field=f"{self.field(key)}.{index}")
            yield Node(item, f"{self.field(key)}.{index}")

    def text(self, key: str, *, required: bool = False) -> str:
        """A string; integers are accepted for ids (``"id": 10045``)."""
        value = self.value.get(key)
        if value is None:
            if required:
                raise MissingValue("is required", field=self.field(key))
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise InvalidValue("must be a string", field=self.field(key))
        text = str(value).strip()
        if "\x00" in text:
            raise InvalidValue("must not contain NUL characters", field=self.field(key))
        if required and not text:
            raise MissingValue("must not be empty", field=self.field(key))
        return text

    def flag(self, key: str, *, default: bool) -> bool:
        value = self.value.get(key, default)
        if not isinstance(value, bool):
            raise InvalidValue("must be true or false", field=self.field(key))
        return value

    def decimal(self, key: str, *, default: Decimal | None = None, minimum: Decimal | None = ZERO) -> Decimal:
        """A finite number from a JSON number or a numeric string; never a float."""
        value = self.value.get(key)
        if value is None or value == "":
            if default is None:
                raise MissingValue("is required", field=self.field(key))
            return default
        return to_decimal(value, self.field(key), minimum=minimum)

    def moment(self, key: str, *, assume_utc: bool = False) -> datetime:
        """An ISO 8601 time; a time without offset is refused unless the source documents it as UTC."""
        text = self.text(key, required=True)
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidValue(f"must be an ISO 8601 time, not {text!r}", field=self.field(key)) from None
        if moment.tzinfo is None:
            if not assume_utc:
                raise InvalidValue("must carry a UTC offset", field=self.field(key))
            moment = moment.replace(tzinfo=UTC)
        return moment

    def optional_moment(self, key: str, *, assume_utc: bool = False) -> datetime | None:
        """``moment`` when the key is there and not empty, else None."""
        return self.moment(key, assume_utc=assume_utc) if self.has(key) else None


def to_decimal(value: object, field: str, *, minimum: Decimal | None = ZERO) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidValue(f"must be a number, not {value!r}", field=field)
    try:
        number = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        raise InvalidValue(f"must be a number, not {value!r}", field=field) from None
    if not number.is_finite() or (number and abs(number.adjusted()) > _MAX_MAGNITUDE):
        raise InvalidValue(f"must be a finite number of reasonable size, not {value!r}", field=field)
    if minimum is not None and number < minimum:
        raise InvalidValue(f"must be at least {minimum}", field=field)
    return number


PERCENT_PLACES = Decimal("0.01")
MONEY_PLACES = Decimal("0.000001")


def percent(numerator: Decimal, denominator: Decimal) -> Decimal:
    """``numerator / denominator`` as a percentage rounded to two decimals (0 when nothing is taxed)."""
    if not denominator:
        return ZERO.quantize(PERCENT_PLACES)
    return (numerator * 100 / denominator).quantize(PERCENT_PLACES)


def unit(total: Decimal, quantity: Decimal) -> Decimal:
    """The unit price behind a line total: exact when it divides, else rounded to six decimals."""
    price = total / quantity
    exponent = price.as_tuple().exponent
    return price if isinstance(exponent, int) and exponent >= -6 else price.quantize(MONEY_PLACES)


def choice(node: Node, key: str, enum: type[_E], *, default: _E | None = None) -> _E:
    """One of an enumeration's values, the message listing them all."""
    text = node.text(key, required=default is None)
    if not text and default is not None:
        return default
    try:
        return enum(text)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise InvalidValue(f"must be one of {allowed}", field=node.field(key)) from None


def rate(node: Node, key: str, *, optional: bool = False) -> Decimal:
    """A VAT percentage between 0 and 100."""
    value = node.decimal(key, default=ZERO if optional else None)
    if value > _HUNDRED:
        raise InvalidValue("must be a percentage between 0 and 100", field=node.field(key))
    return value
