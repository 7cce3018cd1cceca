"""Writes about sales channels, buyers, orders and their timelines."""

from faktura.apps.sales.services.channels import channel_create, channel_update
from faktura.apps.sales.services.events import (
    order_errors_set,
    order_event_find,
    order_event_record,
    order_lock_by_id,
    order_money_record,
    order_status_set,
)
from faktura.apps.sales.services.orders import OrderLineData, buyer_create, order_create, order_total
from faktura.apps.sales.services.upsert import OrderUpsert, order_lock, order_upsert

__all__ = [
    "OrderLineData",
    "OrderUpsert",
    "buyer_create",
    "channel_create",
    "channel_update",
    "order_create",
    "order_errors_set",
    "order_event_find",
    "order_event_record",
    "order_lock",
    "order_lock_by_id",
    "order_money_record",
    "order_status_set",
    "order_total",
    "order_upsert",
]
