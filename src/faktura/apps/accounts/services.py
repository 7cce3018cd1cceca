"""Writes about sellers, people, roles, bank accounts and API keys."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, fields

from django.db import transaction
from django.utils import timezone

from faktura.apps.accounts import api_keys
from faktura.apps.accounts.models import ApiKey, BankAccount, Membership, Organization, User
from faktura.apps.accounts.selectors import seller_party
from faktura.apps.audit.services import audit_record
from faktura.core import countries, identifiers
from faktura.core.actors import Actor
from faktura.core.errors import Conflict, InvalidValue, MissingValue, NotFound, PermissionDenied
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


def organization_test_mode_set(*, actor: Actor, organization: Organization, enabled: bool) -> Organization:
    """Switch test mode (F3.5): while it is on, every document is issued with a ``TEST-`` number.

    Test numbers come from counters of their own, so switching back leaves the
    real numbering exactly where it was; the switch is in the audit trail
    because documents issued meanwhile are not real ones.
    """
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if locked.test_mode == enabled:
            organization.test_mode = enabled
            return organization
        Organization.objects.filter(pk=organization.pk).update(test_mode=enabled, updated_at=timezone.now())
        organization.test_mode = enabled
        audit_record(
            organization=organization,
            actor=actor,
            action="organization.test_mode_on" if enabled else "organization.test_mode_off",
            object_type="organization",
            object_id=organization.pk,
            data={"test_mode": enabled},
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


def bank_account_remove(*, actor: Actor, organization: Organization, account_id: int) -> None:
    """Take an account off the seller's documents; documents issued already keep their own copy of it."""
    with transaction.atomic():
        account = BankAccount.objects.for_organization(organization).select_for_update().filter(pk=account_id).first()
        if account is None:
            raise NotFound(f"bank account {account_id} does not exist", field="account_id")
        iban = account.iban
        account.delete()
        audit_record(
            organization=organization,
            actor=actor,
            action="bank_account.removed",
            object_type="bank_account",
            object_id=account_id,
            data={"iban": iban},
        )


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


def _owner_only(acting_role: Role, *roles: str) -> None:
    """Only an owner makes, unmakes or removes an owner: an admin cannot take the company over."""
    if Role.OWNER in roles and acting_role is not Role.OWNER:
        raise PermissionDenied("only an owner may give, change or take away the owner role", field="role")


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidValue(f"unknown role {value!r}; use one of {', '.join(Role)}", field="role") from None


def _other_owners(organization: Organization, membership: Membership) -> int:
    """Owners besides ``membership``, their rows locked so two removals cannot both pass the check."""
    owners = Membership.objects.for_organization(organization).select_for_update().filter(role=Role.OWNER)
    return sum(1 for m in owners if m.pk != membership.pk)


def member_add(
    *, actor: Actor, organization: Organization, email: str, role: Role | str, acting_role: Role
) -> tuple[Membership, str | None]:
    """Give a person a role at the seller, making their account if they have none.

    A new account gets a random password, returned once (and never stored in
    clear) so that the person adding them can pass it on; a person who has an
    account already keeps their password.
    """
    wanted = _role(role)
    _owner_only(acting_role, wanted)
    email = User.objects.normalize_email(email.strip())
    password: str | None = None
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = user_create(email=email, password=password)
        elif Membership.objects.for_organization(organization).filter(user=user).exists():
            raise Conflict(f"{user.email} is already a member; change their role instead", field="email")
        membership = Membership.objects.create(organization=organization, user=user, role=wanted.value)
        audit_record(
            organization=organization,
            actor=actor,
            action="membership.added",
            object_type="user",
            object_id=user.pk,
            data={"email": user.email, "role": wanted.value, "new_account": password is not None},
        )
    return membership, password


def member_role_change(
    *, actor: Actor, organization: Organization, membership_id: int, role: Role | str, acting_role: Role
) -> Membership:
    """Change a member's role; the seller always keeps an owner."""
    wanted = _role(role)
    with transaction.atomic():
        membership = _member_locked(organization, membership_id)
        before = membership.role
        if before == wanted.value:
            return membership
        _owner_only(acting_role, wanted, before)
        if before == Role.OWNER and not _other_owners(organization, membership):
            raise Conflict("the seller needs an owner: make someone else owner first", field="role")
        membership.role = wanted.value
        membership.save(update_fields=["role"])
        audit_record(
            organization=organization,
            actor=actor,
            action="membership.role_changed",
            object_type="user",
            object_id=membership.user_id,
            data={"email": membership.user.email, "from": before, "to": wanted.value},
        )
    return membership


def member_remove(*, actor: Actor, organization: Organization, membership_id: int, acting_role: Role) -> None:
    """Take a person's access to the seller away (their account stays, with their other sellers)."""
    with transaction.atomic():
        membership = _member_locked(organization, membership_id)
        _owner_only(acting_role, membership.role)
        if membership.role == Role.OWNER and not _other_owners(organization, membership):
            raise Conflict("the last owner cannot be removed: make someone else owner first", field="membership")
        user_id, email, role = membership.user_id, membership.user.email, membership.role
        membership.delete()
        audit_record(
            organization=organization,
            actor=actor,
            action="membership.removed",
            object_type="user",
            object_id=user_id,
            data={"email": email, "role": role},
        )


def _member_locked(organization: Organization, membership_id: int) -> Membership:
    membership = (
        Membership.objects.for_organization(organization)
        .select_for_update()
        .select_related("user")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        raise NotFound(f"member {membership_id} does not exist", field="membership")
    return membership


def api_key_create(
    *, actor: Actor, organization: Organization, name: str, created_by: User | None = None
) -> tuple[ApiKey, str]:
    """Create a key; the plaintext is returned once and never stored."""
    if not name.strip():
        raise MissingValue("give the key a name, e.g. the shop that uses it", field="name")
    new = api_keys.generate()
    with transaction.atomic():
        key = ApiKey.objects.create(
            organization=organization,
            name=name.strip()[:100],
            prefix=new.prefix,
            secret_hash=new.secret_hash,
            created_by=created_by,
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
