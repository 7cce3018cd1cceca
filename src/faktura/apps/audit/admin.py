"""The audit trail in the admin: readable by operators, never writable."""

from __future__ import annotations

from django.contrib import admin

from faktura.apps.audit.models import AuditEvent
from faktura.platform.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
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
