"""``webhook_event_emit``: record an outbound event and queue its deliveries, in the caller's transaction."""

from __future__ import annotations

from typing import Any

from faktura.apps.integrations.models import OutboundEvent, OutboundEventType, WebhookEndpoint
from faktura.apps.integrations.services.queue import delivery_enqueue


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

    A seller without an active endpoint costs one indexed SELECT beyond the
    event row, on the issuing path.
    """
    event_type = OutboundEventType(event_type)
    event = OutboundEvent.objects.create(
        organization_id=organization_id,
        event_type=event_type,
        object_type=object_type,
        object_id=object_id,
        data=data,
    )
    subscribed = WebhookEndpoint.objects.filter(organization_id=organization_id, is_active=True).values_list(
        "pk", "event_types"
    )
    for endpoint_id, event_types in subscribed:
        if event_type in event_types:
            delivery_enqueue(endpoint_id=endpoint_id, event_id=event.pk, attempt=1)
    return event
