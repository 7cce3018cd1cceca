"""Payment QR codes on unpaid documents (PRODUCT.md F5.5): EPC QR and PAY by square.

Pure code (no Django): ``payment(...)`` checks what the document says the buyer
owes and to which account, ``payment_qr(...)`` picks the scheme the buyer's
banking app reads and returns the payload and the SVG the template embeds:

* **PAY by square** (``bysquare``) when the buyer is in Slovakia, where every
  banking app reads it, or, when the buyer's country is not known, the seller's
  account is Slovak; any currency;
* **EPC QR** (``epc``, the European Payments Council's "SEPA credit transfer"
  code read by banking apps in Austria, Belgium, Finland, Germany, the
  Netherlands and elsewhere) for any other payment in euros to a SEPA account;
* none otherwise (another currency outside Slovakia): the bank details are
  printed as text as always.

Whether a document gets one at all is the caller's rule: an invoice or proforma
with an amount still due, and a bank account to pay to.

>>> from decimal import Decimal
>>> p = payment(beneficiary="Acme GmbH", iban="DE89 3704 0044 0532 0130 00", amount=Decimal("19.99"),
...             currency="EUR", note="Invoice 2025-0001")
>>> qr = payment_qr(p, buyer_country="AT")
>>> qr.scheme, qr.payload.split("\\n")[7:]
('epc', ['EUR19.99', '', '', 'Invoice 2025-0001'])
>>> payment_qr(p, buyer_country="SK").scheme
'bysquare'
>>> payment_qr(payment(beneficiary="Acme", iban="DE89370400440532013000", amount=Decimal(5), currency="PLN"),
...            buyer_country="PL") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from faktura.payqr import bysquare, epc, render
from faktura.payqr.transfer import Payment, payment, variable_symbol_from

__all__ = ["Payment", "PaymentQr", "Scheme", "payment", "payment_qr", "scheme_for", "variable_symbol_from"]

Scheme = Literal["epc", "bysquare"]


@dataclass(frozen=True, slots=True)
class PaymentQr:
    """What a template needs: the scheme (for its caption), the payload and the symbol as SVG text."""

    scheme: Scheme
    payload: str
    svg: str


def scheme_for(payment: Payment, *, buyer_country: str | None) -> Scheme | None:
    """The scheme the buyer's banking app reads, or None when neither fits."""
    country = (buyer_country or "").upper()
    if country == "SK" or (not country and payment.iban.startswith("SK")):
        return "bysquare"
    if payment.currency == "EUR" and payment.iban[:2] in epc.SEPA_COUNTRIES:
        return "epc"
    return None


def payment_qr(payment: Payment, *, buyer_country: str | None, scheme: Scheme | None = None) -> PaymentQr | None:
    """The payment QR code of ``payment`` in ``scheme`` (by default the one ``scheme_for`` picks)."""
    chosen = scheme or scheme_for(payment, buyer_country=buyer_country)
    if chosen is None:
        return None
    text = bysquare.payload(payment) if chosen == "bysquare" else epc.payload(payment)
    return PaymentQr(scheme=chosen, payload=text, svg=render.svg(text))
