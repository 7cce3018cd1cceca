"""EPC QR code: a SEPA credit transfer (EPC069-12 "Quick Response Code", version 002).

The payload is twelve lines of UTF-8 text separated by a line feed; a value that
is absent leaves its line empty and the lines after the last value are left
out. The QR symbol uses error correction level M, no ECI, version 13 at most,
so the payload is at most 331 bytes.

====  =============================================  ===========================
line  element                                        rule
====  =============================================  ===========================
1     service tag                                    ``BCD``
2     version                                        ``002`` (``001`` needs a BIC)
3     character set                                  ``1`` = UTF-8
4     identification                                 ``SCT``
5     BIC of the beneficiary's bank                  8 or 11; optional in 002
6     name of the beneficiary                        at most 70 characters
7     IBAN of the beneficiary                        a SEPA country's IBAN
8     amount                                         ``EUR`` 0.01 … 999999999.99
9     purpose                                        4 letters, optional
10    structured reference (ISO 11649 ``RF…``)       at most 35; or line 11
11    unstructured remittance text                   at most 140; or line 10
12    beneficiary to originator information          at most 70, optional
====  =============================================  ===========================

>>> from decimal import Decimal
>>> from faktura.payqr.transfer import payment
>>> p = payment(beneficiary="Red Cross of Belgium", iban="BE72 0000 0000 1616", bic="BPOTBEB1",
...             amount=Decimal("1"), currency="EUR", note="Urgency fund")
>>> print(payload(p))
BCD
002
1
SCT
BPOTBEB1
Red Cross of Belgium
BE72000000001616
EUR1.00
<BLANKLINE>
<BLANKLINE>
Urgency fund

Only euros can be asked for, to an account in the SEPA area:

>>> payload(payment(beneficiary="A", iban="SK9611000000002918599669", amount=Decimal("5"), currency="CZK"))
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: currency: an EPC QR code asks for euros only, not CZK
"""

from __future__ import annotations

from decimal import Decimal

from stdnum import iso11649

from faktura.core.errors import InvalidValue
from faktura.payqr.transfer import Payment

MAX_BYTES = 331
MAX_AMOUNT = Decimal("999999999.99")

# EU and EEA, and the countries and territories that joined the SEPA schemes.
SEPA_COUNTRIES = frozenset(
    {
        *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"),
        *("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
        *("IS", "LI", "NO", "CH", "GB", "GI", "GG", "JE", "IM", "MC", "SM", "VA", "AD"),
        *("AL", "MD", "ME", "MK"),
    }
)


def payload(payment: Payment, *, purpose: str = "") -> str:
    """The EPC QR payload of a euro credit transfer; ``InvalidValue`` when the payment cannot be one."""
    if payment.currency != "EUR":
        raise InvalidValue(f"an EPC QR code asks for euros only, not {payment.currency}", field="currency")
    if payment.iban[:2] not in SEPA_COUNTRIES:
        raise InvalidValue(f"{payment.iban[:2]} is not in the SEPA area", field="iban")
    if payment.amount > MAX_AMOUNT:
        raise InvalidValue(f"an EPC QR code asks for at most {MAX_AMOUNT} EUR", field="amount")
    if len(payment.beneficiary) > 70:
        raise InvalidValue("the beneficiary's name has more than 70 characters", field="beneficiary")
    if purpose and not (len(purpose) == 4 and purpose.isascii() and purpose.isalpha()):
        raise InvalidValue("the purpose code is 4 letters (ISO 20022 ExternalPurpose1Code)", field="purpose")
    reference, text = _remittance(payment)
    lines = [
        "BCD",
        "002",
        "1",
        "SCT",
        payment.bic,
        payment.beneficiary,
        payment.iban,
        f"EUR{payment.amount:.2f}",
        purpose.upper(),
        reference,
        text,
    ]
    while lines[-1] == "":
        lines.pop()
    result = "\n".join(lines)
    if len(result.encode("utf-8")) > MAX_BYTES:
        raise InvalidValue(f"the EPC QR payload is longer than {MAX_BYTES} bytes", field="note")
    return result


def _remittance(payment: Payment) -> tuple[str, str]:
    """The structured creditor reference when there is one, else the note (one of the two, never both)."""
    if payment.reference:
        if not iso11649.is_valid(payment.reference):
            raise InvalidValue(f"{payment.reference} is not an ISO 11649 creditor reference (RF…)", field="reference")
        return payment.reference, ""
    if len(payment.note) > 140:
        return "", payment.note[:139] + "…"
    return "", payment.note
