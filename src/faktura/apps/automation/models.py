"""Each channel's issuing rules (F4): ordered rules and the built-in triggers, versioned.

The rules are rows so that each has a stable id the API, the explanations and
the order timeline can name (``rule 12 "Invoice for cards"``); the channel's
``ChannelRuleSet`` holds the trigger switches and a version that every change
of a rule or a switch increments, so an outcome records which rules decided it.
"""

from __future__ import annotations

from django.db import models

from faktura.core.documents import DocumentType
from faktura.platform.models import TenantModel, choices_of


class ChannelRuleSet(TenantModel):
    channel = models.OneToOneField("sales.SalesChannel", on_delete=models.CASCADE, related_name="+")
    triggers = models.JSONField(default=dict, blank=True, help_text="Trigger name -> on/off.")
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"rules of channel {self.channel_id} v{self.version}"


class IssuingRule(TenantModel):
    """One rule: conditions -> action, stored as the JSON of ``core.rules.serialize``."""

    rule_set = models.ForeignKey(ChannelRuleSet, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=100)
    enabled = models.BooleanField(default=True)
    document_type = models.CharField(max_length=16, choices=choices_of(DocumentType))
    conditions = models.JSONField(default=dict)
    action = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("position", "id")

    def __str__(self) -> str:
        return f'rule {self.pk} "{self.name}"'
