"""Buyers and orders created by hand (the demo, the tests, the web app later); totals of an order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from faktura.apps.audit.services import audit_record
from faktura.apps.sales.models import Buyer, Order, OrderLine, SalesChannel
from faktura.core import countries, identifiers
from faktura.core.actors import Actor
from faktura.core.errors import InvalidValue, MissingValue
from faktura.core.money import Currency
from faktura.core.rules import PaymentMethod
from faktura.core.totals import AllowanceCharge, LineInput, PricingMode, compute_totals
from faktura.core.vat import VatCategory

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization

LineAmounts = tuple[Decimal, Decimal, str, Decimal, Decimal]
"""quantity, unit price, VAT category, VAT rate, discount."""


def order_total(
    *, lines: Sequence[LineAmounts], shipping: tuple[Decimal, str, Decimal], currency: str, pricing: str
) -> Decimal:
    """What the buyer pays, with VAT: the payable amount of an invoice for the whole order."""
    amount, category, rate = shipping
    charges = [AllowanceCharge(amount, True, VatCategory(category), rate, "Shipping")] if amount else []
    totals = compute_totals(
        [LineInput(q, price, VatCategory(cat), vat, discount) for q, price, cat, vat, discount in lines],
        charges,
        currency=currency,
        pricing=PricingMode(pricing),
    )
    return totals.payable


@dataclass(frozen=True)
class OrderLineData:
    name: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    vat_category: str = VatCategory.STANDARD.value
    discount: Decimal = Decimal(0)
    sku: str = ""
    barcode: str = ""
    unit: str = "H87"


def buyer_create(
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    country: str,
    email: str = "",
    is_business: bool = False,
    vat_id: str = "",
    registration_number: str = "",
    street: str = "",
    city: str = "",
    postal_code: str = "",
    language: str = "",
) -> Buyer:
    if not name.strip():
        raise MissingValue("the buyer's name is required", field="name")
    country = countries.country(country)
    with transaction.atomic():
        buyer = Buyer.objects.create(
            organization=organization,
            name=name.strip(),
            country=country,
            email=email,
            is_business=is_business,
            vat_id=identifiers.vat_id(vat_id, country=country) if vat_id else "",
            registration_number=registration_number,
            street=street,
            city=city,
            postal_code=postal_code,
            language=countries.language(language) if language else "",
        )
        audit_record(
            organization=organization,
            actor=actor,
            action="buyer.created",
            object_type="buyer",
            object_id=buyer.pk,
            data={"name": buyer.name, "country": country},
        )
    return buyer


def order_create(
    *,
    actor: Actor,
    organization: Organization,
    channel: SalesChannel,
    external_id: str,
    number: str,
    buyer: Buyer,
    currency: str,
    lines: Sequence[OrderLineData],
    placed_at: dt.datetime,
    payment_method: str = PaymentMethod.OTHER,
    delivery_method: str = "",
    status: str = "new",
    pricing_mode: str = "gross",
    shipping_amount: Decimal = Decimal(0),
    shipping_vat_rate: Decimal = Decimal(0),
    billing_details_entered: bool = True,
) -> Order:
    if channel.organization_id != organization.pk or buyer.organization_id != organization.pk:
        raise InvalidValue("the channel and buyer must belong to this seller", field="channel")
    if not lines:
        raise MissingValue("an order needs at least one line", field="lines")
    for index, line in enumerate(lines):
        if line.quantity <= 0:
            raise InvalidValue("must be positive", field=f"lines[{index}].quantity")
        VatCategory.parse(line.vat_category, field=f"lines[{index}].vat_category")
    currency = Currency.parse(currency, field="currency").code
    with transaction.atomic():
        order = Order.objects.create(
            organization=organization,
            channel=channel,
            external_id=external_id,
            number=number,
            buyer=buyer,
            currency=currency,
            placed_at=placed_at,
            payment_method=payment_method,
            delivery_method=delivery_method,
            status=status,
            pricing_mode=pricing_mode,
            shipping_amount=shipping_amount,
            shipping_vat_rate=shipping_vat_rate,
            billing_details_entered=billing_details_entered,
            total=order_total(
                lines=[
                    (line.quantity, line.unit_price, line.vat_category, line.vat_rate, line.discount) for line in lines
                ],
                shipping=(
                    shipping_amount,
                    VatCategory.STANDARD.value if shipping_vat_rate else VatCategory.ZERO.value,
                    shipping_vat_rate,
                ),
                currency=currency,
                pricing=pricing_mode,
            ),
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                organization=organization,
                order=order,
                position=position,
                sku=line.sku,
                barcode=line.barcode,
                name=line.name,
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                vat_category=line.vat_category,
                vat_rate=line.vat_rate,
                discount=line.discount,
            )
            for position, line in enumerate(lines, start=1)
        )
        audit_record(
            organization=organization,
            actor=actor,
            action="order.created",
            object_type="order",
            object_id=order.pk,
            data={"channel": channel.code, "external_id": external_id, "number": number},
        )
    return order
