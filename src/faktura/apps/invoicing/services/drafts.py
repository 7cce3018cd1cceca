"""Creating drafts: the only state in which a document may still change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from faktura.apps.audit.services import audit_record
from faktura.apps.invoicing.models import (
    Document,
    DocumentAllowanceCharge,
    DocumentLine,
    VatBreakdown,
)
from faktura.core import countries, identifiers
from faktura.core.actors import Actor
from faktura.core.documents import DocumentType, Draft, DraftLine, PricingMode, validate_draft
from faktura.core.errors import ImmutableDocument, InvalidValue, MissingValue, NotFound
from faktura.core.money import Currency
from faktura.core.payment_state import payment_state
from faktura.core.totals import AllowanceCharge, DocumentTotals
from faktura.core.vat import VatCategory
from faktura.platform import fastsql

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization
    from faktura.apps.sales.models import Buyer, Order, SalesChannel


@dataclass(frozen=True)
class BuyerDetails:
    """The buyer as printed on the document (art. 226 (5), (9)); frozen at issue."""

    name: str
    country: str
    email: str = ""
    is_business: bool = False
    vat_id: str = ""
    registration_number: str = ""
    street: str = ""
    city: str = ""
    postal_code: str = ""
    region: str = ""
    language: str = ""
    phone: str = ""

    def validated(self) -> BuyerDetails:
        if not self.name.strip():
            raise MissingValue("the buyer's name is required (art. 226 (5))", field="buyer.name")
        country = countries.country(self.country, field="buyer.country")
        vat_id = identifiers.vat_id(self.vat_id, country=country, field="buyer.vat_id") if self.vat_id else ""
        language = countries.language(self.language, field="buyer.language") if self.language else ""
        return BuyerDetails(**{**asdict(self), "country": country, "vat_id": vat_id, "language": language})


def document_create_draft(
    *,
    actor: Actor,
    organization: Organization,
    document_type: DocumentType | str,
    currency: str,
    buyer: BuyerDetails,
    lines: Sequence[DraftLine],
    pricing: PricingMode | str = PricingMode.NET,
    allowances_charges: Sequence[AllowanceCharge] = (),
    channel: SalesChannel | None = None,
    order: Order | None = None,
    buyer_record: Buyer | None = None,
    supply_date: dt.date | None = None,
    due_date: dt.date | None = None,
    language: str = "",
    title: str = "",
    note: str = "",
    exchange_rate: Decimal | None = None,
    corrected_document: Document | None = None,
    corrects_positions: Sequence[int | None] = (),
) -> Document:
    """Validate everything a document will need, then store it as a draft in one transaction.

    ``corrects_positions`` (credit notes) names, line by line, the position of
    the corrected invoice's line each one takes back (``None``: no one line).
    """
    try:
        kind = DocumentType(document_type)
    except ValueError:
        raise InvalidValue(f"unknown document type {document_type!r}", field="document_type") from None
    currency_code = Currency.parse(currency, field="currency").code
    buyer = buyer.validated()
    doc_language = _document_language(language, buyer, organization)
    rate = _exchange_rate(exchange_rate, currency_code, organization)
    if due_date and supply_date and due_date < supply_date:
        raise InvalidValue("must not be before the date of supply", field="due_date")
    on = supply_date or timezone.localdate(timezone=_zone(organization))
    totals = validate_draft(
        Draft(
            document_type=kind,
            currency=currency_code,
            seller_country=organization.country,
            buyer_country=buyer.country,
            buyer_vat_id=buyer.vat_id,
            lines=tuple(lines),
            pricing=PricingMode(pricing),
            allowances_charges=tuple(allowances_charges),
        ),
        on=on,
    )
    check_storable(totals)
    with transaction.atomic():
        document = fastsql.create(
            Document(
                organization=organization,
                document_type=kind.value,
                channel=channel,
                order=order,
                buyer=buyer_record,
                supply_date=supply_date,
                due_date=due_date,
                buyer_details=asdict(buyer),
                buyer_name=buyer.name,
                buyer_email=buyer.email,
                buyer_vat_id=buyer.vat_id,
                order_number=order.number if order else "",
                currency=currency_code,
                exchange_rate=rate,
                pricing_mode=PricingMode(pricing).value,
                language=doc_language,
                title=title,
                note=note,
                corrected_document=corrected_document,
            )
        )
        store_content(document, lines, allowances_charges, totals, corrects_positions=corrects_positions)
        audit_record(
            organization=organization,
            actor=actor,
            action="document.draft_created",
            object_type="document",
            object_id=document.pk,
            data={"type": kind.value, "payable": str(totals.payable), "currency": currency_code},
        )
    return document


#: Amount columns hold 15 digits, 4 of them decimals.
_STORABLE = Decimal(10) ** 11


def check_storable(totals: DocumentTotals) -> None:
    """Refuse amounts too large for the amount columns (the core allows larger ones)."""
    amounts = [
        totals.line_net_total,
        totals.allowance_total,
        totals.charge_total,
        totals.tax_exclusive,
        totals.tax_inclusive,
        *(line.net_amount for line in totals.lines),
        *(line.net_unit_price for line in totals.lines),
        *(ac.net_amount for ac in totals.allowances_charges),
    ]
    amounts += [line.net_amount + line.net_discount for line in totals.lines]
    if any(abs(amount) >= _STORABLE for amount in amounts):
        raise InvalidValue(f"the amounts must stay below {_STORABLE:,}", field="lines")


def store_content(
    document: Document,
    lines: Sequence[DraftLine],
    allowances_charges: Sequence[AllowanceCharge],
    totals: DocumentTotals,
    *,
    corrects_positions: Sequence[int | None] = (),
    prepaid: Decimal = Decimal(0),
) -> None:
    """Write lines, allowances, charges, the VAT breakdown and totals of a draft.

    ``prepaid`` (BT-113, the advance a final invoice settles) lowers the amount due.
    """
    links = list(corrects_positions) + [None] * (len(lines) - len(corrects_positions))
    # Cached INSERTs and UPDATE (platform.fastsql): every draft, the rules' ones included, writes these.
    fastsql.create_many(
        [
            DocumentLine(
                organization_id=document.organization_id,
                document=document,
                position=position,
                sku=line.sku,
                barcode=line.barcode,
                name=line.name,
                description=line.description,
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                net_unit_price=result.net_unit_price.quantize(Decimal("0.000001")),
                discount=line.discount,
                vat_category=line.vat_category.value,
                vat_rate=line.vat_rate,
                net_amount=result.net_amount,
                corrects_position=link,
            )
            for position, (line, result, link) in enumerate(zip(lines, totals.lines, links, strict=True), start=1)
        ]
    )
    fastsql.create_many(
        [
            DocumentAllowanceCharge(
                organization_id=document.organization_id,
                document=document,
                position=position,
                is_charge=ac.is_charge,
                reason=ac.reason,
                amount=ac.amount,
                net_amount=result.net_amount,
                vat_category=ac.vat_category.value,
                vat_rate=ac.vat_rate,
            )
            for position, (ac, result) in enumerate(
                zip(allowances_charges, totals.allowances_charges, strict=True), start=1
            )
        ]
    )
    fastsql.create_many(
        [
            VatBreakdown(
                organization_id=document.organization_id,
                document=document,
                vat_category=row.vat_category.value,
                vat_rate=row.vat_rate,
                taxable_amount=row.taxable_amount,
                tax_amount=row.tax_amount,
            )
            for row in totals.breakdown
        ]
    )
    fastsql.update_by_pk(
        Document,
        document.pk,
        {
            "line_net_total": totals.line_net_total,
            "allowance_total": totals.allowance_total,
            "charge_total": totals.charge_total,
            "tax_exclusive": totals.tax_exclusive,
            "tax_total": totals.tax_total,
            "tax_inclusive": totals.tax_inclusive,
            "prepaid": prepaid,
            "rounding": totals.rounding,
            "payable": totals.payable - prepaid,
            "payment_state": payment_state(payable=totals.payable - prepaid, paid=Decimal(0)).value,
        },
    )


def _document_language(requested: str, buyer: BuyerDetails, organization: Organization) -> str:
    if requested:
        return countries.language(requested, field="language")
    if buyer.language in countries.DOCUMENT_LANGUAGES:
        return buyer.language
    return organization.language


def _exchange_rate(given: Decimal | None, currency: str, organization: Organization) -> Decimal:
    if currency == organization.currency:
        if given not in (None, Decimal(1)):
            raise InvalidValue("must be 1 when the document is in the accounting currency", field="exchange_rate")
        return Decimal(1)
    if given is None:
        raise MissingValue(
            f"documents in {currency} need the rate to {organization.currency} (units per 1 {currency})",
            field="exchange_rate",
        )
    if not isinstance(given, Decimal) or not given.is_finite() or given <= 0:
        raise InvalidValue("must be a positive decimal number", field="exchange_rate")
    return given


def _zone(organization: Organization) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(organization.time_zone)


_UNCHANGED: Any = object()


def document_update_draft(
    *,
    actor: Actor,
    organization: Organization,
    document_id: int,
    buyer: BuyerDetails | None = None,
    lines: Sequence[DraftLine] | None = None,
    allowances_charges: Sequence[AllowanceCharge] | None = None,
    supply_date: dt.date | None = _UNCHANGED,
    due_date: dt.date | None = _UNCHANGED,
    title: str | None = None,
    note: str | None = None,
    order_number: str | None = None,
) -> Document:
    """Change a draft; an issued document refuses every change (F2.3), corrections go by credit note."""
    with transaction.atomic():
        try:
            document = Document.objects.select_for_update().get(pk=document_id, organization=organization)
        except Document.DoesNotExist:
            raise NotFound(f"document {document_id} does not exist", field="document_id") from None
        if document.status != "draft":
            raise ImmutableDocument(
                f"{document.number} is {document.status} and can no longer change; correct it with a credit note",
                field="document_id",
            )
        current = draft_from_document(document, organization)
        new_buyer = buyer.validated() if buyer is not None else None
        supply = document.supply_date if supply_date is _UNCHANGED else supply_date
        due = document.due_date if due_date is _UNCHANGED else due_date
        if due and supply and due < supply:
            raise InvalidValue("must not be before the date of supply", field="due_date")
        draft = replace(
            current,
            buyer_country=new_buyer.country if new_buyer else current.buyer_country,
            buyer_vat_id=new_buyer.vat_id if new_buyer else current.buyer_vat_id,
            lines=tuple(lines) if lines is not None else current.lines,
            allowances_charges=(
                tuple(allowances_charges) if allowances_charges is not None else current.allowances_charges
            ),
        )
        totals = validate_draft(draft, on=supply or timezone.localdate(timezone=_zone(organization)))
        check_storable(totals)
        if new_buyer is not None:
            document.buyer_details = asdict(new_buyer)
            document.buyer_name, document.buyer_email = new_buyer.name, new_buyer.email
            document.buyer_vat_id = new_buyer.vat_id
        document.supply_date, document.due_date = supply, due
        document.title = document.title if title is None else title
        document.note = document.note if note is None else note
        document.order_number = document.order_number if order_number is None else order_number
        document.save()
        links = [] if lines is not None else list(document.lines.values_list("corrects_position", flat=True))
        prepaid = min(document.prepaid, max(totals.tax_inclusive + totals.rounding, Decimal(0)))
        document.lines.all().delete()
        document.allowances_charges.all().delete()
        document.vat_breakdown.all().delete()
        store_content(
            document, draft.lines, draft.allowances_charges, totals, corrects_positions=links, prepaid=prepaid
        )
        audit_record(
            organization=organization,
            actor=actor,
            action="document.draft_updated",
            object_type="document",
            object_id=document.pk,
            data={"payable": str(totals.payable)},
        )
    document.refresh_from_db()
    return document


def draft_from_document(document: Document, organization: Organization) -> Draft:
    """The stored draft (or issued document) as the core's plain data."""
    return Draft(
        document_type=DocumentType(document.document_type),
        currency=document.currency,
        seller_country=organization.country,
        buyer_country=document.buyer_details.get("country", ""),
        buyer_vat_id=document.buyer_vat_id,
        lines=tuple(
            DraftLine(
                name=line.name,
                quantity=line.quantity,
                unit_price=line.unit_price,
                vat_category=VatCategory(line.vat_category),
                vat_rate=line.vat_rate,
                discount=line.discount,
                unit=line.unit,
                sku=line.sku,
                barcode=line.barcode,
                description=line.description,
            )
            for line in document.lines.all()
        ),
        pricing=PricingMode(document.pricing_mode),
        allowances_charges=tuple(
            AllowanceCharge(
                amount=ac.amount,
                is_charge=ac.is_charge,
                vat_category=VatCategory(ac.vat_category),
                vat_rate=ac.vat_rate,
                reason=ac.reason,
            )
            for ac in document.allowances_charges.all()
        ),
    )
