"""``webhook_event_emit``: record an outbound event and queue its deliveries, in the caller's transaction."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from django.db import connection, models
from django.utils import timezone

from faktura.apps.integrations.models import OutboundEvent, OutboundEventType, WebhookEndpoint
from faktura.apps.integrations.services.queue import delivery_enqueue
from faktura.platform.fastsql import insert_returning_id


def webhook_event_emit(
    *,
    organization_id: int,
    event_type: OutboundEventType | str,
    object_type: str,
    object_id: int,
    data: dict[str, Any],
) -> OutboundEvent:
    """Record an event for the seller's webhook endpoints, and queue one delivery per subscribed endpoint.

    Services call this next to their audit row, inside their transaction: the
    event row and the delivery tasks (django-tasks' database backend writes its
    task row with the caller's connection) commit or roll back with the change,
    so an endpoint never hears of a document that does not exist, and never
    misses one that does. ``data`` is the JSON the endpoints receive as the
    event's ``data`` (ids, number, totals as strings), never a model instance.

    Issuing calls this while it holds its numbering counter's lock, so both
    statements are built once (``platform.fastsql``): the event's INSERT and one
    indexed SELECT of the seller's active endpoints. A seller without one pays
    for nothing more.
    """
    event_type = OutboundEventType(event_type)
    values = {
        "organization": organization_id,
        "event_type": event_type.value,
        "object_type": object_type,
        "object_id": object_id,
        "data": data,
        "created_at": timezone.now(),
    }
    event = OutboundEvent(id=insert_returning_id(OutboundEvent, values), **{**values, "organization": None})
    event.organization_id = organization_id
    for endpoint_id in _subscribed(organization_id, event_type.value):
        delivery_enqueue(endpoint_id=endpoint_id, event_id=event.pk, attempt=1)
    return event


def _subscribed(organization_id: int, event_type: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(_active_endpoints_sql(connection.vendor), [organization_id, True])
        rows = cursor.fetchall()
    return [pk for pk, types in rows if event_type in (json.loads(types) if isinstance(types, str) else types)]


@lru_cache(maxsize=4)
def _active_endpoints_sql(vendor: str) -> str:
    """Served by the (organization, is_active) index."""
    quote = connection.ops.quote_name
    meta = WebhookEndpoint._meta
    columns = []
    for name in ("id", "event_types", "organization", "is_active"):
        field = meta.get_field(name)
        assert isinstance(field, models.Field), name
        assert field.column is not None, name
        columns.append(quote(field.column))
    return (
        f"SELECT {columns[0]}, {columns[1]} FROM {quote(meta.db_table)} "  # noqa: S608 - constant names
        f"WHERE {columns[2]} = %s AND {columns[3]} = %s"
    )
