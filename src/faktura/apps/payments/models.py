"""Payments received; a document's payment state is derived from them."""

from __future__ import annotations

from django.db import models

from faktura.platform.models import AmountField, TenantModel


class PaymentSource(models.TextChoices):
    MANUAL = "manual", "Recorded by hand"
    API = "api", "Reported through the API"
    BANK = "bank", "Matched from a bank statement"


class Payment(TenantModel):
    document = models.ForeignKey(
        "invoicing.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    order = models.ForeignKey("sales.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    amount = AmountField()
    currency = models.CharField(max_length=3)
    received_on = models.DateField()
    method = models.CharField(max_length=24, blank=True)
    reference = models.CharField(max_length=140, blank=True)
    source = models.CharField(max_length=8, choices=PaymentSource.choices, default=PaymentSource.MANUAL)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = (models.Index(fields=("organization", "received_on"), name="payment_org_received"),)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
