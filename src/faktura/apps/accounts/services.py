"""Writes about sellers, people, roles, bank accounts and API keys."""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.db import transaction
from django.utils import timezone

from faktura.apps.accounts import api_keys
from faktura.apps.accounts.models import ApiKey, BankAccount, Membership, Organization, User
from faktura.apps.accounts.selectors import seller_party
from faktura.apps.audit.services import audit_record
from faktura.core import countries, identifiers
from faktura.core.actors import Actor
from faktura.core.errors import Conflict, InvalidValue, MissingValue
from faktura.core.money import Currency
from faktura.core.parties import validate_seller
from faktura.core.roles import Role


@dataclass(frozen=True)
class SellerDetails:
    """What a seller tells us about itself; validated as a whole before anything is stored."""

    legal_name: str
    country: str
    street: str
    city: str
    time_zone: str
    currency: str
    language: str
    postal_code: str = ""
    region: str = ""
    vat_registered: bool = True
    vat_id: str = ""
    tax_id: str = ""
    registration_number: str = ""
    trade_name: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""

    def validated(self) -> dict[str, object]:
        """Everything the seller must print on a VAT invoice, checked now, not at the first issue."""
        party = validate_seller(seller_party(self))
        data: dict[str, object] = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(
            legal_name=party.legal_name,
            street=party.address.street,
            city=party.address.city,
            postal_code=party.address.postal_code,
            region=party.address.region or "",
            country=party.address.country,
            vat_id=party.vat_id or "",
            tax_id=party.tax_id or "",
            registration_number=party.registration_number or "",
            time_zone=countries.time_zone(self.time_zone),
            currency=Currency.parse(self.currency, field="currency").code,
            language=countries.language(self.language),
        )
        return data


def organization_create(*, actor: Actor, details: SellerDetails, owner: User | None = None) -> Organization:
    data = details.validated()
    with transaction.atomic():
        organization = Organization.objects.create(**data)
        if owner is not None:
            Membership.objects.create(organization=organization, user=owner, role=Role.OWNER)
        audit_record(
            organization=organization,
            actor=actor,
            action="organization.created",
            object_type="organization",
            object_id=organization.pk,
            data={k: str(v) for k, v in data.items()},
        )
    return organization


def organization_update(*, actor: Actor, organization: Organization, details: SellerDetails) -> Organization:
    """Change the seller's data; documents already issued keep their own snapshot."""
    data = details.validated()
    changed = {k: v for k, v in data.items() if getattr(organization, k) != v}
    if not changed:
        return organization
    with transaction.atomic():
        for name, value in changed.items():
            setattr(organization, name, value)
        organization.save(update_fields=[*changed, "updated_at"])
        audit_record(
            organization=organization,
            actor=actor,
            action="organization.updated",
            object_type="organization",
            object_id=organization.pk,
            data={k: str(v) for k, v in changed.items()},
        )
    return organization


def bank_account_add(
    *,
    actor: Actor,
    organization: Organization,
    iban: str,
    currency: str,
    bic: str = "",
    bank_name: str = "",
    label: str = "",
    is_default: bool = False,
) -> BankAccount:
    iban = identifiers.iban(iban)
    bic = identifiers.bic(bic) if bic else ""
    currency = Currency.parse(currency, field="currency").code
    with transaction.atomic():
        if BankAccount.objects.for_organization(organization).filter(iban=iban).exists():
            raise Conflict(f"{iban} is already one of this seller's accounts", field="iban")
        if is_default:
            BankAccount.objects.for_organization(organization).update(is_default=False)
        account = BankAccount.objects.create(
            organization=organization,
            iban=iban,
            bic=bic,
            currency=currency,
            bank_name=bank_name,
            label=label,
            is_default=is_default,
            position=BankAccount.objects.for_organization(organization).count(),
        )
        audit_record(
            organization=organization,
            actor=actor,
            action="bank_account.added",
            object_type="bank_account",
            object_id=account.pk,
            data={"iban": iban, "currency": currency},
        )
    return account


def user_create(*, email: str, password: str | None, first_name: str = "", last_name: str = "") -> User:
    email = User.objects.normalize_email(email.strip())
    if not email or "@" not in email:
        raise InvalidValue("is not an email address", field="email")
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(f"{email} already has an account", field="email")
    return User.objects.create_user(email, password, first_name=first_name, last_name=last_name)


def user_language_set(*, user: User, language: str, allowed: list[str]) -> None:
    """The language a person's web app speaks to them, kept for their next sign-in."""
    if language not in allowed:
        raise InvalidValue(f"must be one of {', '.join(allowed)}", field="language")
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language


def membership_set(*, actor: Actor, organization: Organization, user: User, role: Role | str) -> Membership:
    """Give ``user`` a role at ``organization`` (or change it)."""
    try:
        role = Role(role)
    except ValueError:
        raise InvalidValue(f"unknown role {role!r}; use one of {', '.join(Role)}", field="role") from None
    with transaction.atomic():
        membership, _ = Membership.objects.update_or_create(
            organization=organization, user=user, defaults={"role": role.value}
        )
        audit_record(
            organization=organization,
            actor=actor,
            action="membership.set",
            object_type="user",
            object_id=user.pk,
            data={"email": user.email, "role": role.value},
        )
    return membership


def api_key_create(*, actor: Actor, organization: Organization, name: str) -> tuple[ApiKey, str]:
    """Create a key; the plaintext is returned once and never stored."""
    if not name.strip():
        raise MissingValue("give the key a name, e.g. the shop that uses it", field="name")
    new = api_keys.generate()
    with transaction.atomic():
        key = ApiKey.objects.create(
            organization=organization, name=name.strip()[:100], prefix=new.prefix, secret_hash=new.secret_hash
        )
        audit_record(
            organization=organization,
            actor=actor,
            action="api_key.created",
            object_type="api_key",
            object_id=key.pk,
            data={"prefix": key.prefix, "name": key.name},
        )
    return key, new.plaintext


def api_key_revoke(*, actor: Actor, organization: Organization, key_id: int) -> None:
    with transaction.atomic():
        updated = ApiKey.objects.for_organization(organization).filter(pk=key_id, revoked_at__isnull=True)
        if not updated.update(revoked_at=timezone.now()):
            return
        audit_record(
            organization=organization,
            actor=actor,
            action="api_key.revoked",
            object_type="api_key",
            object_id=key_id,
        )


def api_key_touch(*, key: ApiKey) -> None:
    """Record use at most once a minute, so authenticating stays almost a pure read."""
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
