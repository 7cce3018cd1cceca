"""Document kinds and the rules a draft must meet before it may be issued.

A draft is plain data; ``validate_draft`` checks what the law and the document
type require and returns the totals, so every door (API, web app, rules, CLI)
gets the same answer and the same field names in its errors:

* invoices, proformas and estimates sell: quantities are positive;
* a credit note takes back: its quantities are negative (storno), so that an
  invoice and its full credit note add up to exactly zero per VAT rate;
* reverse charge and intra-EU supplies need the buyer's VAT id (art. 226 (4));
* taxed lines carry a rate that the country actually has (OSS: the buyer's).

>>> from decimal import Decimal as D
>>> line = DraftLine(name="Mug", quantity=D(2), unit_price=D("12.10"), vat_category=VatCategory.STANDARD,
...                  vat_rate=D(21))
>>> draft = Draft(document_type=DocumentType.INVOICE, currency="RON", seller_country="RO",
...               buyer_country="RO", buyer_vat_id="", lines=(line,), pricing=PricingMode.GROSS)
>>> validate_draft(draft, on=date(2026, 3, 1)).payable
Decimal('24.20')
>>> validate_draft(replace(draft, lines=(replace(line, quantity=D(-2)),)), on=date(2026, 3, 1))
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: lines[0].quantity: must be positive on an invoice; take goods back with a credit note
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from faktura.core.errors import InvalidValue, MissingValue
from faktura.core.totals import AllowanceCharge, DocumentTotals, LineInput, PricingMode, compute_totals
from faktura.core.vat import VatCategory
from faktura.core.vat_rates import validate_rate

__all__ = ["DocumentStatus", "DocumentType", "Draft", "DraftLine", "PricingMode", "replace", "validate_draft"]


class DocumentType(StrEnum):
    INVOICE = "invoice"
    PROFORMA = "proforma"
    CREDIT_NOTE = "credit_note"
    ESTIMATE = "estimate"

    @property
    def is_credit(self) -> bool:
        """Credit documents are numbered apart from debit ones (F3.1)."""
        return self is DocumentType.CREDIT_NOTE


class DocumentStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class DraftLine:
    name: str
    quantity: Decimal
    unit_price: Decimal
    vat_category: VatCategory
    vat_rate: Decimal
    discount: Decimal = Decimal(0)
    unit: str = "H87"
    sku: str = ""
    barcode: str = ""
    description: str = ""


@dataclass(frozen=True)
class Draft:
    document_type: DocumentType
    currency: str
    seller_country: str
    buyer_country: str
    buyer_vat_id: str
    lines: tuple[DraftLine, ...]
    pricing: PricingMode = PricingMode.NET
    allowances_charges: tuple[AllowanceCharge, ...] = ()


_NEEDS_BUYER_VAT_ID = (VatCategory.REVERSE_CHARGE, VatCategory.INTRA_EU)


def validate_draft(draft: Draft, *, on: date) -> DocumentTotals:
    """Check ``draft`` as it would be issued ``on`` (the supply date) and compute its totals."""
    if not draft.lines:
        raise MissingValue("a document needs at least one line", field="lines")
    credit = draft.document_type.is_credit
    for index, line in enumerate(draft.lines):
        field = f"lines[{index}]"
        if not line.name.strip():
            raise MissingValue("describe the goods or services (art. 226 (6))", field=f"{field}.name")
        if credit and line.quantity > 0:
            raise InvalidValue("must be negative on a credit note (it takes goods back)", field=f"{field}.quantity")
        if not credit and line.quantity <= 0:
            raise InvalidValue(
                f"must be positive on {_label(draft.document_type)}; take goods back with a credit note",
                field=f"{field}.quantity",
            )
        if line.unit_price < 0:
            raise InvalidValue("must not be negative; use a discount or a credit note", field=f"{field}.unit_price")
        _check_vat(draft, line.vat_category, line.vat_rate, on=on, field=field)
    for index, ac in enumerate(draft.allowances_charges):
        _check_vat(draft, ac.vat_category, ac.vat_rate, on=on, field=f"allowances_charges[{index}]")
    return compute_totals(
        [
            LineInput(
                quantity=line.quantity,
                unit_price=line.unit_price,
                vat_category=line.vat_category,
                vat_rate=line.vat_rate,
                discount=line.discount if not credit else -line.discount,
            )
            for line in draft.lines
        ],
        draft.allowances_charges,
        currency=draft.currency,
        pricing=draft.pricing,
    )


def _check_vat(draft: Draft, category: VatCategory, rate: Decimal, *, on: date, field: str) -> None:
    if category in _NEEDS_BUYER_VAT_ID and not draft.buyer_vat_id:
        raise MissingValue(
            f"the buyer's VAT id is required for {category.value.replace('_', ' ')} (art. 226 (4))",
            field="buyer.vat_id",
        )
    country = draft.buyer_country if category is VatCategory.OSS else draft.seller_country
    validate_rate(country=country, category=category, rate=rate, on=on, field=f"{field}.vat_rate")


def _label(document_type: DocumentType) -> str:
    """'an invoice', 'a proforma': for messages people read."""
    name = document_type.value.replace("_", " ")
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"
