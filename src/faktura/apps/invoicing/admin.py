"""Series, counters and documents in the operators' admin.

Everything is shown and nothing is edited here: numbering and documents change
only through the services, which keep numbers gapless and the audit trail
whole. An issued document cannot be changed or deleted from the admin at all
(the database would refuse too); a draft may be deleted, through
``document_delete``, which records it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from faktura.apps.invoicing.models import (
    Document,
    DocumentAllowanceCharge,
    DocumentDeletion,
    DocumentLine,
    DocumentStatus,
    Series,
    SeriesCounter,
    VatBreakdown,
)
from faktura.apps.invoicing.services import document_delete
from faktura.core.actors import Actor
from faktura.platform.admin import ReadOnlyAdmin, ReadOnlyInline


@admin.register(Series)
class SeriesAdmin(ReadOnlyAdmin):
    list_display = ("name", "pattern", "document_type", "channel", "reset_policy", "is_active", "organization")
    list_filter = ("document_type", "is_active")
    search_fields = ("name", "pattern", "organization__legal_name")
    list_select_related = ("organization", "channel")


@admin.register(SeriesCounter)
class SeriesCounterAdmin(ReadOnlyAdmin):
    list_display = ("series", "period", "is_test", "value", "chain_seq")
    list_filter = ("is_test",)
    list_select_related = ("series",)


class LineInline(ReadOnlyInline):
    model = DocumentLine
    fields = ("position", "name", "quantity", "unit_price", "discount", "vat_category", "vat_rate", "net_amount")


class AllowanceChargeInline(ReadOnlyInline):
    model = DocumentAllowanceCharge
    fields = ("position", "is_charge", "reason", "amount", "net_amount", "vat_category", "vat_rate")


class BreakdownInline(ReadOnlyInline):
    model = VatBreakdown
    fields = ("vat_category", "vat_rate", "taxable_amount", "tax_amount")


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "document_type",
        "status",
        "issue_date",
        "buyer_name",
        "payable",
        "currency",
        "payment_state",
        "organization",
    )
    list_filter = ("document_type", "status", "payment_state", "is_test")
    search_fields = ("=number", "buyer_name", "=buyer_vat_id", "=order_number", "=buyer_email")
    list_select_related = ("organization",)
    ordering = ("-id",)
    inlines = (LineInline, AllowanceChargeInline, BreakdownInline)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}  # no bulk delete: each deletion goes through the service, one by one

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None or obj.status != DocumentStatus.DRAFT:
            return False
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    def delete_model(self, request: HttpRequest, obj: Document) -> None:
        assert request.user.pk is not None  # the admin lets only signed-in staff in
        actor = Actor.user(request.user.pk, getattr(request.user, "email", ""))
        document_delete(actor=actor, organization=obj.organization, document_id=obj.pk, reason="deleted in the admin")


@admin.register(DocumentDeletion)
class DocumentDeletionAdmin(ReadOnlyAdmin):
    list_display = ("number", "document_type", "deleted_at", "deleted_by", "reason", "organization")
    search_fields = ("=number",)
    list_select_related = ("organization",)
