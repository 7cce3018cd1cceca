'''WooCommerce order webhooks (``order.created``, ``order.updated``...): the REST v3 order object.

WooCommerce posts the same JSON as ``GET /wp-json/wc/v3/orders/<id>``. What is read:

* ``id`` → ``external_id``; ``number`` (falls back to ``id``) → ``number``;
* ``currency``; ``date_created_gmt`` (UTC without offset) → ``placed_at``;
  ``date_modified_gmt`` → ``updated_at`` (a snapshot not newer than the stored one is stale);
* ``prices_include_tax`` → ``pricing`` (``gross`` when true, else ``net``);
* ``status`` → ``STATUSES``; ``payment_method`` (the gateway id) → ``payment_method``;
* ``billing`` → buyer: ``first_name`` + ``last_name`` (else ``company``, else ``email``),
  ``company``, ``address_1`` (+ ``address_2``), ``city``, ``postcode``, ``country``,
  ``email``, ``phone``; ``billing_details_entered`` when ``address_1`` and ``city`` are set;
* the buyer's VAT id from ``meta_data``, first non-empty of ``VAT_ID_KEYS``: WooCommerce
  core has no such field, plugins store it (EU VAT Number: ``_vat_number``/``vat_number``;
  Romanian invoicing plugins: ``_billing_cif``; checkout field editors: ``_billing_vat``);
* ``line_items`` → lines, ``shipping_lines`` → shipping (summed; ``method_title`` of the
  first one is the delivery method); ``fee_lines`` → one more line each (quantity 1, no SKU),
  so the document's total is the order's ``total``; a negative fee (a discount some plugins
  add as a fee) is spread as a discount over the lines at its VAT rate;
* the money (WooCommerce's own meaning of its fields): ``date_paid_gmt`` set → the buyer paid
  ``total`` (``paid``, on that day); cash on delivery counts as paid only once ``completed``
  (WooCommerce stamps ``date_paid`` when a COD order starts ``processing``, before the
  courier has collected anything); ``refunds`` (``[{"id", "total": "-10.00"}]``) → one
  refund each, by its id.

WooCommerce keeps line amounts **without** VAT whatever the shop's setting
(``subtotal`` before coupons, ``total`` after, ``subtotal_tax``/``total_tax`` beside
them); the float-valued ``price`` is ignored. The unit price is rebuilt from them in
the shop's pricing (gross: ``(subtotal + subtotal_tax) / quantity``), exact when it
divides and otherwise rounded to six decimals; the discount is what coupons took
from the line, in the same pricing (a negative difference from tax rounding counts
as none).

The VAT rate of a line is the sum of the ``rate_percent`` of the order's ``tax_lines``
its ``taxes`` point to (WooCommerce 3.7 and later), else ``total_tax / total`` (or
``subtotal_tax / subtotal`` for a free line) as a percentage rounded to two decimals,
which is approximate for small amounts: 1.74 / 8.26 reads as 21.07 %.

>>> order = parse_woocommerce(b"""{"id": 727, "number": "727", "status": "processing", "currency": "RON",
...   "prices_include_tax": true, "date_created_gmt": "2026-11-20T08:15:00", "payment_method": "bacs",
...   "billing": {"first_name": "Ana", "last_name": "Popescu", "address_1": "Str. Lalelelor 7",
...               "city": "Cluj-Napoca", "postcode": "400001", "country": "RO", "email": "ana@example.ro"},
...   "line_items": [{"name": "Cana ceramica", "sku": "CANA-01", "quantity": 2, "price": 82.644628,
...                   "subtotal": "165.29", "subtotal_tax": "34.71", "total": "148.76", "total_tax": "31.24",
...                   "taxes": [{"id": 1, "total": "31.24", "subtotal": "34.71"}]}],
...   "tax_lines": [{"id": 9, "rate_id": 1, "rate_code": "RO-TVA-1", "rate_percent": 21}]}""")
>>> str(order.status), str(order.payment_method), str(order.pricing), order.placed_at.isoformat()
('accepted', 'bank_transfer', 'gross', '2026-11-20T08:15:00+00:00')
>>> line = order.lines[0]
>>> line.quantity, line.unit_price, line.discount, line.vat_rate
(Decimal('2'), Decimal('100.00'), Decimal('20.00'), Decimal('21.00'))
'''

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from faktura.core import countries
from faktura.core.errors import InvalidValue, MissingValue
from faktura.core.money import Currency
from faktura.core.rules.facts import OrderStatus, PaymentMethod
from faktura.webhooks.payloads._read import PERCENT_PLACES, ZERO, Node, percent, unit
from faktura.webhooks.payloads.model import (
    BuyerPayload,
    LinePayload,
    OrderPayload,
    Pricing,
    RefundPayload,
    ShippingPayload,
)

__all__ = ["CARD_GATEWAYS", "PAYMENT_METHODS", "STATUSES", "VAT_ID_KEYS", "parse_woocommerce"]

STATUSES: Mapping[str, OrderStatus] = {
    "pending": OrderStatus.NEW,  # awaiting payment
    "checkout-draft": OrderStatus.NEW,  # block checkout, not placed yet
    "on-hold": OrderStatus.ACCEPTED,  # awaiting a transfer; stock already reserved
    "processing": OrderStatus.ACCEPTED,  # paid (or COD): the order is accepted, to be fulfilled
    "completed": OrderStatus.COMPLETED,
    "cancelled": OrderStatus.CANCELLED,
    "failed": OrderStatus.CANCELLED,  # the payment failed: no sale
    "refunded": OrderStatus.RETURNED,  # fully refunded: a credit note follows
    "shipped": OrderStatus.SHIPPED,  # common custom status (shipment tracking plugins)
    "delivered": OrderStatus.DELIVERED,  # common custom status
}
"""WooCommerce status (without the ``wc-`` prefix) → ours; any other status is refused.

WooCommerce's ``processing`` is "payment received (or cash on delivery), awaiting
fulfilment": the shop has accepted the order, so it is our ``accepted``, as
``on-hold`` (awaiting a transfer) is. Rules on ``accepted`` then fire for both:
an invoice for a card order, a proforma for a transfer; the transfer's later
move to ``processing`` is its payment (``date_paid_gmt``), not a new status."""

PAYMENT_METHODS: Mapping[str, PaymentMethod] = {
    "bacs": PaymentMethod.BANK_TRANSFER,
    "cod": PaymentMethod.CASH_ON_DELIVERY,
    "cheque": PaymentMethod.OTHER,
    "paypal": PaymentMethod.PAYPAL,
    "ppcp-gateway": PaymentMethod.PAYPAL,
    "ppec_paypal": PaymentMethod.PAYPAL,
}
"""Gateway id → ours; ids in ``CARD_GATEWAYS`` (or starting with ``stripe``) are card; others are ``other``."""

CARD_GATEWAYS = frozenset(
    {
        "woocommerce_payments",
        "square_credit_card",
        "braintree_credit_card",
        "authorize_net_cim_credit_card",
        "revolut_cc",
        "netopiapayments",
        "netopia_payments",
        "euplatesc",
        "mobilpay",
        "payu",
    }
)

VAT_ID_KEYS = (
    "_billing_vat",
    "billing_vat",
    "_billing_vat_number",
    "_vat_number",
    "vat_number",
    "_billing_eu_vat_number",
    "_billing_cif",
    "billing_cif",
)


def parse_woocommerce(body: bytes) -> OrderPayload:
    """Read a WooCommerce order webhook body into an ``OrderPayload``."""
    root = Node.parse(body)
    pricing = Pricing.GROSS if root.flag("prices_include_tax", default=False) else Pricing.NET
    rates = _tax_rates(root)
    shipping_lines = list(root.items("shipping_lines"))
    external_id = root.text("id", required=True)
    status, method = _status(root), payment_method(root.text("payment_method"))
    updated_at = root.optional_moment("date_modified_gmt", assume_utc=True)
    lines = [_line(item, pricing, rates) for item in root.items("line_items", required=True)]
    for fee in root.items("fee_lines"):
        lines = _fee(fee, pricing, rates, lines)
    paid, paid_at = _paid(root, status, method)
    return OrderPayload(
        external_id=external_id,
        number=root.text("number") or external_id,
        status=status,
        payment_method=method,
        currency=Currency.parse(root.text("currency", required=True), field="currency").code,
        pricing=pricing,
        placed_at=root.moment("date_created_gmt", assume_utc=True),
        buyer=_buyer(root.obj("billing"), _vat_id(root)),
        lines=tuple(lines),
        shipping=_shipping(shipping_lines, pricing, rates),
        delivery_method=shipping_lines[0].text("method_title") if shipping_lines else "",
        updated_at=updated_at,
        paid=paid,
        paid_at=paid_at,
        refunds=tuple(_refunds(root, updated_at)),
    )


def _paid(root: Node, status: OrderStatus, method: PaymentMethod) -> tuple[Decimal | None, datetime | None]:
    """What the buyer paid in all, and when: the order's ``total`` once ``date_paid_gmt`` is set."""
    if "date_paid_gmt" not in root.value and "date_paid" not in root.value:
        return None, None  # an older WooCommerce that does not say
    paid_at = root.optional_moment("date_paid_gmt", assume_utc=True)
    if paid_at is None and root.has("date_paid"):
        paid_at = root.optional_moment("date_paid", assume_utc=True)
    collected = method is not PaymentMethod.CASH_ON_DELIVERY or status is OrderStatus.COMPLETED
    if paid_at is None or not collected:
        return ZERO, None
    return root.decimal("total"), paid_at


def _refunds(root: Node, updated_at: datetime | None) -> list[RefundPayload]:
    refunds = []
    for refund in root.items("refunds"):
        amount = abs(refund.decimal("total", minimum=None))
        if amount:
            refunds.append(RefundPayload(refund.text("id", required=True), amount, updated_at))
    return refunds


def _fee(fee: Node, pricing: Pricing, rates: Mapping[str, Decimal], lines: list[LinePayload]) -> list[LinePayload]:
    """A fee as a line of its own; a negative one as a discount on the lines at its VAT rate."""
    total, tax = fee.decimal("total", minimum=None), fee.decimal("total_tax", default=ZERO, minimum=None)
    amount = total + tax if pricing is Pricing.GROSS else total
    vat_rate = _rate(fee, rates, abs(tax), abs(total))
    if amount >= 0:
        name = fee.text("name") or "Fee"
        return [*lines, LinePayload(name=name, quantity=Decimal(1), unit_price=amount, vat_rate=vat_rate)]
    left, spread = -amount, []
    for line in lines:
        room = line.quantity * line.unit_price - line.discount
        share = min(room, left) if line.vat_rate == vat_rate and room > 0 else ZERO
        left -= share
        spread.append(replace(line, discount=line.discount + share) if share else line)
    if left > 0:
        raise InvalidValue(f"a negative fee larger than the lines at {vat_rate} % VAT", field=fee.field("total"))
    return spread


def payment_method(gateway: str) -> PaymentMethod:
    """Our payment method for a WooCommerce gateway id."""
    gateway = gateway.strip().lower()
    if gateway in PAYMENT_METHODS:
        return PAYMENT_METHODS[gateway]
    if gateway in CARD_GATEWAYS or gateway.startswith("stripe"):
        return PaymentMethod.CARD
    return PaymentMethod.OTHER


def _status(root: Node) -> OrderStatus:
    status = root.text("status", required=True).lower().removeprefix("wc-")
    if status not in STATUSES:
        raise InvalidValue(f"{status} is not a status we map; known: {', '.join(STATUSES)}", field="status")
    return STATUSES[status]


def _buyer(billing: Node, vat_id: str) -> BuyerPayload:
    person = f"{billing.text('first_name')} {billing.text('last_name')}".strip()
    name = person or billing.text("company") or billing.text("email")
    if not name:
        raise MissingValue("the buyer needs a name, a company or an email", field="billing.first_name")
    street = ", ".join(part for part in (billing.text("address_1"), billing.text("address_2")) if part)
    country = billing.text("country")
    return BuyerPayload(
        name=name,
        email=billing.text("email"),
        company=billing.text("company"),
        vat_id=vat_id,
        street=street,
        city=billing.text("city"),
        postal_code=billing.text("postcode"),
        country=countries.country(country, field="billing.country") if country else "",
        phone=billing.text("phone"),
        billing_details_entered=bool(billing.text("address_1") and billing.text("city")),
    )


def _vat_id(root: Node) -> str:
    found = {meta.text("key"): meta.raw("value") for meta in root.items("meta_data")}
    for key in VAT_ID_KEYS:
        value = found.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _tax_rates(root: Node) -> dict[str, Decimal]:
    """``rate_id`` → ``rate_percent`` from the order's ``tax_lines`` (WooCommerce 3.7+)."""
    rates: dict[str, Decimal] = {}
    for line in root.items("tax_lines"):
        if line.has("rate_id") and line.has("rate_percent"):
            rates[line.text("rate_id")] = line.decimal("rate_percent")
    return rates


def _rate(item: Node, rates: Mapping[str, Decimal], tax: Decimal, base: Decimal) -> Decimal:
    applied = [entry for entry in item.items("taxes") if entry.has("total") or entry.has("subtotal")]
    ids = [entry.text("id") for entry in applied]
    if applied and all(rate_id in rates for rate_id in ids):
        return sum((rates[rate_id] for rate_id in ids), ZERO).quantize(PERCENT_PLACES)
    return percent(tax, base)


def _line(item: Node, pricing: Pricing, rates: Mapping[str, Decimal]) -> LinePayload:
    quantity = item.decimal("quantity")
    if quantity <= 0:
        raise InvalidValue("must be positive", field=item.field("quantity"))
    subtotal, total = item.decimal("subtotal"), item.decimal("total")
    subtotal_tax = item.decimal("subtotal_tax", default=ZERO)
    total_tax = item.decimal("total_tax", default=ZERO)
    before, after = (subtotal + subtotal_tax, total + total_tax) if pricing is Pricing.GROSS else (subtotal, total)
    vat_rate = _rate(item, rates, *((total_tax, total) if total else (subtotal_tax, subtotal)))
    return LinePayload(
        name=item.text("name", required=True),
        quantity=quantity,
        unit_price=unit(before, quantity),
        vat_rate=vat_rate,
        discount=max(before - after, ZERO),
        sku=item.text("sku"),
    )


def _shipping(lines: list[Node], pricing: Pricing, rates: Mapping[str, Decimal]) -> ShippingPayload:
    amount, vat_rate = ZERO, None
    for line in lines:
        total, tax = line.decimal("total"), line.decimal("total_tax", default=ZERO)
        amount += total + tax if pricing is Pricing.GROSS else total
        line_rate = _rate(line, rates, tax, total)
        if total and vat_rate is not None and line_rate != vat_rate:
            raise InvalidValue("shipping lines at different VAT rates are not supported", field=line.field("total_tax"))
        if total:
            vat_rate = line_rate
    return ShippingPayload(amount=amount, vat_rate=vat_rate if vat_rate is not None else ZERO.quantize(PERCENT_PLACES))
