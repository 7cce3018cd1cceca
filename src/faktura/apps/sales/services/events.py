"""An order's timeline: every event a channel, the API or a person reported, and what came of it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils import timezone

from faktura.apps.audit.services import audit_record
from faktura.apps.sales.models import Order, OrderEvent
from faktura.core.actors import Actor
from faktura.core.errors import NotFound
from faktura.platform import fastsql
from faktura.platform.fastread import PreparedRead

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def order_event_find(*, organization: Organization, channel_id: int, event_id: str) -> OrderEvent | None:
    """The event a channel already delivered with this id, if any."""
    return _EVENT_BY_ID.first(organization_id=organization.pk, channel_id=channel_id, event_id=event_id)


# Every delivery of a channel looks its event id up first: compiled once, not per delivery.
_EVENT_BY_ID = PreparedRead(
    lambda organization_id, channel_id, event_id: OrderEvent.objects.filter(
        organization_id=organization_id, channel_id=channel_id, event_id=event_id
    ).order_by("received_at", "id")[:1],
    organization_id=int,
    channel_id=int,
    event_id=str,
)


def order_event_record(
    *,
    organization: Organization,
    order: Order,
    kind: str,
    event_id: str | None = None,
    source: str = "api",
    data: dict[str, Any] | None = None,
    outcome: dict[str, Any] | None = None,
    received_at: dt.datetime | None = None,
) -> OrderEvent:
    """Add an entry to the order's timeline, in the caller's transaction.

    The unique (seller, channel, event id) constraint makes a concurrent second
    delivery of the same event fail here; the caller retries and finds this row.
    The timeline is itself the record of what happened, so no audit event is
    written for it: the changes it caused write theirs.
    """
    return fastsql.create(
        OrderEvent(
            organization=organization,
            order=order,
            channel_id=order.channel_id,
            kind=kind,
            event_id=event_id or None,
            source=source,
            data=data or {},
            outcome=outcome or {},
            received_at=received_at or timezone.now(),
        )
    )


def order_money_record(*, order: Order, paid: Any = 0, refunded: Any = 0) -> None:
    """Add a reported payment or refund to the order's totals (the caller holds the order's lock)."""
    Order.objects.filter(pk=order.pk).update(
        amount_paid=F("amount_paid") + paid, amount_refunded=F("amount_refunded") + refunded
    )
    order.amount_paid += paid
    order.amount_refunded += refunded


def order_errors_set(*, order: Order, errors: list[dict[str, Any]]) -> bool:
    """Store the order's current errors; whether they changed."""
    if errors == order.errors:
        return False
    order.errors = errors
    Order.objects.filter(pk=order.pk).update(errors=errors)
    return True


def order_status_set(*, actor: Actor, organization: Organization, order: Order, status: str) -> bool:
    """Move the order (locked by the caller) to ``status``; whether it changed."""
    if order.status == status:
        return False
    previous, order.status = order.status, status
    order.save(update_fields=["status", "updated_at"])
    audit_record(
        organization=organization,
        actor=actor,
        action="order.status_changed",
        object_type="order",
        object_id=order.pk,
        data={"from": previous, "to": status},
    )
    return True


def order_lock_by_id(*, organization: Organization, order_id: int) -> Order:
    """The seller's order, locked until the transaction ends; ``NotFound`` for anyone else's."""
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("buyer", "channel")
        .filter(organization=organization, pk=order_id)
        .first()
    )
    if order is None:
        raise NotFound(f"order {order_id} does not exist", field="order_id")
    return order
