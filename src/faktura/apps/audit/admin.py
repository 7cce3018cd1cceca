"""The audit trail in the admin: readable by operators, never writable."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from faktura.apps.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = (
        "occurred_at",
        "organization",
        "actor",
        "action",
        "object_type",
        "object_id",
        "chain",
        "seq",
    )
    list_filter = ("action", "object_type")
    search_fields = ("=object_id", "=chain", "actor")
    list_select_related = ("organization",)
    ordering = ("-occurred_at", "-id")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
