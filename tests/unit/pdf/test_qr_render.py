"""The SVG of a payment QR code, embedded by Typst as data, still scans; the module doctests hold."""

from __future__ import annotations

import doctest
import json
from decimal import Decimal

import pytest
import typst

import faktura.payqr
import faktura.pdf.qr
from faktura.payqr import bysquare, epc, payment, payment_qr, render, transfer
from tests.unit.pdf.qr_scan import decode_bysquare, parse_epc, scan_png

_PAGE = b"""#set page(width: 6cm, height: 6cm, margin: 1cm)
#let qr = json(bytes(sys.inputs.data))
#image(bytes(qr.svg), format: "svg", width: 4cm)
"""


def _embedded_and_scanned(svg: str) -> str:
    png = typst.compile(_PAGE, format="png", ppi=150, sys_inputs={"data": json.dumps({"svg": svg})})
    return scan_png(png)


def test_an_epc_code_embedded_by_typst_scans_back_to_the_payment() -> None:
    given_payment = payment(
        beneficiary="Acme GmbH", iban="DE89370400440532013000", amount=Decimal("19.99"), currency="EUR", note="INV-1"
    )
    qr = payment_qr(given_payment, buyer_country="DE")
    assert qr is not None

    fields = parse_epc(_embedded_and_scanned(qr.svg))

    assert (fields["name"], fields["iban"], fields["amount"], fields["text"]) == (
        "Acme GmbH",
        "DE89370400440532013000",
        "EUR19.99",
        "INV-1",
    )


def test_a_pay_by_square_code_embedded_by_typst_scans_back_to_the_payment() -> None:
    given_payment = payment(
        beneficiary="Ján", iban="SK9611000000002918599669", amount=Decimal("5"), currency="EUR", variable_symbol="42"
    )
    qr = payment_qr(given_payment, buyer_country="SK")
    assert qr is not None

    _, fields = decode_bysquare(_embedded_and_scanned(qr.svg))

    assert (fields["amount"], fields["variable_symbol"], fields["iban"]) == ("5", "42", "SK9611000000002918599669")


def test_the_same_payment_gives_the_same_svg_bytes() -> None:
    given_payment = payment(beneficiary="A", iban="SK9611000000002918599669", amount=Decimal(1), currency="EUR")

    assert payment_qr(given_payment, buyer_country="SK") == payment_qr(given_payment, buyer_country="SK")
    assert render.svg(epc.payload(given_payment)) == render.svg(epc.payload(given_payment))


@pytest.mark.parametrize(
    ("iban", "currency", "buyer_country", "scheme"),
    [
        pytest.param("SK9611000000002918599669", "EUR", "SK", "bysquare", id="slovak-buyer"),
        pytest.param("DE89370400440532013000", "EUR", "SK", "bysquare", id="slovak-buyer-german-seller"),
        pytest.param("SK9611000000002918599669", "EUR", "AT", "epc", id="austrian-buyer"),
        pytest.param("SK9611000000002918599669", "EUR", None, "bysquare", id="unknown-buyer-slovak-account"),
        pytest.param("DE89370400440532013000", "EUR", None, "epc", id="unknown-buyer-german-account"),
        pytest.param("DE89370400440532013000", "PLN", "PL", None, id="zloty"),
        pytest.param("BR1800360305000010009795493C1", "EUR", "DE", None, id="account-outside-sepa"),
    ],
)
def test_the_scheme_is_the_one_the_buyers_banking_app_reads(
    iban: str, currency: str, buyer_country: str | None, scheme: str | None
) -> None:
    given_payment = payment(beneficiary="Seller", iban=iban, amount=Decimal(10), currency=currency)

    qr = payment_qr(given_payment, buyer_country=buyer_country)

    assert (qr.scheme if qr else None) == scheme


@pytest.mark.parametrize(
    "module",
    [faktura.payqr, transfer, epc, bysquare, render, faktura.pdf.qr],
    ids=lambda module: module.__name__,
)
def test_the_examples_in_the_module_docstrings_hold(module: object) -> None:
    failed, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]

    assert tried > 0
    assert failed == 0
