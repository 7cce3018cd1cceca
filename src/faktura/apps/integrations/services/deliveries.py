"""Delivering outbound events: one attempt (claim, send, record, schedule the retry) and redelivery by hand.

An attempt is three steps, and only the middle one talks to the network:

1. **claim**, in a short transaction: the attempt's ``WebhookDelivery`` row is
   inserted as ``sending`` under the unique (endpoint, event, attempt). A task
   that runs twice, or a retry that a redelivery overtook, finds its number
   taken and stops. An automatic retry also stops unless the attempt before it
   is still ``retrying`` (it was not overtaken); an endpoint that was deleted or
   deactivated meanwhile gets nothing.
2. **send**, outside any transaction (``sender.post``).
3. **record**, in a second transaction: the answer, and per ``faktura.webhooks.retries``
   either ``succeeded``, ``failed``, or ``retrying`` with the next attempt queued
   in that same transaction for ``next_retry_at``.

A redelivery is the next attempt, made now; when it fails in a way that is
retried and the schedule has attempts left, it is retried like any other.
A crash between claim and record leaves the row ``sending``: the request may
or may not have gone out, so nothing is retried blindly; the seller sees it
and can redeliver. Receivers deduplicate by the event id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from faktura.apps.audit.services import audit_record
from faktura.apps.integrations import sender
from faktura.apps.integrations.models import DeliveryStatus, OutboundEvent, WebhookDelivery, WebhookEndpoint
from faktura.apps.integrations.services.queue import delivery_enqueue
from faktura.core.actors import Actor
from faktura.core.errors import Conflict
from faktura.webhooks import outbound
from faktura.webhooks.retries import Verdict, retry_delay, verdict

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization

SKIPPED = "skipped"


def webhook_delivery_attempt(*, endpoint_id: int, event_id: int, attempt: int, manual: bool = False) -> str:
    """Make one attempt; returns its final status, or ``skipped`` when there was nothing to do."""
    claimed = _claim(endpoint_id=endpoint_id, event_id=event_id, attempt=attempt, manual=manual)
    if claimed is None:
        return SKIPPED
    delivery, endpoint, event = claimed
    ref = outbound.event_ref(event.pk)
    body = outbound.envelope(event_id=ref, event_type=event.event_type, created_at=event.created_at, data=event.data)
    headers = outbound.headers(
        body,
        secrets=endpoint.secrets,
        event_id=ref,
        event_type=event.event_type,
        attempt=attempt,
        now=timezone.now(),
    )
    answer = sender.post(endpoint.url, body, headers)
    return _record(delivery, answer)


def _claim(
    *, endpoint_id: int, event_id: int, attempt: int, manual: bool
) -> tuple[WebhookDelivery, WebhookEndpoint, OutboundEvent] | None:
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, is_active=True).first()
        if endpoint is None:
            return None
        event = OutboundEvent.objects.filter(pk=event_id, organization_id=endpoint.organization_id).first()
        if event is None:
            return None
        rows = WebhookDelivery.objects.filter(endpoint=endpoint, event=event)
        if not manual and attempt > 1 and not rows.filter(attempt=attempt - 1, status=DeliveryStatus.RETRYING).exists():
            return None
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    organization_id=endpoint.organization_id,
                    endpoint=endpoint,
                    event=event,
                    attempt=attempt,
                    manual=manual,
                    status=DeliveryStatus.SENDING,
                )
        except IntegrityError:
            return None
    return delivery, endpoint, event


def _record(delivery: WebhookDelivery, answer: sender.Answer) -> str:
    outcome = Verdict.FAILED if answer.refused else verdict(answer.status)
    now = timezone.now()
    delay = retry_delay(delivery.attempt) if outcome is Verdict.RETRY else None
    status = {
        Verdict.DELIVERED: DeliveryStatus.SUCCEEDED,
        Verdict.RETRY: DeliveryStatus.RETRYING if delay is not None else DeliveryStatus.FAILED,
        Verdict.FAILED: DeliveryStatus.FAILED,
    }[outcome]
    next_retry_at = now + delay if delay is not None else None
    with transaction.atomic():
        updated = WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=status,
            response_status=answer.status,
            response_excerpt=answer.excerpt,
            error=answer.error,
            duration_ms=answer.duration_ms,
            next_retry_at=next_retry_at,
            finished_at=now,
        )
        if updated and next_retry_at is not None:
            delivery_enqueue(
                endpoint_id=delivery.endpoint_id,
                event_id=delivery.event_id,
                attempt=delivery.attempt + 1,
                run_after=next_retry_at,
            )
    return str(status)


def webhook_redeliver(
    *, actor: Actor, organization: Organization, endpoint: WebhookEndpoint, delivery: WebhookDelivery
) -> int:
    """Queue the next attempt of ``delivery``'s event to ``endpoint``, to run now; returns its number.

    The number is taken when the task runs, so two redeliveries asked for before
    the first one ran make one attempt.
    """
    if not endpoint.is_active:
        raise Conflict("the endpoint is disabled: enable it first", field="is_active")
    with transaction.atomic():
        rows = WebhookDelivery.objects.filter(endpoint=endpoint, event_id=delivery.event_id)
        attempt = (rows.aggregate(last=Max("attempt"))["last"] or 0) + 1
        delivery_enqueue(endpoint_id=endpoint.pk, event_id=delivery.event_id, attempt=attempt, manual=True)
        audit_record(
            organization=organization,
            actor=actor,
            action="webhook_endpoint.redelivered",
            object_type="webhook_endpoint",
            object_id=endpoint.pk,
            data={"event": outbound.event_ref(delivery.event_id), "attempt": attempt},
        )
    return attempt
