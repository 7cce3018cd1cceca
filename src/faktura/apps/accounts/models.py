"""Sellers, people, memberships with roles, API keys."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

from faktura.core.roles import Role
from faktura.platform.models import TenantModel


class UserManager(BaseUserManager["User"]):
    """People sign in with their email; there is no separate username."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField(unique=True)
    language = models.CharField(max_length=8, blank=True, help_text="Preferred language of the web app.")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects = UserManager()  # type: ignore[assignment,misc]

    def __str__(self) -> str:
        return self.email


class Organization(models.Model):
    """A seller: the company whose name is on the documents."""

    legal_name = models.CharField(max_length=200)
    trade_name = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2)
    vat_registered = models.BooleanField(default=True)
    vat_id = models.CharField(max_length=20, blank=True, help_text="With country prefix, e.g. RO18547290.")
    tax_id = models.CharField(max_length=20, blank=True, help_text="National tax id when not VAT-registered.")
    registration_number = models.CharField(max_length=40, blank=True)
    street = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=20, blank=True)
    region = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    time_zone = models.CharField(max_length=64)
    currency = models.CharField(max_length=3, help_text="Accounting currency (ISO 4217).")
    language = models.CharField(max_length=8, help_text="Default document language.")
    logo = models.FileField(upload_to="logos/", blank=True)
    test_mode = models.BooleanField(
        default=False, help_text="Issue into test series that never consume a real number (F3.5)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.legal_name


class BankAccount(TenantModel):
    label = models.CharField(max_length=100, blank=True)
    iban = models.CharField(max_length=34)
    bic = models.CharField(max_length=11, blank=True)
    bank_name = models.CharField(max_length=100, blank=True)
    currency = models.CharField(max_length=3)
    is_default = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "id")
        constraints = (models.UniqueConstraint(fields=("organization", "iban"), name="bank_account_unique_iban"),)

    def __str__(self) -> str:
        return self.iban


ROLE_CHOICES = [(role.value, role.value.title()) for role in Role]


class Membership(TenantModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=ROLE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("organization", "user"), name="membership_unique_user"),)


class ApiKey(TenantModel):
    """A seller's key for the REST API; only a hash of the secret is stored."""

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True, help_text="Shown to people; identifies the key.")
    secret_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
