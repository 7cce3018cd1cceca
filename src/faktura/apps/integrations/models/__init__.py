"""The integrations app's tables: idempotency keys, the outbound-event outbox, inbound and outbound webhooks."""

from faktura.apps.integrations.models.endpoints import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from faktura.apps.integrations.models.idempotency import MAX_KEY_LENGTH, IdempotencyKey
from faktura.apps.integrations.models.inbound import (
    MAX_SECRET_LENGTH,
    InboundDelivery,
    InboundOutcome,
    InboundScheme,
    InboundWebhook,
)
from faktura.apps.integrations.models.outbox import OutboundEvent, OutboundEventType

__all__ = [
    "MAX_KEY_LENGTH",
    "MAX_SECRET_LENGTH",
    "DeliveryStatus",
    "IdempotencyKey",
    "InboundDelivery",
    "InboundOutcome",
    "InboundScheme",
    "InboundWebhook",
    "OutboundEvent",
    "OutboundEventType",
    "WebhookDelivery",
    "WebhookEndpoint",
]
