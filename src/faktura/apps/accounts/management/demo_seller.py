"""Storing the demo data set (``faktura.demo.data``) through the services, like any other door.

``demo_load`` is idempotent: the demo seller is found by its legal name and
VAT id together. When it is missing, it is created with everything in the data
set — channels, series, buyers, orders and the documents issued for them — in
one transaction, so a failure leaves nothing behind. When it exists, its data
is kept as it is (issued documents are immutable and their numbers used for
good); only the credentials are refreshed: the demo user's and the operator's
passwords are reset and the demo API key is replaced by a new one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from faktura.apps.accounts.models import ApiKey, Organization, User
from faktura.apps.accounts.selectors import role_of
from faktura.apps.accounts.services import (
    SellerDetails,
    api_key_create,
    api_key_revoke,
    bank_account_add,
    membership_set,
    organization_create,
    user_create,
)
from faktura.apps.invoicing.services import (
    BuyerDetails,
    document_cancel,
    document_create_draft,
    document_create_from_order,
    document_issue,
    series_create,
)
from faktura.apps.sales.selectors import channels
from faktura.apps.sales.services import OrderLineData, buyer_create, channel_create, order_create
from faktura.core.actors import CLI
from faktura.core.documents import DraftLine
from faktura.core.roles import Role
from faktura.core.vat import VatCategory
from faktura.demo import data

if TYPE_CHECKING:
    from faktura.apps.sales.models import Order


@dataclass
class DemoResult:
    organization: Organization
    created: bool
    api_key: str
    password: str
    channels: list[dict[str, Any]] = field(default_factory=list)
    created_items: list[str] = field(default_factory=list)


def demo_load(*, password: str = "", now: dt.datetime | None = None) -> DemoResult:
    """Create the demo seller (or find it) and hand out fresh credentials."""
    password = password or secrets.token_urlsafe(9)
    now = now or timezone.now()
    with transaction.atomic():
        organization = demo_seller()
        created = organization is None
        items: list[str] = []
        if organization is None:
            organization, items = _create(now)
        user = _user_with_password(data.USER_EMAIL, password, first_name="Demo")
        if role_of(user=user, organization=organization) != Role.OWNER:
            membership_set(actor=CLI, organization=organization, user=user, role=Role.OWNER)
        admin = _user_with_password(data.ADMIN_EMAIL, password, first_name="Operator")
        if not (admin.is_staff and admin.is_superuser):
            admin.is_staff = admin.is_superuser = True
            admin.save(update_fields=["is_staff", "is_superuser"])
        api_key = _rotate_api_key(organization)
    return DemoResult(
        organization=organization,
        created=created,
        api_key=api_key,
        password=password,
        channels=[{"id": c.pk, "code": c.code, "name": c.name} for c in channels(organization=organization)],
        created_items=items,
    )


def demo_seller() -> Organization | None:
    return (
        Organization.objects.filter(legal_name=data.SELLER["legal_name"], vat_id=data.SELLER["vat_id"])
        .order_by("pk")
        .first()
    )


def _user_with_password(email: str, password: str, *, first_name: str) -> User:
    # Resetting a known demo account's password is the whole point of a re-run;
    # there is no service for it yet because no other door does it.
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return user_create(email=email, password=password, first_name=first_name)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    return user


def _rotate_api_key(organization: Organization) -> str:
    live = ApiKey.objects.for_organization(organization).filter(name=data.API_KEY_NAME, revoked_at__isnull=True)
    for key_id in live.values_list("pk", flat=True):
        api_key_revoke(actor=CLI, organization=organization, key_id=key_id)
    _, plaintext = api_key_create(actor=CLI, organization=organization, name=data.API_KEY_NAME)
    return plaintext


def _create(now: dt.datetime) -> tuple[Organization, list[str]]:
    organization = organization_create(actor=CLI, details=SellerDetails(**data.SELLER))
    bank_account_add(actor=CLI, organization=organization, is_default=True, **data.BANK_ACCOUNT)
    items = [f"seller {organization.legal_name} (#{organization.pk}), {organization.vat_id}, with a RON bank account"]
    by_code = {}
    for channel_spec in data.CHANNELS:
        channel = channel_create(
            actor=CLI, organization=organization, name=channel_spec.name, code=channel_spec.code, kind=channel_spec.kind
        )
        by_code[channel_spec.code] = channel
        patterns = [
            series_create(
                actor=CLI,
                organization=organization,
                document_type=s.document_type,
                name=s.name,
                pattern=s.pattern,
                prefix=s.prefix,
                channel=channel,
            ).pattern
            for s in channel_spec.series
        ]
        items.append(f"channel {channel.name} ({channel.code}), series {', '.join(patterns)}")
    buyers = {
        b.key: buyer_create(
            actor=CLI,
            organization=organization,
            name=b.name,
            country=b.country,
            email=b.email,
            is_business=b.is_business,
            vat_id=b.vat_id,
            registration_number=b.registration_number,
            street=b.street,
            city=b.city,
            postal_code=b.postal_code,
            language=b.language,
        )
        for b in data.BUYERS
    }
    items.append(f"{len(buyers)} buyers: {', '.join(b.name for b in buyers.values())}")
    items.append(f"{len(data.ORDERS)} orders: {', '.join('#' + o.number for o in data.ORDERS)}")
    for spec in data.ORDERS:
        order = order_create(
            actor=CLI,
            organization=organization,
            channel=by_code[spec.channel],
            external_id=spec.number,
            number=spec.number,
            buyer=buyers[spec.buyer],
            currency=organization.currency,
            lines=[_order_line(line) for line in spec.lines],
            placed_at=now - dt.timedelta(days=spec.days_ago, hours=2),
            payment_method=spec.payment_method,
            delivery_method="courier",
            status=spec.status,
            pricing_mode=spec.pricing_mode,
            shipping_amount=spec.shipping,
            shipping_vat_rate=Decimal(21) if spec.shipping else Decimal(0),
        )
        if spec.issue:
            items += _documents(organization, order, spec)
    return organization, items


def _documents(organization: Organization, order: Order, spec: data.Order) -> list[str]:
    draft = document_create_from_order(actor=CLI, organization=organization, order=order, document_type=spec.issue)
    document = document_issue(actor=CLI, organization=organization, document_id=draft.pk)
    done = [f"{spec.issue.replace('_', ' ')} {document.number} for order #{order.number}"]
    if spec.cancel_reason:
        document_cancel(actor=CLI, organization=organization, document_id=document.pk, reason=spec.cancel_reason)
        done[-1] += ", cancelled"
    if spec.credit:
        credit = document_create_draft(
            actor=CLI,
            organization=organization,
            document_type="credit_note",
            currency=document.currency,
            buyer=BuyerDetails(**document.buyer_details),
            lines=[_draft_line(line) for line in spec.credit],
            pricing=document.pricing_mode,
            channel=document.channel,
            order=order,
            buyer_record=document.buyer,
            corrected_document=document,
            note=spec.credit_reason,
        )
        credit = document_issue(actor=CLI, organization=organization, document_id=credit.pk)
        done.append(f"credit note {credit.number} correcting {document.number} (partial refund)")
    return done


def _priced(line: data.Line) -> tuple[str, Decimal, str, Decimal]:
    product = data.PRODUCTS[line.sku]
    return (
        product.name,
        product.gross_price if line.unit_price is None else line.unit_price,
        line.vat_category or product.vat_category,
        product.vat_rate if line.vat_rate is None else line.vat_rate,
    )


def _order_line(line: data.Line) -> OrderLineData:
    name, price, category, rate = _priced(line)
    return OrderLineData(
        name=name, quantity=line.quantity, unit_price=price, vat_rate=rate, vat_category=category, sku=line.sku
    )


def _draft_line(line: data.Line) -> DraftLine:
    name, price, category, rate = _priced(line)
    return DraftLine(
        name=name,
        quantity=line.quantity,
        unit_price=price,
        vat_category=VatCategory(category),
        vat_rate=rate,
        sku=line.sku,
    )
