"""EPC QR codes (SEPA credit transfer) are scanned back and compared field by field with the payment."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faktura.core.errors import InvalidValue, MissingValue
from faktura.payqr import Payment, epc, payment, payment_qr
from tests.unit.pdf.qr_scan import epc_amount, parse_epc, scan_payload
from tests.unit.pdf.qr_strategies import payments


def _payment(**changes: Any) -> Payment:
    values: dict[str, Any] = {
        "beneficiary": "Österreichische Blumen GmbH",
        "iban": "AT61 1904 3002 3457 3201",
        "bic": "BKAUATWW",
        "amount": Decimal("1234.50"),
        "currency": "EUR",
        "note": "Rechnung 2025-000123",
    }
    values.update(changes)
    return payment(**values)


def test_the_payload_follows_epc069_12_line_by_line() -> None:
    assert epc.payload(_payment()) == (
        "BCD\n002\n1\nSCT\nBKAUATWW\nÖsterreichische Blumen GmbH\nAT611904300234573201\nEUR1234.50\n"
        "\n\nRechnung 2025-000123"
    )


def test_a_scanned_code_gives_back_every_field_of_the_payment() -> None:
    given_payment = _payment()

    qr = payment_qr(given_payment, buyer_country="DE")

    assert qr is not None
    assert qr.scheme == "epc"
    fields = parse_epc(scan_payload(qr.payload))
    assert fields["service_tag"] == "BCD"
    assert fields["version"] == "002"
    assert fields["charset"] == "1"
    assert fields["identification"] == "SCT"
    assert fields["bic"] == "BKAUATWW"
    assert fields["name"] == "Österreichische Blumen GmbH"
    assert fields["iban"] == "AT611904300234573201"
    assert epc_amount(fields["amount"]) == Decimal("1234.50")
    assert fields["reference"] == ""
    assert fields["text"] == "Rechnung 2025-000123"


def test_a_creditor_reference_takes_the_place_of_the_text() -> None:
    fields = parse_epc(epc.payload(_payment(reference="RF18 5390 0754 7034", note="ignored")))

    assert fields["reference"] == "RF18539007547034"
    assert fields["text"] == ""


def test_without_a_bic_and_a_note_the_trailing_lines_are_left_out() -> None:
    text = epc.payload(_payment(bic="", note=""))

    assert text.split("\n") == [
        *("BCD", "002", "1", "SCT", ""),
        *("Österreichische Blumen GmbH", "AT611904300234573201", "EUR1234.50"),
    ]


def test_line_breaks_in_a_name_or_note_cannot_shift_the_lines() -> None:
    fields = parse_epc(epc.payload(_payment(beneficiary="Evil\nGmbH", note="a\nb\r\nc\td")))

    assert fields["name"] == "Evil GmbH"
    assert fields["text"] == "a b c d"


def test_a_note_longer_than_140_characters_is_shortened() -> None:
    fields = parse_epc(epc.payload(_payment(note="x" * 200)))

    assert fields["text"] == "x" * 139 + "…"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        pytest.param({"currency": "CZK"}, "currency", "euros only, not CZK", id="not-euro"),
        pytest.param(
            {"iban": "BR1800360305000010009795493C1"}, "iban", "BR is not in the SEPA area", id="outside-sepa"
        ),
        pytest.param({"amount": Decimal("1000000000.00")}, "amount", "at most 999999999.99", id="too-much"),
        pytest.param({"beneficiary": "N" * 71}, "beneficiary", "more than 70", id="long-name"),
        pytest.param({"reference": "RF19 5390 0754 7034"}, "reference", "ISO 11649", id="bad-reference"),
        pytest.param({"note": "ž" * 140}, "note", "331 bytes", id="too-many-bytes"),
    ],
)
def test_what_an_epc_code_cannot_carry_is_refused_naming_the_field(
    changes: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        epc.payload(_payment(**changes))

    assert refused.value.field == field
    assert words in refused.value.message


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"iban": "AT61 1904 3002 3457 3202"}, "iban", id="iban-checksum"),
        pytest.param({"bic": "BKAU-AT"}, "bic", id="bic-format"),
        pytest.param({"amount": Decimal("-5")}, "amount", id="negative"),
        pytest.param({"amount": Decimal("1.005")}, "amount", id="fraction-of-a-cent"),
        pytest.param({"currency": "euro"}, "currency", id="currency-code"),
        pytest.param({"beneficiary": " \n\t "}, "beneficiary", id="no-name"),
    ],
)
def test_a_document_with_a_bad_account_or_amount_gets_no_code(changes: dict[str, object], field: str) -> None:
    with pytest.raises((InvalidValue, MissingValue)) as refused:
        _payment(**changes)

    assert refused.value.field == field


@settings(max_examples=60, deadline=None)
@given(payments(most_amount=99_999_999_999), st.sampled_from(["", "GDDS", "SUPP"]))
def test_any_valid_euro_payment_round_trips_through_the_scanned_symbol(payment_: Payment, purpose: str) -> None:
    elements = ["BCD", "002", "1", "SCT", payment_.bic, payment_.beneficiary, payment_.iban]
    size = len("\n".join([*elements, f"EUR{payment_.amount:.2f}", purpose, "", payment_.note]).encode())
    if size > epc.MAX_BYTES:  # more than version 13-M holds: refused, naming the note
        with pytest.raises(InvalidValue, match="331 bytes"):
            epc.payload(payment_, purpose=purpose)
        return

    text = epc.payload(payment_, purpose=purpose)

    fields = parse_epc(scan_payload(text))

    assert fields["bic"] == payment_.bic
    assert fields["name"] == payment_.beneficiary
    assert fields["iban"] == payment_.iban
    assert epc_amount(fields["amount"]) == payment_.amount
    assert fields["purpose"] == purpose
    assert fields["text"] == payment_.note
