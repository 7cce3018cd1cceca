'''The generic payload (version 1): what a shop with its own code pushes to Faktura.

Every event carries the **whole order as it is now**, so deliveries may arrive
late, twice or out of order: the receiver upserts the snapshot (keyed by
``order.external_id``) and deduplicates by ``event_id`` (the same as the
``Faktura-Event-Id`` header). ``type`` says what happened:

* ``order.upserted``: created or changed;
* ``order.status_changed``: only the status moved;
* ``order.payment_recorded``: money came in; ``payment`` is required;
* ``order.cancelled``: ``order.status`` must be ``cancelled``;
* ``order.refunded``: money went back; ``refund`` is optional (absent: all of it).

Amounts, quantities and rates may be JSON numbers or strings (``"49.90"``); both
are read as exact decimals. Times are ISO 8601 with an offset. Optional keys may
be left out; unknown keys are ignored, so later minor versions only add keys::

    {
      "version": 1,
      "event_id": "evt_01JD3",
      "type": "order.upserted" | "order.status_changed" | "order.payment_recorded"
              | "order.cancelled" | "order.refunded",
      "order": {
        "external_id": "10045",                    required, the shop's id
        "number": "RO-10045",                      optional, defaults to external_id
        "status": "new" | "accepted" | "processing" | "shipped" | "delivered"
                  | "completed" | "cancelled" | "returned",
        "payment_method": "card" | "bank_transfer" | "cash_on_delivery" | "cash" | "paypal" | "other",
        "delivery_method": "Fan Courier",          optional
        "currency": "RON",
        "pricing": "gross" | "net",                optional, default gross
        "placed_at": "2026-11-20T10:15:00+02:00",
        "updated_at": "2026-11-20T10:17:00+02:00", optional: when your system last changed the order;
                                                   a snapshot not newer than the stored one is stale
        "buyer": {"name", "email", "company", "vat_id", "street", "city", "postal_code",
                  "country" (ISO 3166-1 alpha-2), "phone", "billing_details_entered" (default true)},
        "lines": [{"sku", "barcode", "name", "quantity", "unit_price", "vat_rate" (percent),
                   "discount" (amount for the whole line, default 0)}],
        "shipping": {"amount", "vat_rate"}        optional
      },
      "payment": {"amount", "at", "reference"},   order.payment_recorded only
      "refund": {"amount", "at", "reference"}     order.refunded, optional
    }

>>> event = parse_generic(b"""{"version": 1, "event_id": "evt_1", "type": "order.upserted", "order": {
...   "external_id": "10045", "status": "processing", "payment_method": "card", "currency": "ron",
...   "placed_at": "2026-11-20T10:15:00+02:00", "buyer": {"name": "Ana Popescu", "country": "ro"},
...   "lines": [{"name": "Cana ceramica", "quantity": 2, "unit_price": 49.90, "vat_rate": "21"}]}}""")
>>> event.order.number, event.order.currency, event.order.buyer.country, event.order.lines[0].unit_price
('10045', 'RON', 'RO', Decimal('49.90'))
>>> from faktura.core.errors import InvalidValue
>>> try:
...     parse_generic(b'{"version": 1, "event_id": "e", "type": "order.deleted", "order": {}}')
... except InvalidValue as err:
...     print(err.field, "|", err.message[:40])
type | must be one of order.upserted, order.sta
'''

from __future__ import annotations

from faktura.core import countries
from faktura.core.errors import InvalidValue
from faktura.core.money import Currency
from faktura.core.rules.facts import OrderStatus, PaymentMethod
from faktura.webhooks.payloads._read import ZERO, Node, choice, rate
from faktura.webhooks.payloads.model import (
    BuyerPayload,
    EventType,
    GenericEvent,
    LinePayload,
    OrderPayload,
    PaymentPayload,
    Pricing,
    ShippingPayload,
)

__all__ = ["VERSION", "parse_generic"]

VERSION = 1


def parse_generic(body: bytes) -> GenericEvent:
    """Read one generic (version 1) delivery from its raw body."""
    root = Node.parse(body)
    if root.raw("version") != VERSION:
        raise InvalidValue(f"must be {VERSION}", field="version")
    event_type = choice(root, "type", EventType)
    order = _order(root.obj("order"))
    payment = _payment(root.obj("payment")) if event_type is EventType.ORDER_PAYMENT_RECORDED else None
    refund_node = root.optional_obj("refund") if event_type is EventType.ORDER_REFUNDED else None
    if event_type is EventType.ORDER_CANCELLED and order.status is not OrderStatus.CANCELLED:
        raise InvalidValue("must be cancelled for an order.cancelled event", field="order.status")
    return GenericEvent(
        event_id=root.text("event_id", required=True),
        type=event_type,
        order=order,
        payment=payment,
        refund=_payment(refund_node) if refund_node is not None else None,
    )


def _order(node: Node) -> OrderPayload:
    external_id = node.text("external_id", required=True)
    return OrderPayload(
        external_id=external_id,
        number=node.text("number") or external_id,
        status=choice(node, "status", OrderStatus),
        payment_method=choice(node, "payment_method", PaymentMethod, default=PaymentMethod.OTHER),
        delivery_method=node.text("delivery_method"),
        currency=Currency.parse(node.text("currency", required=True), field=node.field("currency")).code,
        pricing=choice(node, "pricing", Pricing, default=Pricing.GROSS),
        placed_at=node.moment("placed_at"),
        buyer=_buyer(node.obj("buyer")),
        lines=tuple(_line(item) for item in node.items("lines", required=True)),
        shipping=_shipping(node.optional_obj("shipping")),
        updated_at=node.optional_moment("updated_at"),
    )


def _buyer(node: Node) -> BuyerPayload:
    country = node.text("country")
    return BuyerPayload(
        name=node.text("name", required=True),
        email=node.text("email"),
        company=node.text("company"),
        vat_id=node.text("vat_id"),
        street=node.text("street"),
        city=node.text("city"),
        postal_code=node.text("postal_code"),
        country=countries.country(country, field=node.field("country")) if country else "",
        phone=node.text("phone"),
        billing_details_entered=node.flag("billing_details_entered", default=True),
    )


def _line(node: Node) -> LinePayload:
    quantity = node.decimal("quantity")
    if quantity <= 0:
        raise InvalidValue("must be positive", field=node.field("quantity"))
    return LinePayload(
        name=node.text("name", required=True),
        quantity=quantity,
        unit_price=node.decimal("unit_price"),
        vat_rate=rate(node, "vat_rate"),
        discount=node.decimal("discount", default=ZERO),
        sku=node.text("sku"),
        barcode=node.text("barcode"),
    )


def _shipping(node: Node | None) -> ShippingPayload:
    if node is None:
        return ShippingPayload()
    return ShippingPayload(amount=node.decimal("amount", default=ZERO), vat_rate=rate(node, "vat_rate", optional=True))


def _payment(node: Node) -> PaymentPayload:
    return PaymentPayload(amount=node.decimal("amount"), at=node.moment("at"), reference=node.text("reference"))
