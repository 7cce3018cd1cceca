"""Sellers, people and keys in the operators' admin; every write goes through the services.

A seller's data is checked by ``SellerDetails`` (the same rules as the CLI and
the API) and stored by ``organization_create`` / ``organization_update``, so
the audit trail records the change. API keys show their prefix, never a
secret (only its hash is stored); the one action on them is to revoke.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest

from faktura.apps.accounts.models import ApiKey, BankAccount, Membership, Organization, User
from faktura.apps.accounts.services import SellerDetails, api_key_revoke, organization_create, organization_update
from faktura.core.actors import Actor
from faktura.core.errors import FakturaError
from faktura.platform.admin import ReadOnlyInline

_SELLER_FIELDS = [f.name for f in fields(SellerDetails)]


def actor_of(request: HttpRequest) -> Actor:
    """The operator signed in to the admin, as the audit trail names them."""
    assert request.user.pk is not None  # the admin lets only signed-in staff in
    return Actor.user(request.user.pk, getattr(request.user, "email", ""))


class BankAccountInline(ReadOnlyInline):
    model = BankAccount
    fields = ("iban", "bic", "bank_name", "currency", "is_default")


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ("user", "role", "created_at")


class UserMembershipInline(ReadOnlyInline):
    model = Membership
    fields = ("organization", "role", "created_at")


class SellerForm(forms.ModelForm[Organization]):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = _SELLER_FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            self.details = SellerDetails(**{name: data.get(name, "") for name in _SELLER_FIELDS})
            self.details.validated()
        except FakturaError as error:
            name = (error.field or "").rsplit(".", 1)[-1]
            self.add_error(name if name in self.fields else None, error.message)
        return data


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    form = SellerForm
    list_display = ("legal_name", "vat_id", "country", "currency", "test_mode", "created_at")
    list_filter = ("country", "test_mode")
    search_fields = ("legal_name", "trade_name", "=vat_id", "=tax_id")
    readonly_fields = ("test_mode", "created_at", "updated_at")
    inlines = (BankAccountInline, MembershipInline)

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        if change:
            stored = Organization.objects.get(pk=obj.pk)
            organization_update(actor=actor_of(request), organization=stored, details=form.details)
        else:
            obj.pk = organization_create(actor=actor_of(request), details=form.details).pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a seller's issued documents must outlive any mistake made here


class UserCreateForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreateForm
    form = UserEditForm
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active", "last_login")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "language")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)
    inlines = (UserMembershipInline,)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    list_display = ("prefix", "name", "organization", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("=prefix", "name", "organization__legal_name")
    list_select_related = ("organization",)
    readonly_fields = ("organization", "name", "prefix", "secret_hash", "created_by", "created_at", "last_used_at")
    actions = ("revoke",)

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset.filter(revoked_at__isnull=True).select_related("organization"):
            api_key_revoke(actor=actor_of(request), organization=key.organization, key_id=key.pk)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # keys are created where their secret can be shown once: CLI, API, web app

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
