"""Outbound webhooks: a seller's endpoints and the log of every attempt to deliver an event to one."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from faktura.apps.integrations.models.inbound import MAX_SECRET_LENGTH
from faktura.apps.integrations.models.outbox import OutboundEvent
from faktura.platform.models import TenantModel
from faktura.webhooks.destinations import MAX_URL_LENGTH


class WebhookEndpoint(TenantModel):
    """A URL of the seller's that hears about the event types it subscribed to, signed with its secret.

    During a rotation deliveries carry one signature per secret (``secret`` and
    ``previous_secret``) until the seller retires the previous one.
    """

    url = models.CharField(max_length=MAX_URL_LENGTH)
    description = models.CharField(max_length=200, blank=True, default="")
    event_types = models.JSONField(default=list)
    secret = models.CharField(max_length=MAX_SECRET_LENGTH)
    previous_secret = models.CharField(max_length=MAX_SECRET_LENGTH, blank=True, default="")
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organization", "is_active"], name="integrations_endpoint_active")]

    def __str__(self) -> str:
        return self.url

    @property
    def secrets(self) -> list[str]:
        return [s for s in (self.secret, self.previous_secret) if s]


class DeliveryStatus(models.TextChoices):
    SENDING = "sending", "Sending"
    SUCCEEDED = "succeeded", "Succeeded"
    RETRYING = "retrying", "Failed, retry scheduled"
    FAILED = "failed", "Failed"


class WebhookDelivery(TenantModel):
    """One attempt to deliver one event to one endpoint.

    The row is written (``sending``) before the request goes out, under a unique
    (endpoint, event, attempt): a task that runs twice finds its attempt taken and
    sends nothing. ``manual`` marks a redelivery asked for by the seller.
    """

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(OutboundEvent, on_delete=models.CASCADE, related_name="+")
    attempt = models.PositiveSmallIntegerField()
    manual = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.SENDING)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True, default="")
    error = models.TextField(blank=True, default="")
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    next_retry_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event", "attempt"], name="integrations_delivery_attempt"),
        ]
        indexes = [models.Index(fields=["endpoint", "-started_at"], name="integrations_delivery_log")]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id} #{self.attempt} {self.status}"
