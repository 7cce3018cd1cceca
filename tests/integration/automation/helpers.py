"""Orders, channels with series and the rules of seed 003, built through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from faktura.apps.accounts.models import Organization
from faktura.apps.automation.services import rule_create, triggers_set
from faktura.apps.sales.models import SalesChannel
from faktura.core.rules import OrderStatus, PaymentMethod
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
from tests import factories as make

PLACED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)

SEED_003_RULES: list[dict[str, Any]] = [
    {
        "name": "Proforma for transfers",
        "conditions": {"statuses": ["accepted"], "payment_methods": ["bank_transfer"]},
        "action": {"document_type": "proforma", "due_days": 14},
    },
    {
        "name": "Invoice for cards",
        "conditions": {"statuses": ["accepted"], "payment_methods": ["card"]},
        "action": {"document_type": "invoice", "mark_paid": True},
    },
    {
        "name": "Credit note when cancelled",
        "conditions": {"statuses": ["cancelled"]},
        "action": {"document_type": "credit_note"},
    },
]


def shop(org: Organization | None = None, **channel_settings: Any) -> tuple[Organization, SalesChannel]:
    """A seller with a channel, its three series, and no rules yet."""
    org = org or make.seller()
    channel = make.channel(org)
    for key, value in channel_settings.items():
        setattr(channel, key, value)
    channel.save()
    make.series(org, "FA{RRRR}{CCC}", "invoice", channel=channel)
    make.series(org, "ZAL{RRRR}{CCC}", "proforma", channel=channel)
    make.series(org, "DOP{RRRR}{CCC}", "credit_note", channel=channel)
    return org, channel


def seed_003(org: Organization, channel: SalesChannel, **triggers: bool) -> None:
    for rule in SEED_003_RULES:
        rule_create(actor=make.TEST_ACTOR, organization=org, channel_id=channel.pk, **rule)
    triggers_set(
        actor=make.TEST_ACTOR,
        organization=org,
        channel_id=channel.pk,
        triggers={"final_invoice_when_proforma_paid": True, **triggers},
    )


def order(
    external_id: str = "1001",
    *,
    status: OrderStatus = OrderStatus.ACCEPTED,
    payment_method: PaymentMethod = PaymentMethod.CARD,
    lines: tuple[LinePayload, ...] | None = None,
    **changes: Any,
) -> OrderPayload:
    """Two mugs at 12.10 with 21 % VAT (gross) and 10.00 shipping: 34.20 in all."""
    payload = OrderPayload(
        external_id=external_id,
        number=f"RO-{external_id}",
        status=status,
        payment_method=payment_method,
        currency="RON",
        pricing=Pricing.GROSS,
        placed_at=PLACED,
        buyer=BuyerPayload(
            name="Ana Popescu", email="ana@example.ro", street="Bd. Eroilor 5", city="Cluj-Napoca", country="RO"
        ),
        lines=lines
        or (
            LinePayload(
                name="Cană ceramică",
                quantity=Decimal(2),
                unit_price=Decimal("12.10"),
                vat_rate=Decimal(21),
                sku="MUG-1",
            ),
        ),
        shipping=ShippingPayload(amount=Decimal("10.00"), vat_rate=Decimal(21)),
    )
    return replace(payload, **changes)


def event(
    event_id: str,
    payload: OrderPayload,
    type: EventType = EventType.ORDER_UPSERTED,
    *,
    payment: str | None = None,
    refund: str | None = None,
    reference: str = "",
) -> GenericEvent:
    return GenericEvent(
        event_id=event_id,
        type=type,
        order=payload,
        payment=PaymentPayload(Decimal(payment), PLACED, reference) if payment else None,
        refund=PaymentPayload(Decimal(refund), PLACED, reference) if refund else None,
    )
