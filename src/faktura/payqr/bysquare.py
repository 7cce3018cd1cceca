"""PAY by square: the Slovak Banking Association's payment QR code (specification 1.0/1.1).

The payment is written as the fields of the by square data model in a fixed
order, separated by tabs::

    InvoiceID  PaymentsCount(1)
      PaymentOptions(1 = payment order)  Amount  CurrencyCode  PaymentDueDate(YYYYMMDD)
      VariableSymbol  ConstantSymbol  SpecificSymbol  OriginatorsReferenceInformation
      PaymentNote  BankAccountsCount(1)  IBAN  BIC  StandingOrderExt(0)  DirectDebitExt(0)
    BeneficiaryName  BeneficiaryAddressLine1  BeneficiaryAddressLine2

then prefixed with the CRC32 of that text (4 bytes, little-endian), compressed
with raw LZMA1 (lc=3, lp=0, pb=2, dictionary 128 KiB; the 13-byte ``.lzma``
header is not kept), prefixed with the 2-byte by square header (four nibbles:
by square type 0 = PAY, version 0 = 1.0.0, document type 0 = payment order,
reserved 0) and the 2-byte little-endian length of the uncompressed data, and
encoded as base32hex (RFC 4648 ``0-9A-V``) without padding, which fits the
QR code's alphanumeric mode. Version 1.0.0 in the header is the one every
banking app reads; the beneficiary's name of 1.1 is written all the same.

Many banking apps garble diacritics, so names and notes lose them
("Kvetinárstvo" -> "Kvetinarstvo"), as other encoders do.

>>> from decimal import Decimal
>>> from faktura.payqr.transfer import payment
>>> p = payment(beneficiary="Ján Novák", iban="SK9611000000002918599669", amount=Decimal("100"),
...             currency="EUR", variable_symbol="123")
>>> fields(p)[:6], fields(p)[-3:]
(['', '1', '1', '100', 'EUR', ''], ['Jan Novak', '', ''])
>>> payload(p)[:4]
'0004'
"""

from __future__ import annotations

import base64
import lzma
import unicodedata
import zlib

from faktura.core.errors import InvalidValue
from faktura.payqr.transfer import Payment

HEADER = bytes([0x00, 0x00])  # PAY, version 1.0.0, payment order, reserved
LZMA_FILTERS = [{"id": lzma.FILTER_LZMA1, "lc": 3, "lp": 0, "pb": 2, "dict_size": 1 << 17}]
MAX_AMOUNT_DIGITS = 15
_LIMITS = {"beneficiary": 70, "reference": 35, "note": 140}


def fields(payment: Payment) -> list[str]:
    """The by square data model of one payment order, in the order of the specification."""
    name, note = plain(payment.beneficiary), plain(payment.note)
    for field, value in (("beneficiary", name), ("reference", payment.reference), ("note", note)):
        if len(value) > _LIMITS[field]:
            raise InvalidValue(f"PAY by square takes at most {_LIMITS[field]} characters here", field=field)
    amount = format(payment.amount.normalize(), "f")
    if len(amount.replace(".", "")) > MAX_AMOUNT_DIGITS:
        raise InvalidValue(f"PAY by square takes at most {MAX_AMOUNT_DIGITS} digits", field="amount")
    return [
        "",  # InvoiceID: only for by square invoices, not payment orders
        "1",
        "1",  # PaymentOptions: payment order
        amount,
        payment.currency,
        payment.due_date.strftime("%Y%m%d") if payment.due_date else "",
        payment.variable_symbol,
        payment.constant_symbol,
        payment.specific_symbol,
        payment.reference,
        note,
        "1",
        payment.iban,
        payment.bic,
        "0",  # no standing order extension
        "0",  # no direct debit extension
        name,
        "",
        "",
    ]


def payload(payment: Payment) -> str:
    """The text the PAY by square QR code holds."""
    data = "\t".join(fields(payment)).encode("utf-8")
    checked = zlib.crc32(data).to_bytes(4, "little") + data
    compressed = lzma.compress(checked, format=lzma.FORMAT_RAW, filters=LZMA_FILTERS)
    frame = HEADER + len(checked).to_bytes(2, "little") + compressed
    return base64.b32hexencode(frame).decode("ascii").rstrip("=")


def plain(text: str) -> str:
    """The text without diacritics; letters that have no plain form (ł, ß) stay.

    >>> plain("Žltá ľalia, Łódź, Straße")
    'Zlta lalia, Łodz, Straße'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))
