"""Reads of the integrations app: idempotency-key locks, inbound webhooks and their log, endpoints and deliveries."""

from faktura.apps.integrations.selectors.idempotency import idempotency_key_lock
from faktura.apps.integrations.selectors.webhooks import (
    inbound_deliveries,
    inbound_webhook_by_token,
    inbound_webhook_for_channel,
    webhook_deliveries,
    webhook_delivery_get,
    webhook_endpoint_get,
    webhook_endpoints,
)

__all__ = [
    "idempotency_key_lock",
    "inbound_deliveries",
    "inbound_webhook_by_token",
    "inbound_webhook_for_channel",
    "webhook_deliveries",
    "webhook_delivery_get",
    "webhook_endpoint_get",
    "webhook_endpoints",
]
