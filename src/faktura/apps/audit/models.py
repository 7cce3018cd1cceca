"""Audit events and the heads of their hash chains.

Events form several independent chains so that recording one never takes a
lock that the write itself does not already hold: an issued document is
chained on its numbering counter (whose row is locked to allocate the number),
every other event on its organization's chain. Each event stores the hash of
its predecessor; the chain head records the last sequence and hash, so a
deleted tail is detected as surely as an edited row.
"""

from __future__ import annotations

from django.db import models


class AuditChain(models.Model):
    """Head of one organization-level chain (``org:<id>``)."""

    key = models.CharField(max_length=80, unique=True)
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seq = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return self.key


class AuditEvent(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chain = models.CharField(max_length=80)
    seq = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField()
    actor = models.CharField(max_length=200, help_text="user:<id>, api_key:<prefix>, system or cli.")
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("chain", "seq"), name="audit_event_unique_seq"),)
        indexes = (
            models.Index(fields=("organization", "occurred_at"), name="audit_event_org_time"),
            models.Index(fields=("object_type", "object_id"), name="audit_event_object"),
        )

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action}"
