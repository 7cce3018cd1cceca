"""Background tasks of the integrations app: thin, idempotent, each loads by id and calls a service."""

from __future__ import annotations

from django_tasks import task

from faktura.apps.integrations.services import deliveries


@task()
def webhook_deliver(endpoint_id: int, event_id: int, attempt: int, manual: bool = False) -> str:
    """Make attempt ``attempt`` of delivering an outbound event to an endpoint; running it twice sends once."""
    return deliveries.webhook_delivery_attempt(
        endpoint_id=endpoint_id, event_id=event_id, attempt=attempt, manual=manual
    )
