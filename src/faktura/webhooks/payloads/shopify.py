'''Shopify order webhooks (``orders/create``, ``orders/updated``, ``orders/paid``, ``orders/cancelled``...).

Shopify posts the REST Admin API ``Order`` object. What is read:

* ``id`` → ``external_id``; ``name`` (``#1001``, with the shop's prefix and suffix; falls
  back to ``order_number``, then ``id``) → ``number``;
* ``processed_at`` (else ``created_at``) → ``placed_at``; ``updated_at`` → ``updated_at`` (a snapshot
  not newer than the stored one is stale); ``taxes_included`` → ``pricing``
  (``gross`` when true, else ``net``);
* the currency the buyer paid in: ``presentment_currency`` (else ``currency``); every amount
  is read from its ``*_set.presentment_money.amount`` when the payload carries it, else
  from the plain field (the shop's currency), which is refused when the two currencies differ;
* the status from ``cancelled_at``, ``financial_status``, ``fulfillment_status`` and
  ``closed_at`` (and the ``X-Shopify-Topic``: ``orders/cancelled`` is a cancellation), see
  ``status``; ``payment_gateway_names`` → ``payment_method`` (see ``payment_method``);
* ``billing_address`` (else ``customer``) → buyer: ``name`` (else first + last name, else
  ``company``, else the email), ``company``, ``address1`` (+ ``address2``), ``city``,
  ``zip``, ``country_code``, ``phone``; the email from ``email``, ``contact_email`` or
  ``customer.email``; ``billing_details_entered`` when ``address1`` and ``city`` are set;
  the buyer's VAT id from ``note_attributes`` (Shopify has no such field; checkout apps
  store it there), first non-empty of ``VAT_ID_NAMES``, compared case-insensitively;
* ``line_items`` → lines: ``price`` is the unit price in the order's pricing, the
  discount is the sum of the line's ``discount_allocations`` (else ``total_discount``),
  and the VAT rate is the sum of the ``rate`` of its ``tax_lines`` (fractions: ``0.21``
  is 21 %; no tax line: 0 %). ``quantity`` is the ordered quantity: later order edits
  and refunds do not shrink the lines;
* ``shipping_lines`` → shipping, summed (``discounted_price``, else ``price``) at the rate of
  their tax lines; the ``title`` of the first one is the delivery method;
* the money, as ``financial_status`` means it: ``paid``, ``partially_refunded`` and
  ``refunded`` → the buyer paid ``total_price`` in all (refunds are not deducted: they are
  refunds); ``partially_paid`` → ``total_price`` less ``total_outstanding``; ``pending``,
  ``authorized`` (not captured), ``voided``, ``expired`` → nothing paid. ``refunds`` → one
  refund each, by its ``id``: the sum of its successful ``refund`` transactions (a refund
  that only restocks moves no money and is left out).

>>> order = parse_shopify(b"""{"id": 5843012, "name": "#1042", "currency": "RON", "taxes_included": true,
...   "created_at": "2026-11-20T10:15:00+02:00", "financial_status": "paid", "fulfillment_status": null,
...   "payment_gateway_names": ["shopify_payments"], "email": "ana@example.ro",
...   "billing_address": {"name": "Ana Popescu", "address1": "Str. Lalelelor 7", "city": "Cluj-Napoca",
...                       "zip": "400001", "country_code": "RO"},
...   "line_items": [{"title": "Cana ceramica", "sku": "CANA-01", "quantity": 2, "price": "100.00",
...                   "discount_allocations": [{"amount": "20.00"}],
...                   "tax_lines": [{"title": "TVA", "rate": 0.21, "price": "31.24"}]}]}""", topic="orders/paid")
>>> str(order.status), str(order.payment_method), str(order.pricing), order.number
('accepted', 'card', 'gross', '#1042')
>>> line = order.lines[0]
>>> line.quantity, line.unit_price, line.discount, line.vat_rate
(Decimal('2'), Decimal('100.00'), Decimal('20.00'), Decimal('21.00'))
'''

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from faktura.core import countries
from faktura.core.errors import InvalidValue, MissingValue
from faktura.core.money import Currency
from faktura.core.rules.facts import OrderStatus, PaymentMethod
from faktura.webhooks.payloads._read import PERCENT_PLACES, ZERO, Node, to_decimal
from faktura.webhooks.payloads.model import (
    BuyerPayload,
    LinePayload,
    OrderPayload,
    Pricing,
    RefundPayload,
    ShippingPayload,
)

__all__ = [
    "FINANCIAL_STATUSES",
    "GATEWAYS",
    "ORDER_TOPICS",
    "VAT_ID_NAMES",
    "parse_shopify",
    "payment_method",
    "status",
]

ORDER_TOPICS = frozenset(
    {
        "orders/create",
        "orders/updated",
        "orders/paid",
        "orders/cancelled",
        "orders/fulfilled",
        "orders/partially_fulfilled",
    }
)
"""Topics whose body is a whole order; others (``orders/delete`` carries only the id) are not orders."""

FINANCIAL_STATUSES: Mapping[str, OrderStatus] = {
    "pending": OrderStatus.ACCEPTED,  # placed with a manual method (bank deposit, COD): awaiting the money
    "authorized": OrderStatus.ACCEPTED,  # the card is authorized: to be fulfilled
    "partially_paid": OrderStatus.ACCEPTED,
    "paid": OrderStatus.ACCEPTED,
    "partially_refunded": OrderStatus.ACCEPTED,  # still a sale; the refund is its own event
    "refunded": OrderStatus.RETURNED,  # fully refunded: a credit note follows
    "voided": OrderStatus.CANCELLED,  # the authorization was voided: no sale
    "expired": OrderStatus.CANCELLED,  # the authorization expired: no sale
}
"""Shopify's ``financial_status`` → ours, before fulfilment and closing are looked at; others are refused.

An order the shop took (awaiting the money, authorized or paid) is ``accepted``: rules on
``accepted`` fire for it whatever the payment method; the money is its own event (``paid``)."""

GATEWAYS: Mapping[str, PaymentMethod] = {
    "shopify_payments": PaymentMethod.CARD,
    "stripe": PaymentMethod.CARD,
    "bogus": PaymentMethod.CARD,  # Shopify's test gateway
    "visa": PaymentMethod.CARD,
    "mastercard": PaymentMethod.CARD,
    "american_express": PaymentMethod.CARD,
    "adyen": PaymentMethod.CARD,
    "braintree": PaymentMethod.CARD,
    "netopia": PaymentMethod.CARD,
    "netopia_payments": PaymentMethod.CARD,
    "euplatesc": PaymentMethod.CARD,
    "paypal": PaymentMethod.PAYPAL,
    "shopify_installments": PaymentMethod.OTHER,
    "cash_on_delivery_cod": PaymentMethod.CASH_ON_DELIVERY,
    "cash_on_delivery": PaymentMethod.CASH_ON_DELIVERY,
    "cod": PaymentMethod.CASH_ON_DELIVERY,
    "ramburs": PaymentMethod.CASH_ON_DELIVERY,
    "bank_deposit": PaymentMethod.BANK_TRANSFER,
    "bank_transfer": PaymentMethod.BANK_TRANSFER,
    "transfer_bancar": PaymentMethod.BANK_TRANSFER,
    "cash": PaymentMethod.CASH,
    "manual": PaymentMethod.OTHER,
    "money_order": PaymentMethod.OTHER,
}
"""A gateway name, lower-cased with runs of other characters as ``_`` (``Cash on Delivery (COD)`` →
``cash_on_delivery_cod``) → ours; unknown names are ``other``. ``gift_card`` is skipped when
another gateway paid the rest."""

VAT_ID_NAMES = ("vat_id", "vat number", "vat_number", "vat", "tax_id", "cif", "cui", "ic dph", "ico", "adószám")

_HUNDRED = Decimal(100)


def parse_shopify(body: bytes, *, topic: str | None = None) -> OrderPayload:
    """Read a Shopify order webhook body (``topic`` from ``X-Shopify-Topic``) into an ``OrderPayload``."""
    root = Node.parse(body)
    money = _Money(root)
    pricing = Pricing.GROSS if root.flag("taxes_included", default=False) else Pricing.NET
    external_id = root.text("id", required=True)
    shipping_lines = list(root.items("shipping_lines"))
    updated_at = root.optional_moment("updated_at")
    placed_at = root.moment("processed_at" if root.has("processed_at") else "created_at")
    return OrderPayload(
        external_id=external_id,
        number=root.text("name") or root.text("order_number") or external_id,
        status=status(root, topic),
        payment_method=payment_method(_gateways(root)),
        currency=money.currency,
        pricing=pricing,
        placed_at=placed_at,
        buyer=_buyer(root),
        lines=tuple(_line(item, money) for item in root.items("line_items", required=True)),
        shipping=_shipping(shipping_lines, money),
        delivery_method=shipping_lines[0].text("title") if shipping_lines else "",
        updated_at=updated_at,
        paid=_paid(root, money),
        paid_at=updated_at or placed_at,
        refunds=tuple(_refunds(root, money)),
    )


_PAID_IN_FULL = frozenset({"paid", "partially_refunded", "refunded"})


def _paid(root: Node, money: _Money) -> Decimal | None:
    """What the buyer paid in all, refunds not deducted."""
    financial = root.text("financial_status").lower()
    if not root.has("total_price") and not root.has("total_price_set"):
        return None  # the payload does not say
    if financial in _PAID_IN_FULL:
        return money.amount(root, "total_price")
    if financial == "partially_paid":
        if money.converted or not root.has("total_outstanding"):
            return None  # the outstanding amount is in the shop's currency only: cannot tell
        return max(money.amount(root, "total_price") - root.decimal("total_outstanding"), ZERO)
    return ZERO


def _refunds(root: Node, money: _Money) -> list[RefundPayload]:
    refunds = []
    for refund in root.items("refunds"):
        amount = ZERO
        for transaction in refund.items("transactions"):
            kind, outcome = transaction.text("kind").lower(), transaction.text("status").lower()
            if kind == "refund" and outcome in ("success", ""):
                same = transaction.text("currency").upper() in ("", money.currency)
                amount += transaction.decimal("amount") if same else money.amount(transaction, "amount")
        if amount:
            at = refund.optional_moment("processed_at") or refund.optional_moment("created_at")
            refunds.append(RefundPayload(refund.text("id", required=True), amount, at))
    return refunds


def status(root: Node, topic: str | None = None) -> OrderStatus:
    """Our status for a Shopify order: cancelled first, then refunds, then fulfilment, then payment."""
    if root.has("cancelled_at") or (topic or "").strip().lower() == "orders/cancelled":
        return OrderStatus.CANCELLED
    financial = root.text("financial_status").lower() or "pending"
    if financial not in FINANCIAL_STATUSES:
        known = ", ".join(FINANCIAL_STATUSES)
        raise InvalidValue(f"{financial} is not a financial status we map; known: {known}", field="financial_status")
    ours = FINANCIAL_STATUSES[financial]
    if ours in (OrderStatus.RETURNED, OrderStatus.CANCELLED):
        return ours
    fulfillment = root.text("fulfillment_status").lower()
    if fulfillment == "fulfilled":
        return OrderStatus.COMPLETED if root.has("closed_at") else OrderStatus.SHIPPED
    if fulfillment == "partial":
        return OrderStatus.PROCESSING
    return ours


def payment_method(gateways: list[str]) -> PaymentMethod:
    """Our payment method for the order's ``payment_gateway_names`` (the first that is not a gift card)."""
    names = [_slug(name) for name in gateways if name.strip()]
    paying = [name for name in names if name != "gift_card"] or names
    if not paying:
        return PaymentMethod.OTHER
    name = paying[0]
    if name in GATEWAYS:
        return GATEWAYS[name]
    if name.startswith(("stripe", "adyen", "braintree", "checkout_com", "mollie_credit")):
        return PaymentMethod.CARD
    if name.startswith("paypal"):
        return PaymentMethod.PAYPAL
    return PaymentMethod.OTHER


def _slug(name: str) -> str:
    out: list[str] = []
    pending = False
    for char in name.strip().lower():
        if char.isalnum():
            if pending and out:
                out.append("_")
            out.append(char)
            pending = False
        else:
            pending = True
    return "".join(out)


def _gateways(root: Node) -> list[str]:
    value = root.raw("payment_gateway_names")
    if value is None:
        return [root.text("gateway")]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidValue("must be a list of names", field="payment_gateway_names")
    return list(value)


class _Money:
    """Amounts in the currency the buyer paid in: ``*_set.presentment_money`` first, else the plain field."""

    def __init__(self, root: Node) -> None:
        shop = root.text("currency", required=True)
        presented = root.text("presentment_currency") or shop
        self.currency = Currency.parse(presented, field="presentment_currency").code
        self.converted = Currency.parse(shop, field="currency").code != self.currency

    def amount(self, node: Node, key: str, *, default: Decimal | None = None) -> Decimal:
        money_set = node.raw(f"{key}_set")
        if isinstance(money_set, dict) and isinstance(money_set.get("presentment_money"), dict):
            presentment = Node(money_set["presentment_money"], f"{node.field(key + '_set')}.presentment_money")
            return presentment.decimal("amount")
        if self.converted and node.has(key):
            raise MissingValue(
                f"the order is in {self.currency}, not the shop's currency: {key}_set.presentment_money is needed",
                field=node.field(f"{key}_set"),
            )
        return node.decimal(key, default=default)


def _buyer(root: Node) -> BuyerPayload:
    billing = root.optional_obj("billing_address")
    customer = root.optional_obj("customer")
    email = root.text("email") or root.text("contact_email") or (customer.text("email") if customer else "")
    source = billing or customer
    first, last = (source.text("first_name"), source.text("last_name")) if source else ("", "")
    company = billing.text("company") if billing else ""
    name = (billing.text("name") if billing else "") or f"{first} {last}".strip() or company or email
    if not name:
        raise MissingValue("the buyer needs a name, a company or an email", field="billing_address.name")
    country = billing.text("country_code") if billing else ""
    street = ", ".join(part for part in (billing.text("address1"), billing.text("address2")) if part) if billing else ""
    return BuyerPayload(
        name=name,
        email=email,
        company=company,
        vat_id=_vat_id(root),
        street=street,
        city=billing.text("city") if billing else "",
        postal_code=billing.text("zip") if billing else "",
        country=countries.country(country, field="billing_address.country_code") if country else "",
        phone=(billing.text("phone") if billing else "") or root.text("phone"),
        billing_details_entered=bool(billing and billing.text("address1") and billing.text("city")),
    )


def _vat_id(root: Node) -> str:
    found: dict[str, str] = {}
    for attribute in root.items("note_attributes"):
        value = attribute.raw("value")
        if isinstance(value, str) and value.strip():
            found.setdefault(attribute.text("name").lower(), value.strip())
    return next((found[name] for name in VAT_ID_NAMES if name in found), "")


def _rate(node: Node) -> Decimal:
    """The sum of the ``rate`` fractions of ``node``'s tax lines, as a percentage."""
    total = ZERO
    for tax in node.items("tax_lines"):
        fraction = tax.raw("rate")
        if fraction is None:
            raise MissingValue("is required", field=tax.field("rate"))
        total += to_decimal(fraction, tax.field("rate"))
    percent = (total * _HUNDRED).quantize(PERCENT_PLACES)
    if percent > _HUNDRED:
        raise InvalidValue("the tax lines add up to more than 100 %", field=node.field("tax_lines"))
    return percent


def _line(item: Node, money: _Money) -> LinePayload:
    quantity = item.decimal("quantity")
    if quantity <= 0:
        raise InvalidValue("must be positive", field=item.field("quantity"))
    allocations = list(item.items("discount_allocations"))
    if allocations:
        discount = sum((money.amount(entry, "amount") for entry in allocations), ZERO)
    else:
        discount = money.amount(item, "total_discount", default=ZERO)
    return LinePayload(
        name=item.text("name") or item.text("title", required=True),
        quantity=quantity,
        unit_price=money.amount(item, "price"),
        vat_rate=_rate(item),
        discount=discount,
        sku=item.text("sku"),
    )


def _shipping(lines: list[Node], money: _Money) -> ShippingPayload:
    amount, vat_rate = ZERO, None
    for line in lines:
        key = "discounted_price" if line.has("discounted_price") or line.has("discounted_price_set") else "price"
        price = money.amount(line, key, default=ZERO)
        amount += price
        line_rate = _rate(line)
        if price and vat_rate is not None and line_rate != vat_rate:
            raise InvalidValue("shipping lines at different VAT rates are not supported", field=line.field("tax_lines"))
        if price:
            vat_rate = line_rate
    return ShippingPayload(amount=amount, vat_rate=vat_rate if vat_rate is not None else ZERO.quantize(PERCENT_PLACES))
