"""Builders for test data, going through the services like every other door."""

from __future__ import annotations

import itertools
from decimal import Decimal

from faktura.apps.accounts.models import Organization, User
from faktura.apps.accounts.services import SellerDetails, membership_set, organization_create, user_create
from faktura.apps.invoicing.models import Document, Series
from faktura.apps.invoicing.services import BuyerDetails, document_create_draft, series_create
from faktura.apps.sales.models import SalesChannel
from faktura.apps.sales.services import channel_create
from faktura.core.actors import Actor
from faktura.core.documents import DraftLine
from faktura.core.vat import VatCategory

TEST_ACTOR = Actor("test")
_names = itertools.count(1)

# Real, checksum-valid identifiers (python-stdnum's own examples).
RO_SELLER = SellerDetails(
    legal_name="Exemplu Comerț SRL",
    country="RO",
    street="Str. Lipscani 10",
    city="București",
    postal_code="030031",
    time_zone="Europe/Bucharest",
    currency="RON",
    language="ro",
    vat_id="RO18547290",
    registration_number="J52/750/2012",
)

RO_BUYER = BuyerDetails(
    name="Ana Popescu", country="RO", email="ana@example.ro", street="Bd. Eroilor 5", city="Cluj-Napoca"
)


def seller(details: SellerDetails = RO_SELLER, **changes: object) -> Organization:
    from dataclasses import replace

    return organization_create(actor=TEST_ACTOR, details=replace(details, **changes))


def channel(organization: Organization, name: str | None = None) -> SalesChannel:
    return channel_create(actor=TEST_ACTOR, organization=organization, name=name or f"Shop {next(_names)}")


def series(
    organization: Organization,
    pattern: str = "FA{RRRR}{CCC}",
    document_type: str = "invoice",
    channel: SalesChannel | None = None,
    **options: object,
) -> Series:
    return series_create(
        actor=TEST_ACTOR,
        organization=organization,
        document_type=document_type,
        name=f"{document_type} {pattern}",
        pattern=pattern,
        channel=channel,
        **options,  # type: ignore[arg-type]
    )


def line(
    name: str = "Cană ceramică", quantity: str = "2", price: str = "12.10", rate: str = "21", **changes: object
) -> DraftLine:
    return DraftLine(
        name=name,
        quantity=Decimal(quantity),
        unit_price=Decimal(price),
        vat_category=VatCategory(str(changes.pop("category", "standard"))),
        vat_rate=Decimal(rate),
        **changes,  # type: ignore[arg-type]
    )


def draft(
    organization: Organization,
    *,
    document_type: str = "invoice",
    lines: list[DraftLine] | None = None,
    buyer: BuyerDetails = RO_BUYER,
    **options: object,
) -> Document:
    return document_create_draft(
        actor=TEST_ACTOR,
        organization=organization,
        document_type=document_type,
        currency=str(options.pop("currency", organization.currency)),
        buyer=buyer,
        lines=lines or [line()],
        pricing=str(options.pop("pricing", "gross")),
        **options,  # type: ignore[arg-type]
    )


PASSWORD = "correct horse battery staple"


def person(organization: Organization | None, role: str = "owner", email: str | None = None) -> User:
    """A person who signs in to the web app with ``PASSWORD``, member of ``organization`` in ``role``."""
    user = user_create(email=email or f"person{next(_names)}@example.test", password=PASSWORD)
    if organization is not None:
        membership_set(actor=TEST_ACTOR, organization=organization, user=user, role=role)
    return user
