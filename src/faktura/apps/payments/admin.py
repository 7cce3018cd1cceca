"""Payments in the operators' admin, read-only: recording one must update its document's state."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from faktura.apps.payments.models import Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin[Payment]):
    list_display = ("received_on", "amount", "currency", "document", "source", "reference", "organization")
    list_filter = ("source", "currency")
    search_fields = ("=reference", "document__number")
    list_select_related = ("organization", "document")
    ordering = ("-received_on", "-id")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
