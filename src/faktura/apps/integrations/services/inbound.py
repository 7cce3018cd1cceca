"""A channel's inbound webhook: its receiving address, scheme and secrets (create, change, rotate, retire).

The address is ``/webhooks/in/<token>``: the token is 32 random characters, so
the address cannot be guessed, and every delivery must also be signed with one
of the webhook's secrets. The secret is shown once, when it is made.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from faktura.apps.audit.services import audit_record
from faktura.apps.integrations.models import InboundScheme, InboundWebhook
from faktura.apps.integrations.services.webhook_secrets import rotation_allowed, secret_checked
from faktura.apps.sales import selectors as sales
from faktura.core.actors import Actor
from faktura.core.errors import Conflict, InvalidValue, NotFound

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def _scheme(value: str) -> str:
    if value not in InboundScheme.values:
        raise InvalidValue(f"must be one of {', '.join(InboundScheme.values)}", field="scheme")
    return value


def _audit(actor: Actor, webhook: InboundWebhook, action: str, data: dict[str, Any] | None = None) -> None:
    audit_record(
        organization=webhook.organization,
        actor=actor,
        action=f"inbound_webhook.{action}",
        object_type="inbound_webhook",
        object_id=webhook.pk,
        data={"channel_id": webhook.channel_id, **(data or {})},
    )


def _locked(organization: Organization, channel_id: int) -> InboundWebhook:
    webhook = (
        InboundWebhook.objects.for_organization(organization).select_for_update().filter(channel_id=channel_id).first()
    )
    if webhook is None:
        raise NotFound(f"channel {channel_id} has no inbound webhook", field="channel_id")
    return webhook


def inbound_webhook_create(
    *, actor: Actor, organization: Organization, channel_id: int, scheme: str, secret: str | None = None
) -> tuple[InboundWebhook, str]:
    """Give the channel a receiving address; returns the webhook and its secret (shown this once).

    ``secret`` is for shops that make their own (Shopify signs with the app's
    client secret); without it one is made.
    """
    scheme, secret = _scheme(scheme), secret_checked(secret)
    channel = sales.channel_get(organization=organization, channel_id=channel_id)
    if channel is None:
        raise NotFound(f"channel {channel_id} does not exist", field="channel_id")
    with transaction.atomic():
        if InboundWebhook.objects.for_organization(organization).filter(channel=channel).exists():
            raise Conflict(
                "the channel has an inbound webhook already: rotate its secret or change it", field="channel_id"
            )
        webhook = InboundWebhook.objects.create(
            organization=organization, channel=channel, scheme=scheme, token=secrets.token_urlsafe(24), secret=secret
        )
        _audit(actor, webhook, "created", {"scheme": scheme})
    return webhook, secret


def inbound_webhook_update(
    *,
    actor: Actor,
    organization: Organization,
    channel_id: int,
    scheme: str | None = None,
    is_active: bool | None = None,
) -> InboundWebhook:
    """Change the scheme, or disable (deliveries then answer 404) and enable again."""
    changes: dict[str, Any] = {}
    if scheme is not None:
        changes["scheme"] = _scheme(scheme)
    if is_active is not None:
        changes["is_active"] = is_active
    with transaction.atomic():
        webhook = _locked(organization, channel_id)
        for name, value in changes.items():
            setattr(webhook, name, value)
        if changes:
            webhook.save(update_fields=list(changes))
            _audit(actor, webhook, "updated", changes)
    return webhook


def inbound_webhook_rotate_secret(
    *, actor: Actor, organization: Organization, channel_id: int, secret: str | None = None
) -> tuple[InboundWebhook, str]:
    """A new secret, valid beside the current one until ``inbound_webhook_retire_secret``."""
    new = secret_checked(secret)
    with transaction.atomic():
        webhook = _locked(organization, channel_id)
        rotation_allowed(webhook.previous_secret)
        webhook.previous_secret, webhook.secret = webhook.secret, new
        webhook.secret_rotated_at = timezone.now()
        webhook.save(update_fields=["secret", "previous_secret", "secret_rotated_at"])
        _audit(actor, webhook, "secret_rotated")
    return webhook, new


def inbound_webhook_retire_secret(*, actor: Actor, organization: Organization, channel_id: int) -> InboundWebhook:
    """Stop accepting the previous secret."""
    with transaction.atomic():
        webhook = _locked(organization, channel_id)
        if not webhook.previous_secret:
            raise InvalidValue("there is no previous secret to retire", field="previous_secret")
        webhook.previous_secret = ""
        webhook.save(update_fields=["previous_secret"])
        _audit(actor, webhook, "secret_retired")
    return webhook
