"""What an order upsert needs, whatever channel pushed it: plain frozen dataclasses.

Every amount is a ``Decimal`` parsed from the JSON text itself (never through
``float``); ``pricing`` says whether ``unit_price``, ``discount`` and the shipping
``amount`` include VAT (``gross``) or not (``net``). A line's ``discount`` is an
amount for the whole line, as in ``OrderLineData``; ``vat_rate`` is a percentage
(``21`` for 21 %). ``placed_at`` is always aware.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from faktura.core.rules.facts import OrderStatus, PaymentMethod

__all__ = [
    "BuyerPayload",
    "EventType",
    "GenericEvent",
    "LinePayload",
    "OrderPayload",
    "PaymentPayload",
    "Pricing",
    "RefundPayload",
    "ShippingPayload",
]

ZERO = Decimal(0)


class EventType(StrEnum):
    ORDER_UPSERTED = "order.upserted"
    ORDER_STATUS_CHANGED = "order.status_changed"
    ORDER_PAYMENT_RECORDED = "order.payment_recorded"
    ORDER_CANCELLED = "order.cancelled"
    ORDER_REFUNDED = "order.refunded"


class Pricing(StrEnum):
    GROSS = "gross"
    NET = "net"


@dataclass(frozen=True)
class BuyerPayload:
    name: str
    email: str = ""
    company: str = ""
    vat_id: str = ""
    street: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""
    phone: str = ""
    billing_details_entered: bool = True


@dataclass(frozen=True)
class LinePayload:
    name: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    discount: Decimal = ZERO
    sku: str = ""
    barcode: str = ""


@dataclass(frozen=True)
class ShippingPayload:
    amount: Decimal = ZERO
    vat_rate: Decimal = ZERO


@dataclass(frozen=True)
class RefundPayload:
    """Money the shop gave back, as its order snapshot lists it; ``refund_id`` is the shop's id of it."""

    refund_id: str
    amount: Decimal
    at: datetime | None = None


@dataclass(frozen=True)
class OrderPayload:
    external_id: str
    number: str
    status: OrderStatus
    payment_method: PaymentMethod
    currency: str
    pricing: Pricing
    placed_at: datetime
    buyer: BuyerPayload
    lines: tuple[LinePayload, ...]
    shipping: ShippingPayload = ShippingPayload()
    delivery_method: str = ""
    updated_at: datetime | None = None
    """When the channel last changed the order (aware): a snapshot not newer than the stored one is stale."""
    paid: Decimal | None = None
    """What the shop says the buyer has paid in all (gross, refunds not deducted); None: it does not say."""
    paid_at: datetime | None = None
    refunds: tuple[RefundPayload, ...] = ()
    """Every refund the shop lists on the order (each is credited once, by its id)."""


@dataclass(frozen=True)
class PaymentPayload:
    """Money that came in (``order.payment_recorded``) or went back (``order.refunded``)."""

    amount: Decimal
    at: datetime
    reference: str = ""


@dataclass(frozen=True)
class GenericEvent:
    """One delivery of the generic schema: the event and the order as it is now."""

    event_id: str
    type: EventType
    order: OrderPayload
    payment: PaymentPayload | None = None
    refund: PaymentPayload | None = None
    delivery_id: str = ""
    """The sender's delivery id, when ``event_id`` is derived from the body (it is not signed)."""
