"""Base model and field kinds shared by the apps."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db import models


def AmountField(**kwargs: Any) -> models.DecimalField:  # noqa: N802 - reads like a field class
    """A money amount, quantized by the core before it is stored.

    Fifteen significant digits keep SQLite exact (it hands decimals back as
    doubles); four decimals cover every ISO 4217 precision in use.
    """
    kwargs.setdefault("max_digits", 15)
    kwargs.setdefault("decimal_places", 4)
    return models.DecimalField(**kwargs)


def QuantityField(**kwargs: Any) -> models.DecimalField:  # noqa: N802
    kwargs.setdefault("max_digits", 15)
    kwargs.setdefault("decimal_places", 4)
    return models.DecimalField(**kwargs)


def RateField(**kwargs: Any) -> models.DecimalField:  # noqa: N802
    """A VAT rate in percent (21.00)."""
    kwargs.setdefault("max_digits", 5)
    kwargs.setdefault("decimal_places", 2)
    return models.DecimalField(**kwargs)


class TenantQuerySet(models.QuerySet[Any]):
    def for_organization(self, organization: Any) -> TenantQuerySet:
        """The only door to tenant data: selectors always pass through it."""
        if organization is None:
            raise ValueError("a tenant read needs an organization")
        return self.filter(organization=organization)


class TenantModel(models.Model):
    """A row owned by one seller; every read filters by it."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


def choices_of(enum: type[StrEnum], labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Django choices from a core enum, so the core stays the one place a value set is defined."""
    labels = labels or {}
    return [(member.value, labels.get(member.value, member.value.replace("_", " ").capitalize())) for member in enum]
