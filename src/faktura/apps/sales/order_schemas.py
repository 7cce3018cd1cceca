"""The shapes of orders and order events over the REST API, and their mapping to the channel-independent payload.

The body of ``POST /orders`` is the ``order`` object of the generic webhook
payload (docs/integrators.md), plus ``channel`` and an optional
``shipping_address``; amounts are JSON numbers or strings, read as exact
decimals. It becomes the same ``OrderPayload`` the webhook parsers produce, so
an order reads the same whichever door it came through.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from faktura.core import countries
from faktura.core.errors import InvalidValue
from faktura.core.money import Currency
from faktura.core.rules import OrderStatus, PaymentMethod, RefundedLine
from faktura.core.vat import VatCategory
from faktura.webhooks.payloads.model import (
    BuyerPayload,
    LinePayload,
    OrderPayload,
    Pricing,
    ShippingPayload,
)


class BuyerIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    company: str = Field("", max_length=200, description="Invoiced to the company when given.")
    vat_id: str = Field("", max_length=20)
    street: str = Field("", max_length=200)
    city: str = Field("", max_length=100)
    postal_code: str = Field("", max_length=20)
    country: str = Field("", max_length=2, description="ISO 3166-1 alpha-2; the seller's country when empty.")
    phone: str = Field("", max_length=40)
    billing_details_entered: bool = Field(True, description="The buyer filled in billing details (F4.3).")


class LineIn(Schema):
    name: str = Field(min_length=1, max_length=300)
    quantity: Decimal = Field(gt=0, max_digits=15, decimal_places=4)
    unit_price: Decimal = Field(ge=0, max_digits=15, decimal_places=4)
    vat_rate: Decimal = Field(ge=0, lt=100, max_digits=5, decimal_places=2, description="Percent: 21 for 21 %.")
    vat_category: VatCategory | None = Field(
        None, description="Guessed from the rate when left out: 0 is zero, a reduced rate reduced, else standard."
    )
    discount: Decimal = Field(Decimal(0), ge=0, max_digits=15, decimal_places=4, description="For the whole line.")
    sku: str = Field("", max_length=64)
    barcode: str = Field("", max_length=32)


class ShippingIn(Schema):
    amount: Decimal = Field(Decimal(0), ge=0, max_digits=15, decimal_places=4)
    vat_rate: Decimal = Field(Decimal(0), ge=0, lt=100, max_digits=5, decimal_places=2)


class AddressIn(Schema):
    name: str = Field("", max_length=200)
    street: str = Field("", max_length=200)
    city: str = Field("", max_length=100)
    postal_code: str = Field("", max_length=20)
    country: str = Field("", max_length=2)


class OrderIn(Schema):
    channel: int | str = Field(description="The channel's id or code.")
    external_id: str = Field(min_length=1, max_length=100, description="The order's id in the channel.")
    number: str = Field("", max_length=100, description="What the buyer sees; the external id when empty.")
    status: OrderStatus
    payment_method: PaymentMethod = PaymentMethod.OTHER
    delivery_method: str = Field("", max_length=40)
    currency: str = Field(min_length=3, max_length=3)
    pricing: Pricing = Pricing.GROSS
    placed_at: dt.datetime = Field(description="ISO 8601 with an offset.")
    updated_at: dt.datetime | None = Field(
        None,
        description="When your system last changed the order (ISO 8601 with an offset). When given, a snapshot "
        "older than the stored one (or as old, with other content) is stale and changes nothing.",
    )
    buyer: BuyerIn
    lines: list[LineIn] = Field(min_length=1, max_length=1000)
    shipping: ShippingIn | None = None
    shipping_address: AddressIn | None = None

    def to_payload(self) -> OrderPayload:
        if self.placed_at.tzinfo is None:
            raise InvalidValue("must carry a UTC offset", field="placed_at")
        if self.updated_at is not None and self.updated_at.tzinfo is None:
            raise InvalidValue("must carry a UTC offset", field="updated_at")
        country = countries.country(self.buyer.country, field="buyer.country") if self.buyer.country.strip() else ""
        return OrderPayload(
            external_id=self.external_id.strip(),
            number=self.number.strip() or self.external_id.strip(),
            status=self.status,
            payment_method=self.payment_method,
            currency=Currency.parse(self.currency, field="currency").code,
            pricing=self.pricing,
            placed_at=self.placed_at,
            buyer=BuyerPayload(**{**self.buyer.model_dump(), "country": country}),
            lines=tuple(LinePayload(**line.model_dump(exclude={"vat_category"})) for line in self.lines),
            shipping=(
                ShippingPayload(amount=self.shipping.amount, vat_rate=self.shipping.vat_rate)
                if self.shipping
                else ShippingPayload()
            ),
            delivery_method=self.delivery_method.strip(),
            updated_at=self.updated_at,
        )

    def vat_categories(self) -> list[str | None]:
        return [line.vat_category.value if line.vat_category else None for line in self.lines]

    def address(self) -> dict[str, Any] | None:
        if self.shipping_address is None:
            return None
        address = self.shipping_address.model_dump()
        if address["country"]:
            address["country"] = countries.country(address["country"], field="shipping_address.country")
        return address


class RefundLineIn(Schema):
    position: int = Field(ge=1, description="The order line's position, from 1.")
    quantity: Decimal = Field(gt=0, max_digits=15, decimal_places=4)


class OrderEventIn(Schema):
    kind: Literal["status_changed", "payment_recorded", "cancelled", "refunded"]
    event_id: str | None = Field(
        None, min_length=1, max_length=200, description="Your id of the event: a second one with it does nothing."
    )
    status: OrderStatus | None = Field(None, description="status_changed: the new status.")
    amount: Decimal | None = Field(
        None, gt=0, max_digits=15, decimal_places=4, description="payment_recorded, refunded: gross, order currency."
    )
    date: dt.date | None = Field(None, description="payment_recorded: the day the money came in (today if left out).")
    reference: str = Field("", max_length=140)
    refund_id: str = Field("", max_length=100, description="refunded: your id of the refund; credited once.")
    lines: list[RefundLineIn] = Field(default_factory=list, description="refunded: the lines taken back.")

    def refunded_lines(self) -> tuple[RefundedLine, ...]:
        return tuple(RefundedLine(line.position, line.quantity) for line in self.lines)
