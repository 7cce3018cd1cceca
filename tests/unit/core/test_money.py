"""Currencies from Babel, symmetric half-away-from-zero rounding, and the Money value object."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faktura.core.errors import CurrencyMismatch, InvalidValue
from faktura.core.money import Currency, Money, quantize

D = Decimal
EUR, RON, HUF, JPY = (Currency.parse(code) for code in ("EUR", "RON", "HUF", "JPY"))


# --- Currency ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "precision"),
    [
        pytest.param("EUR", 2, id="EUR"),
        pytest.param("RON", 2, id="RON"),
        pytest.param("CZK", 2, id="CZK"),
        pytest.param("HUF", 2, id="HUF-two-per-CLDR-though-cash-rounds-to-whole-forints"),
        pytest.param("JPY", 0, id="JPY-none"),
        pytest.param("BHD", 3, id="BHD-three"),
    ],
)
def test_the_currency_precision_is_what_babel_says(code: str, precision: int) -> None:
    currency = Currency.parse(code)
    assert currency.precision == precision
    assert currency.quantum == D(1).scaleb(-precision)


@pytest.mark.parametrize("raw", ["eur", " EUR ", "Eur"], ids=["lowercase", "padded", "mixed-case"])
def test_currency_codes_are_normalised_to_upper_case(raw: str) -> None:
    assert Currency.parse(raw) == EUR
    assert str(Currency.parse(raw)) == "EUR"


@pytest.mark.parametrize("raw", ["EURO", "", "XYZ", "€"], ids=["word", "empty", "unknown", "symbol"])
def test_an_unknown_currency_is_refused_naming_the_field_and_the_code(raw: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Currency.parse(raw, field="orders[0].currency")
    assert refused.value.field == "orders[0].currency"
    assert repr(raw) in refused.value.message


def test_a_currency_built_directly_is_validated_too() -> None:
    with pytest.raises(InvalidValue) as refused:
        Currency("eur")
    assert refused.value.field == "currency"


def test_a_non_string_currency_is_refused() -> None:
    with pytest.raises(InvalidValue):
        Currency.parse(978)  # type: ignore[arg-type]


# --- quantize ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        pytest.param("2.675", EUR, "2.68", id="half-up"),
        pytest.param("-2.675", EUR, "-2.68", id="negative-half-away-from-zero"),
        pytest.param("2.665", EUR, "2.67", id="not-bankers-rounding"),
        pytest.param("0.004", EUR, "0.00", id="down"),
        pytest.param("-0.004", EUR, "0.00", id="no-negative-zero"),
        pytest.param("1234.5", JPY, "1235", id="JPY-whole-yen"),
        pytest.param("-1234.5", JPY, "-1235", id="JPY-negative"),
        pytest.param("7", HUF, "7.00", id="HUF-pads-to-two-places"),
    ],
)
def test_quantize_rounds_half_away_from_zero(amount: str, currency: Currency, expected: str) -> None:
    assert str(quantize(D(amount), currency)) == expected


@given(
    amount=st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**12), max_value=10**12, places=6),
    currency=st.sampled_from([EUR, HUF, JPY, Currency.parse("BHD")]),
)
def test_quantize_is_symmetric_in_sign_and_never_moves_more_than_half_a_unit(
    amount: Decimal, currency: Currency
) -> None:
    rounded = quantize(amount, currency)
    assert quantize(-amount, currency) == -rounded
    assert abs(rounded - amount) <= currency.quantum / 2
    assert rounded.as_tuple().exponent == -currency.precision


# --- Money ---------------------------------------------------------------------------------


def test_money_rounds_to_the_currency_on_construction() -> None:
    assert Money(D("19.995"), EUR).amount == D("20.00")
    assert Money(D("19.5"), JPY).amount == D("20")
    assert Money(D(3), RON).amount == D("3.00")


@pytest.mark.parametrize("amount", [0.1, "0.10", None, 3], ids=["float", "str", "none", "int"])
def test_money_refuses_anything_but_a_decimal(amount: object) -> None:
    with pytest.raises(TypeError, match="must be a Decimal"):
        Money(amount, EUR)  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity"])
def test_money_refuses_non_finite_amounts(amount: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Money(D(amount), EUR)
    assert refused.value.field == "amount"


def test_money_needs_a_currency_object() -> None:
    with pytest.raises(TypeError, match="Currency"):
        Money(D(1), "EUR")  # type: ignore[arg-type]


def test_money_adds_subtracts_negates_and_multiplies_in_its_currency() -> None:
    price = Money(D("12.50"), EUR)
    assert price + Money(D("0.99"), EUR) == Money(D("13.49"), EUR)
    assert price - Money(D("13.00"), EUR) == Money(D("-0.50"), EUR)
    assert -price == Money(D("-12.50"), EUR)
    assert abs(-price) == price
    assert price * 3 == 3 * price == Money(D("37.50"), EUR)
    # 12.50 × 0.333 = 4.1625 -> 4.16; the product is rounded like every amount
    assert price * D("0.333") == Money(D("4.16"), EUR)
    assert Money.zero(EUR) == Money(D(0), EUR)


def test_money_multiplication_refuses_floats() -> None:
    with pytest.raises(TypeError, match="float"):
        Money(D(1), EUR) * 1.5  # type: ignore[operator]


def test_money_compares_within_one_currency() -> None:
    small, large = Money(D("1.00"), EUR), Money(D("2.00"), EUR)
    assert small < large
    assert small <= small
    assert large > small
    assert large >= large
    assert sorted([large, small]) == [small, large]


@pytest.mark.parametrize(
    "combine",
    [
        pytest.param(lambda a, b: a + b, id="add"),
        pytest.param(lambda a, b: a - b, id="subtract"),
        pytest.param(lambda a, b: a < b, id="less-than"),
        pytest.param(lambda a, b: a >= b, id="greater-or-equal"),
    ],
)
def test_mixing_currencies_raises_currency_mismatch(combine: object) -> None:
    with pytest.raises(CurrencyMismatch, match="EUR and RON"):
        combine(Money(D(1), EUR), Money(D(1), RON))  # type: ignore[operator]


def test_equal_amounts_in_different_currencies_are_not_equal() -> None:
    assert Money(D(1), EUR) != Money(D(1), RON)


@given(
    a=st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9, places=4),
    b=st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9, places=4),
)
def test_money_arithmetic_is_symmetric_under_negation(a: Decimal, b: Decimal) -> None:
    x, y = Money(a, EUR), Money(b, EUR)
    assert -(x + y) == (-x) + (-y)
    assert -(x * D("0.27")) == (-x) * D("0.27")
    assert x - y == -(y - x)
