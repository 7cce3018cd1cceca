"""Connector requirements (F4.4): what a channel's connector needs from an order, and what it can issue.

A connector (SmartBill, SuperFaktura, a marketplace's own invoicing...) may
require order data (seed 001: every product needs a SKU or a barcode) and
support only some document types (seed 003). Each connector is registered
once under its name; a channel names its connector. The pipeline asks the
connector about every order before it issues anything: a violation is an error
stored on the order, reported in the API answer and as an ``order.error``
outbound event, never an exception. The rules of a channel are checked against
the connector's document types when they are saved.

A connector is anything with this shape:

>>> class SkuShop:
...     name = "sku-shop"
...     label = "SKU Shop"
...     supported_document_types = frozenset({"invoice", "credit_note"})
...     def check_order(self, order):
...         return [Violation("needs a SKU or a barcode", field=f"lines.{i}.sku")
...                 for i, line in enumerate(order.lines) if not (line.sku or line.barcode)]
>>> register(SkuShop())
>>> get("sku-shop").label
'SKU Shop'
>>> unregister("sku-shop")
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from faktura.core.errors import InvalidValue

__all__ = ["Connector", "OrderLineView", "OrderView", "Violation", "get", "names", "register", "unregister"]


@dataclass(frozen=True)
class OrderLineView:
    position: int
    name: str
    quantity: Decimal
    sku: str
    barcode: str


@dataclass(frozen=True)
class OrderView:
    """What a connector may check: plain data, never a model."""

    external_id: str
    number: str
    currency: str
    buyer_name: str
    buyer_country: str
    buyer_vat_id: str
    lines: tuple[OrderLineView, ...]


@dataclass(frozen=True)
class Violation:
    message: str
    field: str | None = None


class Connector(Protocol):
    name: str
    label: str
    supported_document_types: frozenset[str] | None
    """None: every type rules may issue."""

    def check_order(self, order: OrderView) -> Sequence[Violation]: ...


class SkuOrBarcodeRequired:
    """The requirement of seed 001, ready to use: every line names its product by SKU or barcode."""

    name = "sku-or-barcode"
    label = "SKU or barcode on every line"
    supported_document_types: frozenset[str] | None = None

    def check_order(self, order: OrderView) -> Sequence[Violation]:
        return [
            Violation(f"line {line.position} ({line.name}) needs a SKU or a barcode", field=f"lines.{index}.sku")
            for index, line in enumerate(order.lines)
            if not (line.sku.strip() or line.barcode.strip())
        ]


_REGISTRY: dict[str, Connector] = {}


def register(connector: Connector) -> None:
    _REGISTRY[connector.name] = connector


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def names() -> list[str]:
    return sorted(_REGISTRY)


def get(name: str, *, field: str = "connector") -> Connector:
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(names()) or "none is registered"
        raise InvalidValue(f"unknown connector {name!r}; known: {known}", field=field) from None


register(SkuOrBarcodeRequired())
