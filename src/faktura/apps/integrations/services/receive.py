"""One delivery to a channel's inbound webhook: verify, parse, hand to the ingest service, log, answer.

The answer tells the shop whether to retry:

* **200** when the event was accepted, was a duplicate of one already received
  (same event id: nothing changes, the first outcome is returned; for WooCommerce
  and Shopify, whose delivery id header is not signed, the event id is a hash of
  the topic and the signed body, see ``body_event_id``), was stale (an order
  snapshot older than the stored one: recorded, nothing changes), is a topic
  that carries no order (``ignored``), or is WooCommerce's unsigned ping;
* **401** when the signature is missing, wrong, or its time is more than 5
  minutes off (**400** when a signature header is not in the scheme's shape);
* **422** when the body is not an order we can read, naming the field;
* the ingest service's own 4xx when it refuses the event (e.g. 409);
* **404** when the webhook is disabled, **413** when the body is too large;
* **503** with ``Retry-After`` when the database or anything unexpected failed:
  nothing was stored, so the shop's retry is welcome. Never a 500.

Every delivery is logged (``InboundDelivery``): when, whether the signature
held, the event id, the outcome and the order it touched.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import DatabaseError

from faktura.apps.automation.services import channel_event_receive
from faktura.apps.integrations.models import InboundDelivery, InboundOutcome, InboundScheme, InboundWebhook
from faktura.core.actors import Actor
from faktura.core.errors import FakturaError, InvalidValue, ValidationError
from faktura.webhooks.errors import WebhookRejected
from faktura.webhooks.payloads import EventType, GenericEvent, parse_generic, parse_shopify, parse_woocommerce
from faktura.webhooks.payloads.shopify import ORDER_TOPICS
from faktura.webhooks.signatures import SCHEMES, Verified

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
"""Larger bodies are refused with 413 before they are read."""

RETRY_AFTER_SECONDS = 30
MAX_EVENT_ID_LENGTH = 200
"""What the order timeline keeps of an event id."""
_WOOCOMMERCE_PING = re.compile(rb"webhook_id=[0-9]+")
_MESSAGE_CHARS = 1000


@dataclass(frozen=True)
class Reply:
    """What the view answers: a status, a JSON body and extra headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def inbound_delivery_receive(
    *, webhook: InboundWebhook, headers: Mapping[str, str], body: bytes, received_at: datetime
) -> Reply:
    """Process one delivery whose raw ``body`` was read whole; see the module docstring for the answers."""
    log = _Log(webhook, received_at, body=body)
    scheme = SCHEMES[webhook.scheme]
    log.event_id = _header(headers, getattr(scheme, "event_id_header", ""))
    log.topic = _header(headers, getattr(scheme, "topic_header", ""))
    if not webhook.is_active:
        return log.reply(404, InboundOutcome.DISABLED, code="not_found", message="this webhook is disabled")
    if webhook.scheme == InboundScheme.WOOCOMMERCE and _is_woocommerce_ping(headers, body):
        return log.reply(200, InboundOutcome.PING, message="ping received", extra={"status": "ping"})
    try:
        verified = scheme.verify(headers, body, secrets=webhook.secrets, now=received_at)
    except WebhookRejected as rejected:
        return log.refuse(rejected, InboundOutcome.REJECTED)
    log.verified = True
    if not _carries_an_order(webhook.scheme, verified.topic):
        return log.reply(200, InboundOutcome.IGNORED, message=f"topic {verified.topic} carries no order")
    try:
        event = _event(webhook.scheme, verified, body)
    except ValidationError as invalid:
        return log.refuse(invalid, InboundOutcome.INVALID)
    if webhook.scheme == InboundScheme.GENERIC:
        log.event_id = event.event_id
    return _ingest(webhook, event, log)


def inbound_delivery_too_large(*, webhook: InboundWebhook, size: int | None, received_at: datetime) -> Reply:
    """A body over ``MAX_BODY_BYTES``: refused unread, and logged."""
    log = _Log(webhook, received_at, size=size or 0)
    return log.reply(
        413,
        InboundOutcome.TOO_LARGE,
        code="payload_too_large",
        message=f"the body must be at most {MAX_BODY_BYTES} bytes",
    )


def _ingest(webhook: InboundWebhook, event: GenericEvent, log: _Log) -> Reply:
    actor = Actor("webhook", str(webhook.pk), webhook.scheme)
    try:
        outcome = channel_event_receive(
            actor=actor, organization=webhook.organization, channel=webhook.channel, event=event
        )
    except FakturaError as refused:
        return log.refuse(refused, InboundOutcome.REFUSED)
    except DatabaseError:
        logger.exception("inbound webhook %s: the database failed on event %s", webhook.pk, event.event_id)
        return log.unavailable("the database is unavailable")
    except Exception:
        logger.exception("inbound webhook %s: event %s failed unexpectedly", webhook.pk, event.event_id)
        return log.unavailable("the event could not be processed")
    log.order_id = outcome.order_id
    result = InboundOutcome.ACCEPTED
    if outcome.duplicate:
        result = InboundOutcome.DUPLICATE
    elif outcome.stale:
        result = InboundOutcome.STALE
    issued = ", ".join(document.number for document in outcome.documents)
    errors = "; ".join(error.message for error in outcome.errors)
    summary = " | ".join(part for part in (f"issued {issued}" if issued else "", errors) if part)
    return log.reply(200, result, message=summary, extra={"status": str(result), **outcome.as_dict()})


def _event(scheme: str, verified: Verified, body: bytes) -> GenericEvent:
    if len(verified.event_id or "") > MAX_EVENT_ID_LENGTH:
        header = getattr(SCHEMES[scheme], "event_id_header", "event_id")
        raise InvalidValue(f"must be at most {MAX_EVENT_ID_LENGTH} characters", field=header)
    if scheme == InboundScheme.GENERIC:
        event = parse_generic(body)
        if event.event_id != verified.event_id:
            raise InvalidValue("must equal the Faktura-Event-Id header", field="event_id")
        return event
    order = parse_shopify(body, topic=verified.topic) if scheme == InboundScheme.SHOPIFY else parse_woocommerce(body)
    return GenericEvent(
        event_id=body_event_id(verified.topic, body),
        type=EventType.ORDER_UPSERTED,
        order=order,
        delivery_id=verified.event_id or "",
    )


def body_event_id(topic: str | None, body: bytes) -> str:
    """The event id of a WooCommerce or Shopify delivery: a hash of what their signature covers.

    Their delivery id header is not signed, so a captured delivery sent again
    with a new id would pass as a new event; the same topic and signed body is
    the same event whatever id comes with it.
    """
    digest = hashlib.sha256((topic or "").strip().lower().encode() + b"\n" + body).hexdigest()
    return f"sha256:{digest}"


def _carries_an_order(scheme: str, topic: str | None) -> bool:
    """WooCommerce ``order.deleted`` and non-order topics, Shopify topics other than whole orders: no order."""
    if not topic:
        return True
    topic = topic.strip().lower()
    if scheme == InboundScheme.WOOCOMMERCE:
        return topic.startswith("order.") and topic != "order.deleted"
    if scheme == InboundScheme.SHOPIFY:
        return topic in ORDER_TOPICS
    return True


def _is_woocommerce_ping(headers: Mapping[str, str], body: bytes) -> bool:
    """WooCommerce posts ``webhook_id=<id>``, unsigned, when a webhook is saved, and wants a 2xx back."""
    signature = _header(headers, "X-WC-Webhook-Signature")
    return not signature and _WOOCOMMERCE_PING.fullmatch(body.strip()) is not None


def _header(headers: Mapping[str, str], name: str) -> str:
    if not name:
        return ""
    wanted = name.lower()
    return next((value.strip() for key, value in headers.items() if key.lower() == wanted), "")[:255]


class _Log:
    """Collects what is known of the delivery, then writes its log row with the reply."""

    def __init__(self, webhook: InboundWebhook, received_at: datetime, *, body: bytes = b"", size: int = 0) -> None:
        self.webhook, self.received_at = webhook, received_at
        self.started = time.monotonic()
        self.size = size or len(body)
        self.sha256 = hashlib.sha256(body).hexdigest() if body else ""
        self.event_id = self.topic = ""
        self.verified = False
        self.order_id: int | None = None

    def refuse(self, error: FakturaError, outcome: InboundOutcome) -> Reply:
        return self.reply(error.http_status, outcome, code=error.code, message=error.message, field=error.field)

    def unavailable(self, message: str) -> Reply:
        reply = self.reply(503, InboundOutcome.UNAVAILABLE, code="unavailable", message=f"{message}; retry later")
        reply.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return reply

    def reply(
        self,
        status: int,
        outcome: InboundOutcome,
        *,
        code: str = "",
        message: str = "",
        field: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Reply:
        self._write(status, outcome, code, message, field)
        if status >= 400:
            return Reply(status, {"code": code, "message": message, "field": field})
        return Reply(status, extra or {"status": str(outcome), "message": message})

    def _write(self, status: int, outcome: InboundOutcome, code: str, message: str, field: str | None) -> None:
        try:
            InboundDelivery.objects.create(
                organization_id=self.webhook.organization_id,
                webhook=self.webhook,
                received_at=self.received_at,
                event_id=self.event_id[:255],
                topic=self.topic[:100],
                verified=self.verified,
                outcome=outcome,
                http_status=status,
                code=code[:64],
                message=message[:_MESSAGE_CHARS],
                field=(field or "")[:255],
                order_id=self.order_id,
                body_size=self.size,
                body_sha256=self.sha256,
                duration_ms=round((time.monotonic() - self.started) * 1000),
            )
        except DatabaseError:  # the answer matters more than its log line
            logger.exception("inbound webhook %s: the delivery could not be logged", self.webhook.pk)
