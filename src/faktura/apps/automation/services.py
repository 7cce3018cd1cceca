"""Every write of the automation app: order events in (the ingest pipeline), rules and triggers saved.

``channel_event_receive`` is the door for inbound webhooks; ``order_receive``
and ``order_event_receive`` for the REST API; the rule and trigger services
for the rules API. See ``ingest`` for the transaction and concurrency story.
"""

from faktura.apps.automation.ingest import (
    KINDS,
    DocumentPayment,
    OrderEventInput,
    channel_event_receive,
    document_payment_receive,
    order_event_receive,
    order_receive,
)
from faktura.apps.automation.outcome import EventOutcome, IssuedDocument, OrderError, SkippedIntent
from faktura.apps.automation.rulesets import (
    connector_check,
    rule_create,
    rule_delete,
    rule_set_check_connector,
    rule_set_for_channel,
    rule_update,
    triggers_set,
)

__all__ = [
    "KINDS",
    "DocumentPayment",
    "EventOutcome",
    "IssuedDocument",
    "OrderError",
    "OrderEventInput",
    "SkippedIntent",
    "channel_event_receive",
    "connector_check",
    "document_payment_receive",
    "order_event_receive",
    "order_receive",
    "rule_create",
    "rule_delete",
    "rule_set_check_connector",
    "rule_set_for_channel",
    "rule_update",
    "triggers_set",
]
