"""Webhooks over the REST API: a channel's inbound webhook, the seller's outbound endpoints, their logs.

Thin views over the integrations services and selectors. A secret appears in
exactly two answers: the one that made it (create, rotate); every read shows
only whether a previous secret is still valid.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from faktura.apps.integrations import selectors
from faktura.apps.integrations.idempotency import idempotent
from faktura.apps.integrations.models import (
    DeliveryStatus,
    InboundOutcome,
    InboundScheme,
    InboundWebhook,
    OutboundEventType,
    WebhookEndpoint,
)
from faktura.apps.integrations.services import deliveries, endpoints, inbound
from faktura.core.errors import NotFound
from faktura.webhooks.outbound import event_ref

router = Router(tags=["webhooks"])


def _org(request: HttpRequest) -> Any:
    return request.organization  # type: ignore[attr-defined]


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


class Page(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


# Inbound ----------------------------------------------------------------------------------------


class InboundIn(Schema):
    scheme: InboundScheme
    secret: str | None = Field(
        None, description="The shop's own signing secret (Shopify: the app's client secret); made for you if left out."
    )


class InboundPatch(Schema):
    scheme: InboundScheme | None = None
    is_active: bool | None = None


class SecretIn(Schema):
    secret: str | None = Field(None, description="The new secret; made for you if left out.")


class InboundOut(Schema):
    channel_id: int
    scheme: InboundScheme
    url: str = Field(description="Where the shop posts its webhooks.")
    is_active: bool
    has_previous_secret: bool = Field(description="True during a rotation: the previous secret is accepted too.")
    secret_rotated_at: dt.datetime | None
    created_at: dt.datetime


class InboundWithSecret(InboundOut):
    secret: str = Field(description="Shown this once: store it in the shop.")


class InboundDeliveryOut(Schema):
    id: int
    received_at: dt.datetime
    event_id: str
    topic: str
    verified: bool
    outcome: InboundOutcome
    http_status: int
    code: str
    message: str
    field: str
    order_id: int | None
    body_size: int
    duration_ms: int


def _inbound_out(request: HttpRequest, webhook: InboundWebhook, secret: str | None = None) -> dict[str, Any]:
    path = reverse("inbound-webhook", kwargs={"token": webhook.token})
    base = getattr(settings, "FAKTURA_BASE_URL", "") or request.build_absolute_uri("/")
    out = {
        "channel_id": webhook.channel_id,
        "scheme": webhook.scheme,
        "url": base.rstrip("/") + path,
        "is_active": webhook.is_active,
        "has_previous_secret": bool(webhook.previous_secret),
        "secret_rotated_at": webhook.secret_rotated_at,
        "created_at": webhook.created_at,
    }
    if secret is not None:
        out["secret"] = secret
    return out


def _inbound(request: HttpRequest, channel_id: int) -> InboundWebhook:
    webhook = selectors.inbound_webhook_for_channel(organization=_org(request), channel_id=channel_id)
    if webhook is None:
        raise NotFound(f"channel {channel_id} has no inbound webhook", field="channel_id")
    return webhook


INBOUND = "/channels/{channel_id}/inbound-webhook"


@router.post(INBOUND, response={201: InboundWithSecret}, summary="Give a channel an address for its shop's webhooks")
@idempotent
def inbound_create(request: HttpRequest, channel_id: int, payload: InboundIn) -> Any:
    webhook, secret = inbound.inbound_webhook_create(
        actor=_actor(request),
        organization=_org(request),
        channel_id=channel_id,
        scheme=payload.scheme,
        secret=payload.secret,
    )
    return Status(201, _inbound_out(request, webhook, secret))


@router.get(INBOUND, response=InboundOut, summary="A channel's inbound webhook (without its secret)")
def inbound_detail(request: HttpRequest, channel_id: int) -> Any:
    return _inbound_out(request, _inbound(request, channel_id))


@router.patch(INBOUND, response=InboundOut, summary="Change the scheme, disable or enable")
def inbound_change(request: HttpRequest, channel_id: int, payload: InboundPatch) -> Any:
    webhook = inbound.inbound_webhook_update(
        actor=_actor(request),
        organization=_org(request),
        channel_id=channel_id,
        scheme=payload.scheme,
        is_active=payload.is_active,
    )
    return _inbound_out(request, webhook)


@router.delete(INBOUND, response=InboundOut, summary="Disable (deliveries answer 404; PATCH is_active enables)")
def inbound_disable(request: HttpRequest, channel_id: int) -> Any:
    webhook = inbound.inbound_webhook_update(
        actor=_actor(request), organization=_org(request), channel_id=channel_id, is_active=False
    )
    return _inbound_out(request, webhook)


@router.post(
    f"{INBOUND}/rotate-secret",
    response=InboundWithSecret,
    summary="A new secret; the previous one stays valid until retired",
)
@idempotent
def inbound_rotate(request: HttpRequest, channel_id: int, payload: SecretIn) -> Any:
    webhook, secret = inbound.inbound_webhook_rotate_secret(
        actor=_actor(request), organization=_org(request), channel_id=channel_id, secret=payload.secret
    )
    return _inbound_out(request, webhook, secret)


@router.post(f"{INBOUND}/retire-previous-secret", response=InboundOut, summary="Stop accepting the previous secret")
@idempotent
def inbound_retire(request: HttpRequest, channel_id: int) -> Any:
    webhook = inbound.inbound_webhook_retire_secret(
        actor=_actor(request), organization=_org(request), channel_id=channel_id
    )
    return _inbound_out(request, webhook)


@router.get(
    f"{INBOUND}/deliveries", response=list[InboundDeliveryOut], summary="What reached the address, newest first"
)
def inbound_log(request: HttpRequest, channel_id: int, page: Query[Page]) -> Any:
    webhook = _inbound(request, channel_id)
    return selectors.inbound_deliveries(
        organization=_org(request), webhook=webhook, limit=page.limit, offset=page.offset
    )


# Outbound ---------------------------------------------------------------------------------------


class EndpointIn(Schema):
    url: str = Field(max_length=2000, description="http or https; see docs/integrators.md for allowed addresses.")
    event_types: list[OutboundEventType] = Field(min_length=1)
    description: str = Field("", max_length=200)
    secret: str | None = Field(None, description="Your own signing secret; made for you if left out.")


class EndpointPatch(Schema):
    url: str | None = Field(None, max_length=2000)
    event_types: list[OutboundEventType] | None = Field(None, min_length=1)
    description: str | None = Field(None, max_length=200)
    is_active: bool | None = None


class EndpointOut(Schema):
    id: int
    url: str
    description: str
    event_types: list[str]
    is_active: bool
    has_previous_secret: bool
    secret_rotated_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class EndpointWithSecret(EndpointOut):
    secret: str = Field(description="Shown this once: verify deliveries with it.")


class DeliveryOut(Schema):
    id: int
    event_id: str
    event_type: str
    attempt: int
    manual: bool
    status: DeliveryStatus
    response_status: int | None
    response_excerpt: str
    error: str
    duration_ms: int | None
    next_retry_at: dt.datetime | None
    started_at: dt.datetime
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_event_id(delivery: Any) -> str:
        return event_ref(delivery.event_id)

    @staticmethod
    def resolve_event_type(delivery: Any) -> str:
        return str(delivery.event.event_type)


class RedeliveryOut(Schema):
    event_id: str
    attempt: int = Field(description="The number the new attempt will have in the log.")


def _endpoint(request: HttpRequest, endpoint_id: int) -> WebhookEndpoint:
    endpoint = selectors.webhook_endpoint_get(organization=_org(request), endpoint_id=endpoint_id)
    if endpoint is None:
        raise NotFound(f"webhook endpoint {endpoint_id} does not exist", field="endpoint_id")
    return endpoint


def _endpoint_out(endpoint: WebhookEndpoint, secret: str | None = None) -> dict[str, Any]:
    out = {
        "id": endpoint.pk,
        "url": endpoint.url,
        "description": endpoint.description,
        "event_types": endpoint.event_types,
        "is_active": endpoint.is_active,
        "has_previous_secret": bool(endpoint.previous_secret),
        "secret_rotated_at": endpoint.secret_rotated_at,
        "created_at": endpoint.created_at,
        "updated_at": endpoint.updated_at,
    }
    if secret is not None:
        out["secret"] = secret
    return out


@router.get("/webhook-endpoints", response=list[EndpointOut], summary="The seller's webhook endpoints")
def endpoint_list(request: HttpRequest) -> Any:
    return [_endpoint_out(endpoint) for endpoint in selectors.webhook_endpoints(organization=_org(request))]


@router.post("/webhook-endpoints", response={201: EndpointWithSecret}, summary="Add a webhook endpoint")
@idempotent
def endpoint_add(request: HttpRequest, payload: EndpointIn) -> Any:
    endpoint, secret = endpoints.webhook_endpoint_create(
        actor=_actor(request),
        organization=_org(request),
        url=payload.url,
        event_types=[str(t) for t in payload.event_types],
        description=payload.description,
        secret=payload.secret,
    )
    return Status(201, _endpoint_out(endpoint, secret))


@router.get("/webhook-endpoints/{endpoint_id}", response=EndpointOut, summary="One webhook endpoint")
def endpoint_detail(request: HttpRequest, endpoint_id: int) -> Any:
    return _endpoint_out(_endpoint(request, endpoint_id))


@router.patch("/webhook-endpoints/{endpoint_id}", response=EndpointOut, summary="Change an endpoint")
def endpoint_change(request: HttpRequest, endpoint_id: int, payload: EndpointPatch) -> Any:
    endpoint = endpoints.webhook_endpoint_update(
        actor=_actor(request),
        organization=_org(request),
        endpoint_id=endpoint_id,
        url=payload.url,
        event_types=[str(t) for t in payload.event_types] if payload.event_types is not None else None,
        description=payload.description,
        is_active=payload.is_active,
    )
    return _endpoint_out(endpoint)


@router.delete("/webhook-endpoints/{endpoint_id}", response={204: None}, summary="Remove an endpoint and its log")
def endpoint_remove(request: HttpRequest, endpoint_id: int) -> Any:
    endpoints.webhook_endpoint_delete(actor=_actor(request), organization=_org(request), endpoint_id=endpoint_id)
    return Status(204, None)


@router.post(
    "/webhook-endpoints/{endpoint_id}/rotate-secret",
    response=EndpointWithSecret,
    summary="A new secret; deliveries carry a signature for each until the previous one is retired",
)
@idempotent
def endpoint_rotate(request: HttpRequest, endpoint_id: int, payload: SecretIn) -> Any:
    endpoint, secret = endpoints.webhook_endpoint_rotate_secret(
        actor=_actor(request), organization=_org(request), endpoint_id=endpoint_id, secret=payload.secret
    )
    return _endpoint_out(endpoint, secret)


@router.post(
    "/webhook-endpoints/{endpoint_id}/retire-previous-secret",
    response=EndpointOut,
    summary="Stop signing with the previous secret",
)
@idempotent
def endpoint_retire(request: HttpRequest, endpoint_id: int) -> Any:
    endpoint = endpoints.webhook_endpoint_retire_secret(
        actor=_actor(request), organization=_org(request), endpoint_id=endpoint_id
    )
    return _endpoint_out(endpoint)


@router.get(
    "/webhook-endpoints/{endpoint_id}/deliveries",
    response=list[DeliveryOut],
    summary="Every delivery attempt to the endpoint, newest first",
)
def endpoint_log(request: HttpRequest, endpoint_id: int, page: Query[Page]) -> Any:
    endpoint = _endpoint(request, endpoint_id)
    return selectors.webhook_deliveries(
        organization=_org(request), endpoint=endpoint, limit=page.limit, offset=page.offset
    )


@router.post(
    "/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/redeliver",
    response={202: RedeliveryOut},
    summary="Deliver the attempt's event again, now",
)
@idempotent
def endpoint_redeliver(request: HttpRequest, endpoint_id: int, delivery_id: int) -> Any:
    endpoint = _endpoint(request, endpoint_id)
    delivery = selectors.webhook_delivery_get(organization=_org(request), endpoint=endpoint, delivery_id=delivery_id)
    if delivery is None:
        raise NotFound(f"delivery {delivery_id} does not exist", field="delivery_id")
    attempt = deliveries.webhook_redeliver(
        actor=_actor(request), organization=_org(request), endpoint=endpoint, delivery=delivery
    )
    return Status(202, {"event_id": event_ref(delivery.event_id), "attempt": attempt})
