"""Payments in the operators' admin, read-only: recording one must update its document's state."""

from __future__ import annotations

from django.contrib import admin

from faktura.apps.payments.models import Payment
from faktura.platform.admin import ReadOnlyAdmin


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("received_on", "amount", "currency", "document", "source", "reference", "organization")
    list_filter = ("source", "currency")
    search_fields = ("=reference", "document__number")
    list_select_related = ("organization", "document")
    ordering = ("-received_on", "-id")
