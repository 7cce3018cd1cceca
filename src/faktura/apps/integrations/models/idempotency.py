"""One row per (seller, Idempotency-Key): the request it was first used for and the response it got."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from faktura.platform.models import TenantModel

MAX_KEY_LENGTH = 255


class IdempotencyKey(TenantModel):
    """``in_progress`` until the operation's transaction stores the response and commits as ``completed``.

    A committed ``in_progress`` row that nobody holds locked is a reservation
    left by a request that failed or crashed; the next request with the key
    locks it and runs.
    """

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    key = models.CharField(max_length=MAX_KEY_LENGTH)
    method = models.CharField(max_length=10)
    path = models.TextField()
    request_fingerprint = models.CharField(max_length=64)
    state = models.CharField(max_length=20, choices=State.choices, default=State.IN_PROGRESS)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.BinaryField(null=True, blank=True)
    response_content_type = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="integrations_idempotency_key_unique"),
        ]
        indexes = [models.Index(fields=["created_at"], name="integrations_idem_created")]

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"
