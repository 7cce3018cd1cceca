"""The message log in the operators' admin: shown, never edited (a resend goes through the API's service)."""

from __future__ import annotations

from django.contrib import admin

from faktura.apps.delivery.models import DeliveryAttempt, EmailTemplate, OutgoingMessage
from faktura.platform.admin import ReadOnlyAdmin, ReadOnlyInline


class AttemptInline(ReadOnlyInline):
    model = DeliveryAttempt
    fields = ("number", "outcome", "error", "worker", "started_at", "finished_at")


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "subject", "state", "error_code", "attempts", "organization")
    list_filter = ("state", "trigger", "kind", "error_code")
    search_fields = ("=recipient", "=message_id", "=document_id")
    inlines = (AttemptInline,)


@admin.register(EmailTemplate)
class EmailTemplateAdmin(ReadOnlyAdmin):
    list_display = ("organization", "kind", "language", "subject", "updated_at")
    list_filter = ("kind", "language")
