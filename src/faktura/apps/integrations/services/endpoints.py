"""A seller's outbound webhook endpoints: create, change, delete, rotate and retire secrets (with audit)."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from faktura.apps.audit.services import audit_record
from faktura.apps.integrations import sender
from faktura.apps.integrations.models import OutboundEventType, WebhookEndpoint
from faktura.apps.integrations.services.webhook_secrets import rotation_allowed, secret_checked
from faktura.core.actors import Actor
from faktura.core.errors import InvalidValue, MissingValue, NotFound
from faktura.webhooks.destinations import check_address, check_url

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def _url(url: str) -> str:
    """A URL that may receive webhooks; a literal address is checked now, a host name before each attempt."""
    target = check_url(url)
    try:
        ipaddress.ip_address(target.host)
    except ValueError:
        return url.strip()
    check_address(target.host, allowed=sender.allowed_networks())
    return url.strip()


def _description(value: str) -> str:
    value = value.strip()
    if not value.isprintable():
        raise InvalidValue("must not contain control characters", field="description")
    return value


def _event_types(values: Sequence[str]) -> list[str]:
    if not values:
        raise MissingValue("subscribe to at least one event type", field="event_types")
    chosen: list[str] = []
    for index, value in enumerate(values):
        if value not in OutboundEventType.values:
            known = ", ".join(OutboundEventType.values)
            raise InvalidValue(f"{value!r} is not an event type; known: {known}", field=f"event_types.{index}")
        if value not in chosen:
            chosen.append(value)
    return chosen


def _audit(actor: Actor, endpoint: WebhookEndpoint, action: str, data: dict[str, Any] | None = None) -> None:
    audit_record(
        organization=endpoint.organization,
        actor=actor,
        action=f"webhook_endpoint.{action}",
        object_type="webhook_endpoint",
        object_id=endpoint.pk,
        data=data,
    )


def _locked(organization: Organization, endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.for_organization(organization).select_for_update().filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound(f"webhook endpoint {endpoint_id} does not exist", field="endpoint_id")
    return endpoint


def webhook_endpoint_create(
    *,
    actor: Actor,
    organization: Organization,
    url: str,
    event_types: Sequence[str],
    description: str = "",
    secret: str | None = None,
) -> tuple[WebhookEndpoint, str]:
    """Add an endpoint; returns it and its secret, which the seller sees this once."""
    url, types, secret = _url(url), _event_types(event_types), secret_checked(secret)
    description = _description(description)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            organization=organization, url=url, event_types=types, description=description, secret=secret
        )
        _audit(actor, endpoint, "created", {"url": url, "event_types": types})
    return endpoint, secret


def webhook_endpoint_update(
    *,
    actor: Actor,
    organization: Organization,
    endpoint_id: int,
    url: str | None = None,
    event_types: Sequence[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> WebhookEndpoint:
    changes: dict[str, Any] = {}
    if url is not None:
        changes["url"] = _url(url)
    if event_types is not None:
        changes["event_types"] = _event_types(event_types)
    if description is not None:
        changes["description"] = _description(description)
    if is_active is not None:
        changes["is_active"] = is_active
    with transaction.atomic():
        endpoint = _locked(organization, endpoint_id)
        for name, value in changes.items():
            setattr(endpoint, name, value)
        if changes:
            endpoint.updated_at = timezone.now()
            endpoint.save(update_fields=[*changes, "updated_at"])
            _audit(actor, endpoint, "updated", changes)
    return endpoint


def webhook_endpoint_delete(*, actor: Actor, organization: Organization, endpoint_id: int) -> None:
    """Remove the endpoint and its delivery log; queued attempts find it gone and send nothing."""
    with transaction.atomic():
        endpoint = _locked(organization, endpoint_id)
        _audit(actor, endpoint, "deleted", {"url": endpoint.url})
        endpoint.delete()


def webhook_endpoint_rotate_secret(
    *, actor: Actor, organization: Organization, endpoint_id: int, secret: str | None = None
) -> tuple[WebhookEndpoint, str]:
    """A new secret; deliveries are signed with both until ``webhook_endpoint_retire_secret``."""
    new = secret_checked(secret)
    with transaction.atomic():
        endpoint = _locked(organization, endpoint_id)
        rotation_allowed(endpoint.previous_secret)
        endpoint.previous_secret, endpoint.secret = endpoint.secret, new
        endpoint.secret_rotated_at = endpoint.updated_at = timezone.now()
        endpoint.save(update_fields=["secret", "previous_secret", "secret_rotated_at", "updated_at"])
        _audit(actor, endpoint, "secret_rotated")
    return endpoint, new


def webhook_endpoint_retire_secret(*, actor: Actor, organization: Organization, endpoint_id: int) -> WebhookEndpoint:
    """Stop signing with the previous secret."""
    with transaction.atomic():
        endpoint = _locked(organization, endpoint_id)
        if not endpoint.previous_secret:
            raise InvalidValue("there is no previous secret to retire", field="previous_secret")
        endpoint.previous_secret = ""
        endpoint.updated_at = timezone.now()
        endpoint.save(update_fields=["previous_secret", "updated_at"])
        _audit(actor, endpoint, "secret_retired")
    return endpoint
