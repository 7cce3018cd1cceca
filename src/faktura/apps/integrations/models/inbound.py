"""Inbound webhooks: one receiving address per sales channel, and the log of what arrived there."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from faktura.platform.models import TenantModel

MAX_SECRET_LENGTH = 255


class InboundScheme(models.TextChoices):
    """Which sender's signature and payload the channel's shop speaks (``faktura.webhooks``)."""

    GENERIC = "generic", "Generic (Faktura-Signature)"
    WOOCOMMERCE = "woocommerce", "WooCommerce"
    SHOPIFY = "shopify", "Shopify"


class InboundWebhook(TenantModel):
    """A channel's receiving address ``/webhooks/in/<token>`` and the secrets its deliveries are signed with.

    ``secret`` is the current secret; during a rotation ``previous_secret`` is
    accepted too, until the seller retires it. Both are stored as given, because
    verifying an HMAC needs the key itself.
    """

    channel = models.OneToOneField("sales.SalesChannel", on_delete=models.CASCADE, related_name="+")
    scheme = models.CharField(max_length=16, choices=InboundScheme.choices)
    token = models.CharField(max_length=64, unique=True)
    secret = models.CharField(max_length=MAX_SECRET_LENGTH)
    previous_secret = models.CharField(max_length=MAX_SECRET_LENGTH, blank=True, default="")
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.scheme} webhook of channel {self.channel_id}"

    @property
    def secrets(self) -> list[str]:
        """The secrets a delivery may be signed with: the current one first."""
        return [s for s in (self.secret, self.previous_secret) if s]


class InboundOutcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    DUPLICATE = "duplicate", "Duplicate (already received)"
    STALE = "stale", "Stale (an older order snapshot; nothing changed)"
    IGNORED = "ignored", "Ignored (a topic that carries no order)"
    PING = "ping", "Ping"
    REJECTED = "rejected", "Rejected (signature)"
    INVALID = "invalid", "Invalid payload"
    REFUSED = "refused", "Refused by the order rules"
    TOO_LARGE = "too_large", "Too large"
    DISABLED = "disabled", "Webhook disabled"
    UNAVAILABLE = "unavailable", "Not processed (temporary failure)"


class InboundDelivery(TenantModel):
    """One request that reached a channel's address: when, whether it was authentic, what became of it.

    The body itself is not kept (it holds the buyer's personal data and the order
    keeps what matters); its size and SHA-256 identify it.
    """

    webhook = models.ForeignKey(InboundWebhook, on_delete=models.CASCADE, related_name="deliveries")
    received_at = models.DateTimeField(default=timezone.now)
    event_id = models.CharField(max_length=255, blank=True, default="")
    topic = models.CharField(max_length=100, blank=True, default="")
    verified = models.BooleanField(default=False)
    outcome = models.CharField(max_length=16, choices=InboundOutcome.choices)
    http_status = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=64, blank=True, default="")
    message = models.TextField(blank=True, default="")
    field = models.CharField(max_length=255, blank=True, default="")
    order_id = models.BigIntegerField(null=True, blank=True)
    body_size = models.PositiveIntegerField(default=0)
    body_sha256 = models.CharField(max_length=64, blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["webhook", "-received_at"], name="integrations_inbound_log")]

    def __str__(self) -> str:
        return f"{self.outcome} {self.event_id}"
