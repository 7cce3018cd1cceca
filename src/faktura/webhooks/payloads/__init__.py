"""Order payloads from inbound webhooks: one dataclass shape, one parser per sender.

Each parser takes the raw JSON body and returns channel-independent dataclasses;
money is read as ``Decimal`` straight from the JSON text. Missing values raise
``MissingValue`` and invalid ones ``InvalidValue``, both with a dotted field path
(``line_items.2.quantity``).
"""

from faktura.webhooks.payloads.generic import parse_generic
from faktura.webhooks.payloads.model import (
    BuyerPayload,
    EventType,
    GenericEvent,
    LinePayload,
    OrderPayload,
    PaymentPayload,
    Pricing,
    RefundPayload,
    ShippingPayload,
)
from faktura.webhooks.payloads.shopify import parse_shopify
from faktura.webhooks.payloads.woocommerce import parse_woocommerce

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
    "parse_generic",
    "parse_shopify",
    "parse_woocommerce",
]
