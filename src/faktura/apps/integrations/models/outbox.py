"""The outbound-event outbox: what a seller's webhook endpoints are told, written with the change."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from faktura.platform.models import TenantModel


class OutboundEventType(models.TextChoices):
    """What a seller's webhook endpoints can be told about (issue 4, item 8)."""

    DOCUMENT_ISSUED = "document.issued", "A document was issued"
    DOCUMENT_SENT = "document.sent", "A document was sent to the buyer"
    DOCUMENT_PAID = "document.paid", "A document became fully paid"
    DOCUMENT_CANCELLED = "document.cancelled", "A document was cancelled"
    DOCUMENT_DELETED = "document.deleted", "A document was deleted"
    ORDER_ERROR = "order.error", "An order could not be invoiced"


class OutboundEvent(TenantModel):
    """The outbox: an event for the seller's webhook endpoints, written in the transaction of the change.

    Because the row commits or rolls back with the change it reports, an
    endpoint never hears of a document that does not exist, and never misses
    one that does. Deliveries to each endpoint are made from these rows by
    background tasks.
    """

    event_type = models.CharField(max_length=32, choices=OutboundEventType.choices)
    object_type = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organization", "created_at"], name="integrations_outbound_org_at")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.object_type} {self.object_id}"
