"""Reads about sellers, people and keys; every tenant read names its organization."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, F, QuerySet, Value, When

from faktura.apps.accounts import api_keys
from faktura.apps.accounts.models import ApiKey, BankAccount, Membership, Organization, User
from faktura.core.parties import Address, PartyDetails
from faktura.platform.fastread import PreparedRead

if TYPE_CHECKING:
    from faktura.apps.accounts.services import SellerDetails


def organization_get(*, organization_id: int) -> Organization | None:
    return Organization.objects.filter(pk=organization_id).first()


def bank_accounts(*, organization: Organization) -> QuerySet[BankAccount]:
    return BankAccount.objects.for_organization(organization).order_by("position", "id")


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organization").order_by("organization__legal_name")


def members(*, organization: Organization) -> QuerySet[Membership]:
    """The seller's people, owners first."""
    order = {"owner": 0, "admin": 1, "accountant": 2, "viewer": 3}
    rows = Membership.objects.for_organization(organization).select_related("user")
    return rows.order_by(
        Case(*(When(role=role, then=Value(rank)) for role, rank in order.items()), default=Value(9)), "user__email"
    )


def api_keys_of(*, organization: Organization) -> QuerySet[ApiKey]:
    """The seller's API keys, live ones first, newest first."""
    return (
        ApiKey.objects.for_organization(organization)
        .select_related("created_by")
        .order_by(F("revoked_at").desc(nulls_first=True), "-created_at", "-pk")
    )


def role_of(*, user: User, organization: Organization) -> str | None:
    membership = Membership.objects.for_organization(organization).filter(user=user).first()
    return membership.role if membership else None


def api_key_authenticate(*, plaintext: str) -> ApiKey | None:
    """The live key for ``plaintext``, or None; compares in constant time."""
    prefix = api_keys.prefix_of(plaintext)
    if prefix is None:
        return None
    key = _LIVE_KEY.first(prefix=prefix)
    if key is None or not api_keys.matches(plaintext, key.secret_hash):
        return None
    return key


# Every API request reads its key: compiled once, not per request.
_LIVE_KEY = PreparedRead(
    lambda prefix: (
        ApiKey.objects.select_related("organization").filter(prefix=prefix, revoked_at__isnull=True).order_by("pk")[:1]
    ),
    prefix=str,
)

# Every issued document snapshots the seller with its bank accounts.
_BANK_ACCOUNTS = PreparedRead(
    lambda organization_id: BankAccount.objects.filter(organization_id=organization_id).order_by("position", "id"),
    organization_id=int,
)


def seller_snapshot(organization: Organization) -> dict[str, object]:
    """The seller as it must appear on a document issued now (art. 226 (5), (8))."""
    return {
        "legal_name": organization.legal_name,
        "trade_name": organization.trade_name,
        "vat_registered": organization.vat_registered,
        "vat_id": organization.vat_id,
        "tax_id": organization.tax_id,
        "registration_number": organization.registration_number,
        "street": organization.street,
        "city": organization.city,
        "postal_code": organization.postal_code,
        "region": organization.region,
        "country": organization.country,
        "email": organization.email,
        "phone": organization.phone,
        "website": organization.website,
        "bank_accounts": [
            {
                "iban": account.iban,
                "bic": account.bic,
                "bank_name": account.bank_name,
                "currency": account.currency,
            }
            for account in _BANK_ACCOUNTS.all(organization_id=organization.pk)
        ],
    }


def seller_party(seller: Organization | SellerDetails) -> PartyDetails:
    """The seller's identity in the form the core's issuing rules check.

    Takes a stored organization or the details a seller is about to save, so
    the same rules run at configuration time and at every issue.
    """
    return PartyDetails(
        legal_name=seller.legal_name,
        address=Address(
            street=seller.street,
            city=seller.city,
            postal_code=seller.postal_code,
            country=seller.country,
            region=seller.region or None,
        ),
        vat_registered=seller.vat_registered,
        vat_id=seller.vat_id or None,
        registration_number=seller.registration_number or None,
        tax_id=seller.tax_id or None,
    )
