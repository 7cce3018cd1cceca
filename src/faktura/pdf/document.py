"""What a PDF shows: the document as plain, typed data, free of Django.

The apps build a ``DocumentData`` from an issued document (see
``faktura.apps.invoicing.services.rendering``); the engine formats it in the
document's language and hands it to the template as data. Amounts are
Decimal, dates are dates: formatting happens in one place, ``faktura.pdf.view``.

Field names follow EN 16931 where a business term exists (BT-1 number, BT-2
issue date, ...), so the art. 226 checklist of Directive 2006/112/EC can be
read off this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Party:
    """Seller or buyer as printed (art. 226 (5), (8), (9))."""

    name: str
    country: str
    street: str = ""
    city: str = ""
    postal_code: str = ""
    region: str = ""
    vat_id: str = ""
    tax_id: str = ""
    registration_number: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    trade_name: str = ""


@dataclass(frozen=True)
class Line:
    """One invoice line: quantity and nature of goods (art. 226 (6)), unit price and discount (8)."""

    name: str
    quantity: Decimal
    unit: str  # UN/ECE rec. 20 code (BT-130), e.g. H87 piece, HUR hour
    net_unit_price: Decimal  # BT-146
    vat_category: str  # faktura.core.vat.VatCategory value
    vat_rate: Decimal  # percent, BT-152
    net_amount: Decimal  # BT-131
    discount: Decimal = Decimal(0)  # BT-136
    description: str = ""
    sku: str = ""


@dataclass(frozen=True)
class AllowanceCharge:
    """A document-level discount or charge (BG-20 / BG-21)."""

    is_charge: bool
    reason: str
    net_amount: Decimal
    vat_category: str
    vat_rate: Decimal


@dataclass(frozen=True)
class VatRow:
    """One row of the VAT breakdown per category and rate (art. 226 (9), (10); BG-23)."""

    vat_category: str
    vat_rate: Decimal
    taxable_amount: Decimal  # BT-116
    tax_amount: Decimal  # BT-117


@dataclass(frozen=True)
class Totals:
    """EN 16931 document totals BT-106 .. BT-115."""

    line_net_total: Decimal
    allowance_total: Decimal
    charge_total: Decimal
    tax_exclusive: Decimal
    tax_total: Decimal
    tax_inclusive: Decimal
    prepaid: Decimal
    rounding: Decimal
    payable: Decimal


@dataclass(frozen=True)
class BankAccount:
    iban: str
    bic: str = ""
    bank_name: str = ""


@dataclass(frozen=True)
class Advance:
    """A paid proforma settled by this final invoice (F2.2)."""

    number: str
    issue_date: dt.date | None
    amount: Decimal


@dataclass(frozen=True)
class Reference:
    """The invoice a credit note corrects (art. 219; its number and date)."""

    number: str
    issue_date: dt.date | None


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF/A-3 (e.g. the Factur-X / ZUGFeRD XML, F9)."""

    name: str
    content: str
    mime_type: str = "text/xml"
    relationship: str = "alternative"  # PDF/A-3 AFRelationship: source, data, alternative, supplement
    description: str = ""


@dataclass(frozen=True)
class DocumentData:
    """Everything one document prints; built by the apps, formatted by ``faktura.pdf.view``."""

    document_type: str  # faktura.core.documents.DocumentType value
    number: str  # BT-1, art. 226 (2)
    issue_date: dt.date  # BT-2, art. 226 (1)
    seller: Party
    buyer: Party
    currency: str
    lines: tuple[Line, ...]
    vat_breakdown: tuple[VatRow, ...]
    totals: Totals
    language: str
    issued_at: dt.datetime | None = None  # fixes the PDF's creation date, so bytes are reproducible
    supply_date: dt.date | None = None  # BT-72, art. 226 (7)
    due_date: dt.date | None = None  # BT-9 (estimates: valid until)
    order_number: str = ""  # BT-13
    title: str = ""
    note: str = ""  # BT-22
    allowances_charges: tuple[AllowanceCharge, ...] = ()
    legal_notes: tuple[str, ...] = ()  # extra wordings stored on the document
    bank_accounts: tuple[BankAccount, ...] = ()
    variable_symbol: str = ""  # Slovak / Czech payment reference
    payment_reference: str = ""  # BT-83
    amount_paid: Decimal = Decimal(0)
    is_paid: bool = False
    advances: tuple[Advance, ...] = ()
    corrected: Reference | None = None
    is_test: bool = False
    seller_vat_registered: bool = True
    payment_qr_svg: str = ""  # filled by faktura.pdf.qr on unpaid documents
    attachments: tuple[Attachment, ...] = field(default=())
