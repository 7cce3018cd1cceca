"""Orders over the REST API: upsert, list, read, and report events (F4, F7.5).

Thin views: ``POST /orders`` and ``POST /orders/{id}/events`` call the ingest
services of the automation app (one transaction: the order, the rules, the
documents, the timeline); reads go through the selectors.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from faktura.apps.automation import services as automation
from faktura.apps.integrations.idempotency import idempotent
from faktura.apps.invoicing import selectors as invoicing
from faktura.apps.sales import selectors
from faktura.apps.sales.order_schemas import OrderEventIn, OrderIn
from faktura.core.errors import InvalidValue, NotFound
from faktura.core.rules import OrderStatus
from faktura.platform.api_types import DatabaseId

router = Router(tags=["orders"])


def _org(request: HttpRequest) -> Any:
    return request.organization  # type: ignore[attr-defined]


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


class OrderErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    source: str = ""


class IssuedOut(Schema):
    id: int
    number: str
    document_type: str
    source: str
    send_to_buyer: bool
    marked_paid: bool
    refund_id: str | None = None


class SkippedOut(Schema):
    document_type: str
    source: str
    reason: str


class OutcomeOut(Schema):
    """What the rules did about the event: documents issued, rules and triggers skipped and why, errors."""

    order_id: int
    event_id: str | None = None
    duplicate: bool
    order_created: bool
    documents: list[IssuedOut]
    skipped: list[SkippedOut]
    errors: list[OrderErrorOut]
    rules_version: int | None = None
    stale: bool = Field(
        False, description="The order's `updated_at` was not newer than the stored one: the snapshot changed nothing."
    )


class LineOut(Schema):
    position: int
    name: str
    quantity: Decimal
    unit_price: Decimal
    vat_category: str
    vat_rate: Decimal
    discount: Decimal
    sku: str
    barcode: str


class EventOut(Schema):
    id: int
    kind: str
    event_id: str | None = None
    source: str
    received_at: dt.datetime
    data: dict[str, Any]
    outcome: dict[str, Any]


class OrderDocumentOut(Schema):
    id: int
    document_type: str
    number: str
    status: str
    payable: Decimal
    paid: Decimal


class BuyerOut(Schema):
    id: int
    name: str
    email: str
    is_business: bool
    vat_id: str
    country: str


class OrderOut(Schema):
    id: int
    channel: int = Field(alias="channel_id")
    channel_code: str = Field(alias="channel.code")
    external_id: str
    number: str
    status: str
    payment_method: str
    delivery_method: str
    currency: str
    pricing_mode: str
    total: Decimal
    amount_paid: Decimal
    amount_refunded: Decimal
    billing_details_entered: bool
    placed_at: dt.datetime
    updated_in_channel: dt.datetime | None = Field(
        None, alias="source_updated_at", description="The `updated_at` of the newest snapshot received."
    )
    errors: list[OrderErrorOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class OrderDetailOut(OrderOut):
    buyer: BuyerOut | None = None
    billing_address: dict[str, Any]
    shipping_address: dict[str, Any]
    shipping_amount: Decimal
    shipping_vat_rate: Decimal
    lines: list[LineOut]
    events: list[EventOut]
    documents: list[OrderDocumentOut]


class OrderWriteOut(Schema):
    order: OrderDetailOut
    outcome: OutcomeOut


class OrderPageOut(Schema):
    items: list[OrderOut]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next (older) page.")


class OrderFilters(Schema):
    channel: DatabaseId | None = None
    status: OrderStatus | None = None
    external_id: str | None = Field(None, max_length=100)
    placed_from: dt.date | None = None
    placed_to: dt.date | None = None
    cursor: str | None = Field(None, max_length=20)
    limit: int = Field(50, ge=1, le=200)


def _detail(request: HttpRequest, order_id: int) -> Any:
    """The order with its documents attached, as ``OrderDetailOut`` reads it."""
    order = selectors.order_detail(organization=_org(request), order_id=order_id)
    if order is None:
        raise NotFound(f"order {order_id} does not exist", field="order_id")
    order.documents = invoicing.order_documents(organization=_org(request), order_id=order.pk)  # type: ignore[attr-defined]
    return order


@router.post(
    "/orders",
    response={200: OrderWriteOut, 201: OrderWriteOut},
    summary="Create or update an order",
    description="Keyed by (channel, external id): 201 when created, 200 when updated or unchanged. "
    "A new order, or a new status, runs the channel's rules; the outcome says what was issued.",
)
@idempotent
def order_upsert(request: HttpRequest, payload: OrderIn) -> Any:
    channel = selectors.channel_find(organization=_org(request), channel=payload.channel)
    if channel is None:
        raise NotFound(f"channel {payload.channel} does not exist", field="channel")
    outcome = automation.order_receive(
        actor=_actor(request),
        organization=_org(request),
        channel=channel,
        payload=payload.to_payload(),
        shipping_address=payload.address(),
        vat_categories=payload.vat_categories(),
    )
    body = {"order": _detail(request, outcome.order_id), "outcome": outcome}
    return Status(201 if outcome.order_created else 200, body)


@router.get("/orders", response=OrderPageOut, summary="The seller's orders, newest first")
def order_list(request: HttpRequest, filters: Query[OrderFilters]) -> Any:
    before = None
    if filters.cursor:
        if not filters.cursor.isdigit():
            raise InvalidValue("not a cursor this API gave", field="cursor")
        before = int(filters.cursor)
    found = selectors.orders(
        organization=_org(request),
        channel_id=filters.channel,
        status=filters.status.value if filters.status else None,
        external_id=filters.external_id,
        placed_from=filters.placed_from,
        placed_to=filters.placed_to,
        before_id=before,
        limit=filters.limit + 1,
    )
    page = found[: filters.limit]
    more = len(found) > filters.limit
    return {"items": page, "next_cursor": str(page[-1].pk) if more else None}


@router.get("/orders/{order_id}", response=OrderDetailOut, summary="One order: lines, timeline, documents, errors")
def order_read(request: HttpRequest, order_id: int) -> Any:
    return _detail(request, order_id)


@router.post(
    "/orders/{order_id}/events",
    response={200: OrderWriteOut, 201: OrderWriteOut},
    summary="Report a status change, payment, cancellation or refund",
    description="201 with what the rules did; 200 when `event_id` was reported before (the first outcome, "
    "`duplicate: true`, nothing done again).",
)
@idempotent
def order_event(request: HttpRequest, order_id: int, payload: OrderEventIn) -> Any:
    outcome = automation.order_event_receive(
        actor=_actor(request),
        organization=_org(request),
        order_id=order_id,
        event=automation.OrderEventInput(
            kind=payload.kind,
            status=payload.status,
            amount=payload.amount,
            on=payload.date,
            reference=payload.reference,
            refund_id=payload.refund_id,
            lines=payload.refunded_lines(),
            event_id=payload.event_id,
        ),
    )
    body = {"order": _detail(request, order_id), "outcome": outcome}
    return Status(200 if outcome.duplicate else 201, body)
