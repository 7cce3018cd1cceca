"""Channels, buyers and orders in the operators' admin: for looking, not for changing.

Orders arrive through the API and the connectors, and documents are issued
from them; an edit here would bypass the checks and the audit trail.
"""

from __future__ import annotations

from django.contrib import admin

from faktura.apps.sales.models import Buyer, Order, OrderLine, SalesChannel
from faktura.platform.admin import ReadOnlyAdmin, ReadOnlyInline


@admin.register(SalesChannel)
class SalesChannelAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "kind", "organization", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "=code", "organization__legal_name")
    list_select_related = ("organization",)


@admin.register(Buyer)
class BuyerAdmin(ReadOnlyAdmin):
    list_display = ("name", "email", "vat_id", "country", "is_business", "organization")
    list_filter = ("is_business", "country")
    search_fields = ("name", "=email", "=vat_id")
    list_select_related = ("organization",)


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("position", "sku", "name", "quantity", "unit_price", "discount", "vat_category", "vat_rate")


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "channel", "buyer", "status", "payment_method", "currency", "placed_at", "organization")
    list_filter = ("status", "payment_method")
    search_fields = ("=number", "=external_id", "buyer__name", "buyer__email")
    list_select_related = ("organization", "channel", "buyer")
    ordering = ("-placed_at", "-id")
    inlines = (OrderLineInline,)
