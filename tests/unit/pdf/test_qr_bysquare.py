"""PAY by square codes are scanned, decoded as a banking app decodes them and compared with the payment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, note, settings

from faktura.core.errors import InvalidValue
from faktura.payqr import Payment, bysquare, payment, payment_qr
from faktura.payqr.bysquare import plain
from tests.unit.pdf.qr_scan import decode_bysquare, scan_payload
from tests.unit.pdf.qr_strategies import payments


def _payment(**changes: Any) -> Payment:
    values: dict[str, Any] = {
        "beneficiary": "Kvetinárstvo Ľalia s.r.o.",
        "iban": "SK31 1200 0000 1987 4263 7541",
        "bic": "SUBASKBX",
        "amount": Decimal("1234.50"),
        "currency": "EUR",
        "due_date": date(2025, 3, 31),
        "variable_symbol": "2025000123",
        "constant_symbol": "0308",
        "specific_symbol": "77",
        "note": "Faktúra č. 2025000123",
    }
    values.update(changes)
    return payment(**values)


def test_the_fields_are_tab_separated_in_the_order_of_the_specification() -> None:
    # The field layout of a published reference encoder's test vector (its invoice id left out).
    given_payment = payment(
        beneficiary="Jan", iban="SK9611000000002918599669", amount=Decimal(100), currency="EUR", variable_symbol="123"
    )

    assert "\t".join(bysquare.fields(given_payment)) == (
        "\t1\t1\t100\tEUR\t\t123\t\t\t\t\t1\tSK9611000000002918599669\t\t0\t0\tJan\t\t"
    )


def test_a_scanned_code_gives_back_every_field_of_the_payment() -> None:
    qr = payment_qr(_payment(), buyer_country="SK")

    assert qr is not None
    assert qr.scheme == "bysquare"
    header, fields = decode_bysquare(scan_payload(qr.payload))
    assert header == b"\x00\x00"  # PAY by square, version 1.0.0, payment order
    assert fields == {
        "invoice_id": "",
        "payments": "1",
        "payment_options": "1",
        "amount": "1234.5",
        "currency": "EUR",
        "due_date": "20250331",
        "variable_symbol": "2025000123",
        "constant_symbol": "0308",
        "specific_symbol": "77",
        "reference": "",
        "note": "Faktura c. 2025000123",
        "accounts": "1",
        "iban": "SK3112000000198742637541",
        "bic": "SUBASKBX",
        "standing_order": "0",
        "direct_debit": "0",
        "beneficiary_name": "Kvetinarstvo Lalia s.r.o.",
        "beneficiary_address_1": "",
        "beneficiary_address_2": "",
    }


def test_the_payload_uses_only_the_base32hex_alphabet_and_so_the_alphanumeric_mode() -> None:
    text = bysquare.payload(_payment())

    assert set(text) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUV")


def test_tabs_in_a_note_cannot_shift_the_fields() -> None:
    _, fields = decode_bysquare(bysquare.payload(_payment(note="a\tb\nc", beneficiary="X\tY")))

    assert fields["note"] == "a b c"
    assert fields["beneficiary_name"] == "X Y"
    assert fields["iban"] == "SK3112000000198742637541"


def test_any_currency_can_be_asked_for() -> None:
    _, fields = decode_bysquare(bysquare.payload(_payment(currency="CZK", amount=Decimal("99.90"))))

    assert (fields["currency"], fields["amount"]) == ("CZK", "99.9")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"variable_symbol": "12345678901"}, "variable_symbol", id="vs-too-long"),
        pytest.param({"variable_symbol": "FV-1"}, "variable_symbol", id="vs-not-digits"),
        pytest.param({"constant_symbol": "12345"}, "constant_symbol", id="ks-too-long"),
        pytest.param({"specific_symbol": "1e5"}, "specific_symbol", id="ss-not-digits"),
        pytest.param({"iban": "SK31 1200 0000 1987 4263 7542"}, "iban", id="iban-checksum"),
    ],
)
def test_bad_symbols_and_accounts_are_refused_naming_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        _payment(**changes)

    assert refused.value.field == field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"beneficiary": "N" * 71}, "beneficiary", id="long-name"),
        pytest.param({"note": "n" * 141}, "note", id="long-note"),
        pytest.param({"amount": Decimal("12345678901234.56")}, "amount", id="sixteen-digits"),
    ],
)
def test_what_the_data_model_cannot_hold_is_refused(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        bysquare.payload(_payment(**changes))

    assert refused.value.field == field


@settings(max_examples=60, deadline=None)
@given(payments(currencies=("EUR", "CZK", "USD")))
def test_any_valid_payment_round_trips_through_the_scanned_symbol(payment_: Payment) -> None:
    assume(len(plain(payment_.beneficiary)) <= 70 and len(plain(payment_.note)) <= 140)  # NFKD may lengthen

    note(repr(payment_))
    header, fields = decode_bysquare(scan_payload(bysquare.payload(payment_)))

    assert header == b"\x00\x00"
    assert Decimal(fields["amount"]) == payment_.amount
    assert fields["currency"] == payment_.currency
    assert fields["due_date"] == (payment_.due_date.strftime("%Y%m%d") if payment_.due_date else "")
    assert fields["variable_symbol"] == payment_.variable_symbol
    assert fields["constant_symbol"] == payment_.constant_symbol
    assert fields["specific_symbol"] == payment_.specific_symbol
    assert fields["iban"] == payment_.iban
    assert fields["bic"] == payment_.bic
    assert fields["note"] == plain(payment_.note)
    assert fields["beneficiary_name"] == plain(payment_.beneficiary)
