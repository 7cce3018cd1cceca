"""The payment QR code printed on a rendered invoice scans back to what the document asks for.

The sample invoice goes through the built-in template (Typst, the same inputs
``render`` uses) to a PNG page at 150 ppi; zxing-cpp finds the one QR code on
it, and its payload is decoded and compared with the document field by field.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
import typst

from faktura.pdf import Template, render
from faktura.pdf.document import BankAccount, DocumentData
from faktura.pdf.engine import FONTS_DIR, TEMPLATES_DIR, compiler_inputs
from faktura.pdf.qr import amount_due, payment_qr, with_payment_qr
from faktura.pdf.sample import sample_document
from tests.unit.pdf.qr_scan import decode_bysquare, epc_amount, parse_epc, scan_payload, scan_png


def _page_png(document: DocumentData) -> bytes:
    template = Template.builtin(document.document_type)
    compiler = typst.Compiler(
        str(TEMPLATES_DIR / f"{template.name}.typ"),
        root=str(TEMPLATES_DIR),
        font_paths=[str(FONTS_DIR)],
        ignore_system_fonts=True,
        sys_inputs=compiler_inputs(document, template.layout),
    )
    pages = compiler.compile(format="png", ppi=150)
    return pages[0] if isinstance(pages, list) else pages  # type: ignore[return-value]


def _to_buyer_in(document: DocumentData, country: str) -> DocumentData:
    return replace(document, buyer=replace(document.buyer, country=country))


def test_an_unpaid_invoice_to_a_slovak_buyer_carries_pay_by_square() -> None:
    document = with_payment_qr(sample_document("invoice", "sk"))

    header, fields = decode_bysquare(scan_png(_page_png(document)))

    assert header == b"\x00\x00"
    assert Decimal(fields["amount"]) == amount_due(document) == Decimal("740.93")
    assert fields["currency"] == document.currency
    assert fields["due_date"] == document.due_date.strftime("%Y%m%d")  # type: ignore[union-attr]
    assert fields["variable_symbol"] == document.variable_symbol == "202600042"
    assert fields["iban"] == document.bank_accounts[0].iban
    assert fields["bic"] == document.bank_accounts[0].bic
    assert fields["note"] == document.payment_reference
    assert fields["beneficiary_name"] == "Casa Verde Comert SRL"  # diacritics dropped for banking apps


def test_an_unpaid_euro_invoice_to_an_austrian_buyer_carries_an_epc_code() -> None:
    document = _to_buyer_in(sample_document("invoice", "de"), "AT")
    qr = payment_qr(document)
    assert qr is not None

    fields = parse_epc(scan_payload(qr.payload))  # the page itself is scanned in the test above

    assert fields["name"] == document.seller.name
    assert fields["iban"] == document.bank_accounts[0].iban
    assert fields["bic"] == document.bank_accounts[0].bic
    assert epc_amount(fields["amount"]) == amount_due(document)
    assert fields["text"] == document.payment_reference


def test_a_creditor_reference_goes_in_the_structured_field() -> None:
    document = replace(_to_buyer_in(sample_document("invoice", "en"), "DE"), payment_reference="RF18 5390 0754 7034")

    qr = payment_qr(document)

    assert qr is not None
    fields = parse_epc(qr.payload)
    assert (fields["reference"], fields["text"]) == ("RF18539007547034", "")


def test_what_was_paid_already_is_not_asked_for_again() -> None:
    document = replace(_to_buyer_in(sample_document("invoice", "en"), "DE"), amount_paid=Decimal("40.93"))

    qr = payment_qr(document)

    assert qr is not None
    assert epc_amount(parse_epc(qr.payload)["amount"]) == Decimal("700.00")


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"is_paid": True}, id="paid"),
        pytest.param({"amount_paid": Decimal("740.93")}, id="paid-in-full-by-payments"),
        pytest.param({"bank_accounts": ()}, id="no-bank-account"),
        pytest.param({"bank_accounts": (BankAccount(iban="RO49AAAA1B31007593840001"),)}, id="invalid-iban"),
        pytest.param({"currency": "RON"}, id="lei-to-a-german-buyer"),
    ],
)
def test_no_code_when_there_is_nothing_to_pay_by_transfer(change: dict[str, object]) -> None:
    document = replace(_to_buyer_in(sample_document("invoice", "en"), "DE"), **change)  # type: ignore[arg-type]

    assert payment_qr(document) is None
    assert with_payment_qr(document).payment_qr_svg == ""


@pytest.mark.parametrize("document_type", ["credit_note", "estimate"])
def test_credit_notes_and_estimates_get_no_code(document_type: str) -> None:
    assert payment_qr(sample_document(document_type, "sk")) is None


def test_an_invoice_with_its_code_still_renders_as_pdf() -> None:
    pdf = render(with_payment_qr(sample_document("invoice", "sk")), Template.builtin("invoice"))

    assert pdf.startswith(b"%PDF-")
