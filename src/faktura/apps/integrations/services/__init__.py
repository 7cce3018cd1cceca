"""Writes of the integrations app; one module per concern, all reachable from here.

* ``idempotency``: Idempotency-Key reservations for the API's POSTs;
* ``outbox``: ``webhook_event_emit``, the outbound event and its deliveries, queued with the change;
* ``inbound``: a channel's receiving address and its secrets; ``receive``: one delivery to it;
* ``endpoints``: the seller's outbound endpoints and their secrets; ``deliveries``: one attempt, redelivery.
"""

from faktura.apps.integrations.services.idempotency import (
    idempotency_key_complete,
    idempotency_key_release,
    idempotency_key_reserve,
    idempotency_key_restart,
    idempotency_key_take_over,
    idempotency_keys_prune,
)
from faktura.apps.integrations.services.inbound import (
    inbound_webhook_create,
    inbound_webhook_retire_secret,
    inbound_webhook_rotate_secret,
    inbound_webhook_update,
)
from faktura.apps.integrations.services.outbox import webhook_event_emit

__all__ = [
    "idempotency_key_complete",
    "idempotency_key_release",
    "idempotency_key_reserve",
    "idempotency_key_restart",
    "idempotency_key_take_over",
    "idempotency_keys_prune",
    "inbound_webhook_create",
    "inbound_webhook_retire_secret",
    "inbound_webhook_rotate_secret",
    "inbound_webhook_update",
    "webhook_event_emit",
]
