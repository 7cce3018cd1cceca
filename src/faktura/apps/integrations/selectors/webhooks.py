"""Reads of inbound webhooks, outbound endpoints and their logs; every tenant read names its organization."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from faktura.apps.integrations.models import InboundDelivery, InboundWebhook, WebhookDelivery, WebhookEndpoint

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def inbound_webhook_by_token(*, token: str) -> InboundWebhook | None:
    """The webhook whose receiving address holds ``token``, with its seller and channel; any seller's.

    The token is the only credential of the address (the signature is the other),
    so this is the one read that does not start from an organization.
    """
    if not token or len(token) > InboundWebhook._meta.get_field("token").max_length:  # type: ignore[operator]
        return None
    return InboundWebhook.objects.select_related("organization", "channel").filter(token=token).first()


def inbound_webhook_for_channel(*, organization: Organization, channel_id: int) -> InboundWebhook | None:
    return (
        InboundWebhook.objects.for_organization(organization)
        .select_related("channel")
        .filter(channel_id=channel_id)
        .first()
    )


def inbound_deliveries(
    *, organization: Organization, webhook: InboundWebhook, limit: int, offset: int = 0
) -> QuerySet[InboundDelivery]:
    """The webhook's log, newest first."""
    rows = InboundDelivery.objects.for_organization(organization).filter(webhook=webhook)
    return rows.order_by("-received_at", "-pk")[offset : offset + limit]


def webhook_endpoints(*, organization: Organization) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.for_organization(organization).order_by("pk")


def webhook_endpoint_get(*, organization: Organization, endpoint_id: int) -> WebhookEndpoint | None:
    return WebhookEndpoint.objects.for_organization(organization).filter(pk=endpoint_id).first()


def webhook_deliveries(
    *, organization: Organization, endpoint: WebhookEndpoint, limit: int, offset: int = 0
) -> QuerySet[WebhookDelivery]:
    """The endpoint's delivery log, newest attempt first."""
    rows = WebhookDelivery.objects.for_organization(organization).filter(endpoint=endpoint).select_related("event")
    return rows.order_by("-started_at", "-pk")[offset : offset + limit]


def webhook_delivery_get(
    *, organization: Organization, endpoint: WebhookEndpoint, delivery_id: int
) -> WebhookDelivery | None:
    return (
        WebhookDelivery.objects.for_organization(organization)
        .filter(endpoint=endpoint, pk=delivery_id)
        .select_related("event")
        .first()
    )
