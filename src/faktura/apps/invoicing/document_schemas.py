"""The shapes of documents over the REST API: what comes in, and what goes out.

Amounts go out as strings with the currency's decimals (``"24.20"``), never
as JSON floats; they come in as JSON numbers or strings and are read as exact
decimals (``platform.api_parser``). Text inputs refuse control characters, so
nothing a database would choke on gets that far.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict

from faktura.apps.invoicing.document_pages import DocumentSort
from faktura.core.documents import DocumentStatus, DocumentType
from faktura.core.vat import VatCategory


def _one_line(value: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError("must not contain control characters")
    return value


def _paragraphs(value: str) -> str:
    if any((ord(c) < 32 and c not in "\n\r\t") or ord(c) == 127 for c in value):
        raise ValueError("must not contain control characters other than line breaks and tabs")
    return value


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValueError("not an e-mail address") from None
    return value


Text = Annotated[str, AfterValidator(_one_line)]
LongText = Annotated[str, AfterValidator(_paragraphs)]
Email = Annotated[str, AfterValidator(_email)]
Amount = Annotated[Decimal, Field(max_digits=15, decimal_places=4)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ByHandType(StrEnum):
    INVOICE = DocumentType.INVOICE.value
    PROFORMA = DocumentType.PROFORMA.value
    ESTIMATE = DocumentType.ESTIMATE.value


class PaymentStateFilter(StrEnum):
    UNPAID = "unpaid"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    OVERPAID = "overpaid"
    OVERDUE = "overdue"


class DocumentFiltersIn(Schema):
    type: DocumentType | None = Field(None, description="invoice, proforma, credit_note or estimate.")
    status: DocumentStatus | None = None
    payment_state: PaymentStateFilter | None = Field(
        None, description="overdue: unpaid or partially paid, issued, and past its due date."
    )
    channel: Id | None = None
    order: Id | None = None
    issued_from: dt.date | None = Field(None, description="Issue date on or after.")
    issued_to: dt.date | None = Field(None, description="Issue date on or before.")
    q: Text = Field("", max_length=100, description="Part of the number, buyer name, e-mail, VAT id or order number.")
    sort: DocumentSort = Field(
        DocumentSort.NEWEST,
        description="newest / oldest (issue date; drafts, without one, come first in newest), number / -number, "
        "total / -total (amount to pay), buyer / -buyer (buyer name), due / -due (due date). Ties go by id.",
    )
    cursor: str | None = Field(
        None, max_length=600, description="next_cursor or previous_cursor of a page, with the same sort."
    )
    limit: int = Field(50, ge=1, le=200)


class BuyerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Text = Field(min_length=1, max_length=200)
    country: Text = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2.")
    email: Email = Field("", max_length=254)
    is_business: bool = False
    vat_id: Text = Field("", max_length=20)
    registration_number: Text = Field("", max_length=40)
    street: Text = Field("", max_length=200)
    city: Text = Field("", max_length=100)
    postal_code: Text = Field("", max_length=20)
    region: Text = Field("", max_length=100)
    language: Text = Field("", max_length=8)
    phone: Text = Field("", max_length=40)


class LineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Text = Field(min_length=1, max_length=300)
    quantity: Amount = Field(gt=0)
    unit_price: Amount = Field(ge=0, description="Net or gross, as `pricing` says.")
    vat_rate: Decimal = Field(ge=0, lt=100, max_digits=5, decimal_places=2, description="Percent: 21 for 21 %.")
    vat_category: VatCategory = VatCategory.STANDARD
    discount: Amount = Field(Decimal(0), ge=0, description="For the whole line.")
    unit: Text = Field("H87", min_length=1, max_length=16, description="UN/ECE Rec. 20 code; H87 is a piece.")
    sku: Text = Field("", max_length=64)
    barcode: Text = Field("", max_length=32)
    description: LongText = Field("", max_length=2000)


class ShippingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    amount: Amount = Field(gt=0)
    vat_rate: Decimal = Field(ge=0, lt=100, max_digits=5, decimal_places=2)
    vat_category: VatCategory = VatCategory.STANDARD


class DocumentIn(Schema):
    """Either ``order_id`` (the order's buyer and lines), or ``buyer`` and ``lines`` given here."""

    model_config = ConfigDict(extra="forbid")

    document_type: ByHandType = ByHandType.INVOICE
    order_id: Id | None = Field(None, description="Issue for this order.")
    proforma_ids: list[Id] = Field(
        default_factory=list, max_length=50, description="An invoice for an order: the proformas it settles."
    )
    buyer: BuyerIn | None = None
    lines: list[LineIn] | None = Field(None, min_length=1, max_length=1000)
    currency: Text | None = Field(None, min_length=3, max_length=3, description="Without an order: required.")
    pricing: Literal["net", "gross"] = "gross"
    shipping: ShippingIn | None = None
    exchange_rate: Decimal | None = Field(None, gt=0, max_digits=15, decimal_places=6)
    channel: Id | None = None
    supply_date: dt.date | None = None
    due_days: int | None = Field(None, ge=0, le=3650, description="The due date, in days from today.")
    language: Text = Field("", max_length=8)
    title: Text = Field("", max_length=200)
    note: LongText = Field("", max_length=4000)
    issue: bool = Field(True, description="false: keep it a draft.")


class CreditLineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    position: int = Field(ge=1, le=100_000, description="The invoice line's position, from 1.")
    quantity: Amount = Field(gt=0, description="How many to take back.")


class CreditIn(Schema):
    """Neither ``lines`` nor ``amount``: all that is left to credit."""

    model_config = ConfigDict(extra="forbid")

    lines: list[CreditLineIn] = Field(default_factory=list, max_length=1000)
    amount: Amount | None = Field(None, gt=0, description="A gross amount, split over the VAT rates.")
    reason: LongText = Field("", max_length=300)


class CancelIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: LongText = Field("", max_length=300)


class PaymentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    amount: Amount = Field(description="Negative for money given back.")
    currency: Text | None = Field(None, min_length=3, max_length=3, description="The document's when left out.")
    received_on: dt.date | None = Field(None, description="Today (the seller's) when left out.")
    reference: Text = Field("", max_length=140)
    method: Text = Field("", max_length=24)
    note: LongText = Field("", max_length=300)


class LinkOut(Schema):
    id: int
    number: str | None


class PaymentOut(Schema):
    id: int
    amount: str
    currency: str
    received_on: dt.date
    method: str
    reference: str
    source: str
    note: str
    created_at: dt.datetime


class DocumentLinks(Schema):
    self: str
    pdf: str
    xml: str
    payments: str


class DocumentSummaryOut(Schema):
    id: int
    type: str
    status: str
    source: str
    is_test: bool
    number: str | None
    issue_date: dt.date | None
    due_date: dt.date | None
    channel: int | None
    order: int | None
    order_number: str
    buyer_name: str
    buyer_email: str
    buyer_vat_id: str
    currency: str
    tax_inclusive: str
    payable: str
    payment_state: str
    amount_paid: str
    overdue: bool
    corrected_document: int | None
    created_at: dt.datetime
    links: DocumentLinks


class DocumentPageOut(Schema):
    items: list[DocumentSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")
    previous_cursor: str | None = Field(
        description="Pass as `cursor` for the page before; null on the first page (the one without a cursor)."
    )


class LineOut(Schema):
    position: int
    name: str
    description: str
    sku: str
    barcode: str
    quantity: str
    unit: str
    unit_price: str
    net_unit_price: str
    discount: str
    vat_category: str
    vat_rate: str
    net_amount: str
    corrects_position: int | None


class AllowanceChargeOut(Schema):
    position: int
    is_charge: bool
    reason: str
    amount: str
    net_amount: str
    vat_category: str
    vat_rate: str


class VatRowOut(Schema):
    vat_category: str
    vat_rate: str
    taxable_amount: str
    tax_amount: str


class TotalsOut(Schema):
    line_net_total: str
    allowance_total: str
    charge_total: str
    tax_exclusive: str
    tax_total: str
    tax_inclusive: str
    prepaid: str
    rounding: str
    payable: str


class CreditNoteRefOut(LinkOut):
    status: str
    payable: str


class SettlementOut(LinkOut):
    amount: str


class DocumentOut(DocumentSummaryOut):
    series: int | None
    supply_date: dt.date | None
    issued_at: dt.datetime | None
    seller: dict[str, Any]
    buyer: dict[str, Any]
    exchange_rate: str
    pricing: str
    language: str
    title: str
    note: str
    legal_notes: list[str]
    totals: TotalsOut
    lines: list[LineOut]
    allowances_charges: list[AllowanceChargeOut]
    vat_breakdown: list[VatRowOut]
    credit_notes: list[CreditNoteRefOut]
    settled_proformas: list[SettlementOut]
    settled_by: list[LinkOut] = Field(description="A proforma: the final invoices that settle it.")
    payments: list[PaymentOut]
    cancelled_at: dt.datetime | None
    cancel_reason: str
    pdf_sha256: str
    updated_at: dt.datetime


class UploadIn(Schema):
    """The form fields that go with an uploaded PDF (``multipart/form-data``)."""

    number: Text = Field(min_length=1, max_length=64, description="The number printed on the PDF.")
    issue_date: dt.date
    document_type: DocumentType = DocumentType.INVOICE
    order_id: Id | None = Field(None, description="The order it is for; its buyer is the document's.")
    buyer_name: Text = Field("", max_length=200, description="Without an order: required.")
    buyer_email: Email = Field("", max_length=254)
    currency: Text | None = Field(None, min_length=3, max_length=3, description="The order's or the seller's.")
    total: Amount | None = Field(None, description="The amount due printed on it; negative on a credit note.")


class PaymentRecordedOut(Schema):
    payment: PaymentOut
    document: DocumentSummaryOut
