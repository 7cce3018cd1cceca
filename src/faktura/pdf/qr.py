"""The payment QR code of a document (F5.5), from ``faktura.payqr``.

A document gets one when the buyer still has something to pay by transfer:

* it is an invoice or a proforma (not a credit note, not an estimate);
* it is not paid, and its amount due (BT-115 less the payments recorded) is
  more than zero;
* it names a bank account whose IBAN is valid.

The scheme is the one the buyer's banking app reads (``payqr.scheme_for``):
PAY by square for a buyer in Slovakia, EPC QR for euros elsewhere in SEPA,
none otherwise. The code asks for the amount due, to the first bank account,
with the seller's name, the due date, the variable symbol (the document's, or
for a Slovak buyer the digits of its number), the payment reference (BT-83) as
the ISO 11649 creditor reference when it is one, and otherwise the document
number as the remittance text, which is what the seller's bank statement
matcher looks for.

>>> from dataclasses import replace
>>> from faktura.pdf.sample import sample_document
>>> invoice = sample_document("invoice", "de")  # to a Slovak buyer
>>> payment_qr(invoice).scheme, str(amount_due(invoice))
('bysquare', '740.93')
>>> payment_qr(replace(invoice, buyer=replace(invoice.buyer, country="AT"))).scheme
'epc'
>>> payment_qr(sample_document("credit_note", "de")) is None
True
>>> with_payment_qr(replace(invoice, is_paid=True)).payment_qr_svg
''
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from stdnum import iso11649

from faktura.core.errors import ValidationError
from faktura.payqr import Payment, PaymentQr, payment, variable_symbol_from
from faktura.payqr import payment_qr as make_payment_qr
from faktura.pdf.document import BankAccount, DocumentData

PAYABLE_TYPES = frozenset({"invoice", "proforma"})


def amount_due(document: DocumentData) -> Decimal:
    """What the buyer still owes: the amount due for payment less the payments recorded."""
    return document.totals.payable - document.amount_paid


def payment_of(document: DocumentData) -> Payment | None:
    """The transfer that pays ``document``, or None when it gets no QR code."""
    if document.document_type not in PAYABLE_TYPES or document.is_paid or amount_due(document) <= 0:
        return None
    for account in document.bank_accounts:
        try:
            return _payment(document, account)
        except ValidationError:
            continue  # an account the code cannot carry: try the next, else print the details only
    return None


def payment_qr(document: DocumentData) -> PaymentQr | None:
    """The payment QR code of ``document`` (scheme, payload, SVG), or None."""
    transfer = payment_of(document)
    if transfer is None:
        return None
    try:
        return make_payment_qr(transfer, buyer_country=document.buyer.country)
    except ValidationError:  # more than the scheme carries (a name over 70 characters...): no code
        return None


def with_payment_qr(document: DocumentData) -> DocumentData:
    """``document`` with ``payment_qr_svg`` filled in (empty when it gets no code)."""
    qr = payment_qr(document)
    return replace(document, payment_qr_svg=qr.svg if qr else "")


def _payment(document: DocumentData, account: BankAccount) -> Payment:
    reference = "".join(document.payment_reference.split()).upper()
    is_creditor_reference = bool(reference) and iso11649.is_valid(reference)
    symbol = document.variable_symbol
    if not symbol and document.buyer.country.upper() in ("SK", "CZ"):
        symbol = variable_symbol_from(document.number)
    return payment(
        beneficiary=document.seller.name,
        iban=account.iban,
        bic=account.bic,
        amount=amount_due(document),
        currency=document.currency,
        due_date=document.due_date,
        variable_symbol=symbol if symbol.isdigit() and len(symbol) <= 10 else variable_symbol_from(symbol),
        reference=reference if is_creditor_reference else "",
        note=document.number if is_creditor_reference else (document.payment_reference or document.number),
    )
