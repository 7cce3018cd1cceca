"""A document as the API shows it: plain dicts, amounts as strings in the currency's decimals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from faktura.core.money import Currency, quantize
from faktura.core.payment_state import PaymentState, is_overdue

if TYPE_CHECKING:
    from faktura.apps.invoicing.models import Document
    from faktura.apps.payments.models import Payment

API = "/api/v1"


def money(amount: Decimal, currency: str) -> str:
    return str(quantize(amount, Currency.parse(currency)))


def plain(number: Decimal) -> str:
    """A quantity or rate without trailing zeros: 2, 0.5, 21."""
    return format(number.normalize(), "f") if number else "0"


def price(amount: Decimal, currency: str) -> str:
    """A unit price: the currency's decimals, more only where it has them (12.10, 4.914545)."""
    rounded = quantize(amount, Currency.parse(currency))
    return str(rounded) if rounded == amount else plain(amount)


def links(document_id: int) -> dict[str, str]:
    base = f"{API}/documents/{document_id}"
    return {"self": base, "pdf": f"{base}/pdf", "xml": f"{base}/xml", "payments": f"{base}/payments"}


def summary(document: Document, *, today: dt.date) -> dict[str, Any]:
    cur = document.currency
    return {
        "id": document.pk,
        "type": document.document_type,
        "status": document.status,
        "source": document.source,
        "is_test": document.is_test,
        "number": document.number,
        "issue_date": document.issue_date,
        "due_date": document.due_date,
        "channel": document.channel_id,
        "order": document.order_id,
        "order_number": document.order_number,
        "buyer_name": document.buyer_name,
        "buyer_email": document.buyer_email,
        "buyer_vat_id": document.buyer_vat_id,
        "currency": cur,
        "tax_inclusive": money(document.tax_inclusive, cur),
        "payable": money(document.payable, cur),
        "payment_state": document.payment_state,
        "amount_paid": money(document.amount_paid, cur),
        "overdue": document.status == "issued"
        and is_overdue(PaymentState(document.payment_state), due=document.due_date, today=today),
        "corrected_document": document.corrected_document_id,
        "created_at": document.created_at,
        "links": links(document.pk),
    }


def detail(document: Document, *, payments: Iterable[Payment], today: dt.date) -> dict[str, Any]:
    cur = document.currency
    totals = (
        "line_net_total",
        "allowance_total",
        "charge_total",
        "tax_exclusive",
        "tax_total",
        "tax_inclusive",
        "prepaid",
        "rounding",
        "payable",
    )
    return {
        **summary(document, today=today),
        "series": document.series_id,
        "supply_date": document.supply_date,
        "issued_at": document.issued_at,
        "seller": document.seller,
        "buyer": document.buyer_details,
        "exchange_rate": plain(document.exchange_rate),
        "pricing": document.pricing_mode,
        "language": document.language,
        "title": document.title,
        "note": document.note,
        "legal_notes": list(document.legal_notes),
        "totals": {name: money(getattr(document, name), cur) for name in totals},
        "lines": [
            {
                "position": line.position,
                "name": line.name,
                "description": line.description,
                "sku": line.sku,
                "barcode": line.barcode,
                "quantity": plain(line.quantity),
                "unit": line.unit,
                "unit_price": price(line.unit_price, cur),
                "net_unit_price": price(line.net_unit_price, cur),
                "discount": money(line.discount, cur),
                "vat_category": line.vat_category,
                "vat_rate": plain(line.vat_rate),
                "net_amount": money(line.net_amount, cur),
                "corrects_position": line.corrects_position,
            }
            for line in document.lines.all()
        ],
        "allowances_charges": [
            {
                "position": ac.position,
                "is_charge": ac.is_charge,
                "reason": ac.reason,
                "amount": money(ac.amount, cur),
                "net_amount": money(ac.net_amount, cur),
                "vat_category": ac.vat_category,
                "vat_rate": plain(ac.vat_rate),
            }
            for ac in document.allowances_charges.all()
        ],
        "vat_breakdown": [
            {
                "vat_category": row.vat_category,
                "vat_rate": plain(row.vat_rate),
                "taxable_amount": money(row.taxable_amount, cur),
                "tax_amount": money(row.tax_amount, cur),
            }
            for row in document.vat_breakdown.all()
        ],
        "credit_notes": [
            {"id": note.pk, "number": note.number, "status": note.status, "payable": money(note.payable, cur)}
            for note in sorted(document.credit_notes.all(), key=lambda d: d.pk)
        ],
        "settled_proformas": [
            {"id": s.proforma_id, "number": s.proforma.number, "amount": money(s.amount, cur)}
            for s in document.settled_proformas.all()
        ],
        "settled_by": [{"id": s.invoice_id, "number": s.invoice.number} for s in document.settled_by.all()],
        "payments": [payment_out(p) for p in payments],
        "cancelled_at": document.cancelled_at,
        "cancel_reason": document.cancel_reason,
        "pdf_sha256": document.pdf_sha256,
        "updated_at": document.updated_at,
    }


def payment_out(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.pk,
        "amount": money(payment.amount, payment.currency),
        "currency": payment.currency,
        "received_on": payment.received_on,
        "method": payment.method,
        "reference": payment.reference,
        "source": payment.source,
        "note": payment.note,
        "created_at": payment.created_at,
    }
