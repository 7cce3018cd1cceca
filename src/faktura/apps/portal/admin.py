"""Buyers' accounts and sign-in links in the operators' admin: read-only, for answering "I got no email"."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from faktura.apps.portal.models import BuyerAccount, SignInLink


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(BuyerAccount)
class BuyerAccountAdmin(_ReadOnly):
    list_display = ("email", "language", "created_at", "last_sign_in_at")
    search_fields = ("email",)


@admin.register(SignInLink)
class SignInLinkAdmin(_ReadOnly):
    list_display = ("email", "purpose", "created_at", "expires_at", "sent_at", "used_at", "send_error")
    search_fields = ("email",)
    exclude = ("nonce", "token_hash")
