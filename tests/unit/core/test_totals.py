"""Document totals: hand-computed invoices, refused input, and EN 16931 rules on random carts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import fields, replace
from decimal import Context, Decimal
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faktura.core.errors import InvalidValue, MissingValue
from faktura.core.money import Currency, quantize
from faktura.core.totals import (
    AllowanceCharge,
    AllowanceChargeResult,
    DocumentTotals,
    LineInput,
    LineResult,
    PricingMode,
    VatBreakdownRow,
    compute_totals,
)
from faktura.core.vat import VatCategory
from tests.unit.core.strategies import VAT_CHOICES, Cart, carts

D = Decimal
STANDARD, REDUCED, EXEMPT, EXPORT, OSS = (
    VatCategory.STANDARD,
    VatCategory.REDUCED,
    VatCategory.EXEMPT,
    VatCategory.EXPORT,
    VatCategory.OSS,
)
GROSS = PricingMode.GROSS


def line(quantity: str, price: str, rate: str = "21", category: VatCategory = STANDARD, **kw: Decimal) -> LineInput:
    return LineInput(D(quantity), D(price), category, D(rate), **kw)


def charge(amount: str, rate: str = "21", category: VatCategory = STANDARD) -> AllowanceCharge:
    return AllowanceCharge(D(amount), True, category, D(rate), reason="Shipping")


def allowance(amount: str, rate: str = "21", category: VatCategory = STANDARD) -> AllowanceCharge:
    return AllowanceCharge(D(amount), False, category, D(rate), reason="Voucher")


# --- Hand-computed documents ---------------------------------------------------------------


def test_a_net_invoice_with_three_rates_shipping_a_voucher_and_a_prepayment_matches_a_hand_computation() -> None:
    # given a RON invoice, computed by hand:
    #   bag    2 × 149.90                          = 299.80   S 21 %
    #   paper  2500 sheets × 45.00 / 1000 = 112.50 − discount 12.50 = 100.00   S 21 %
    #   books  3 × 39.99                           = 119.97   S 11 %
    #   course 1 × 500.00                          = 500.00   E  0 %
    #   shipping charge 19.99 at 21 %, voucher allowance 10.00 on the books at 11 %, prepaid 100.00
    # S 21: 299.80 + 100.00 + 19.99 = 419.79  × 21 % = 88.1559 -> 88.16
    # S 11: 119.97 − 10.00          = 109.97  × 11 % = 12.0967 -> 12.10
    # E  0: 500.00                            ->  0.00
    # BT-106 1019.77, BT-107 10.00, BT-108 19.99, BT-109 1029.76, BT-110 100.26,
    # BT-112 1130.02, BT-113 100.00, BT-115 1030.02
    lines = [
        line("2", "149.90"),
        line("2500", "45.00", discount=D("12.50"), base_quantity=D("1000")),
        line("3", "39.99", "11", REDUCED),
        line("1", "500.00", "0", EXEMPT),
    ]
    extras = [charge("19.99"), allowance("10.00", "11", REDUCED)]

    # when
    totals = compute_totals(lines, extras, currency="RON", prepaid=D("100.00"))

    # then
    assert [ln.net_amount for ln in totals.lines] == [D("299.80"), D("100.00"), D("119.97"), D("500.00")]
    assert [(r.vat_category, r.vat_rate, r.taxable_amount, r.tax_amount) for r in totals.breakdown] == [
        (STANDARD, D("21"), D("419.79"), D("88.16")),
        (REDUCED, D("11"), D("109.97"), D("12.10")),
        (EXEMPT, D("0"), D("500.00"), D("0.00")),
    ]
    assert _amounts(totals) == {
        "line_net_total": D("1019.77"),
        "allowance_total": D("10.00"),
        "charge_total": D("19.99"),
        "tax_exclusive": D("1029.76"),
        "tax_total": D("100.26"),
        "tax_inclusive": D("1130.02"),
        "prepaid": D("100.00"),
        "rounding": D("0.00"),
        "payable": D("1030.02"),
    }
    assert [ac.net_amount for ac in totals.allowances_charges] == [D("19.99"), D("10.00")]


def test_vat_is_computed_on_the_category_base_not_summed_per_line() -> None:
    # given three lines of 0.50 at 21 %: per line 0.105 -> 0.11, summed 0.33
    # when
    totals = compute_totals([line("1", "0.50")] * 3, currency="EUR")
    # then the base 1.50 gives 0.315 -> 0.32 (BR-CO-17)
    assert (totals.tax_exclusive, totals.tax_total) == (D("1.50"), D("0.32"))


def test_a_gross_cart_pays_exactly_the_shown_prices_and_splits_the_base_by_largest_remainder() -> None:
    # given gross prices at 27 %: 3 × 3.33 = 9.99, 1 × 5.00, shipping 1.99; the shop shows 16.98
    # G = 16.98, B = round(16.98 / 1.27 = 13.3700…) = 13.37, VAT round(13.37 × 0.27 = 3.6099) = 3.61,
    # 13.37 + 3.61 = 16.98: an exact split. Shares of 13.37 in proportion to 9.99 : 5.00 : 1.99:
    #   7.8659 -> 7.87 (rounded up by 0.0041), 3.9369 -> 3.94 (0.0031), 1.5669 -> 1.57 (0.0031)
    # 7.87 + 3.94 + 1.57 = 13.38, one cent too many: it comes off the share rounded up the most.
    lines = [line("3", "3.33", "27"), line("1", "5.00", "27")]

    # when
    totals = compute_totals(lines, [charge("1.99", "27")], currency="EUR", pricing=GROSS)

    # then
    assert [ln.net_amount for ln in totals.lines] == [D("7.86"), D("3.94")]
    assert [ln.net_unit_price for ln in totals.lines] == [D("2.620000"), D("3.940000")]
    assert totals.allowances_charges[0].net_amount == D("1.57")
    assert (totals.tax_exclusive, totals.tax_total, totals.rounding) == (D("13.37"), D("3.61"), D("0.00"))
    assert totals.payable == D("16.98")


def test_an_unreachable_gross_total_puts_the_cent_in_the_rounding_amount_and_keeps_the_payable() -> None:
    # given 9.90 gross at 27 %: 7.79 + 2.10 = 9.89 and 7.80 + 2.11 = 9.91, nothing gives 9.90
    # when
    totals = compute_totals([line("1", "9.90", "27")], currency="EUR", pricing=GROSS, prepaid=D("5.00"))
    # then BT-115 = BT-112 − BT-113 + BT-114 = 9.91 − 5.00 − 0.01
    assert (totals.tax_exclusive, totals.tax_total, totals.tax_inclusive) == (D("7.80"), D("2.11"), D("9.91"))
    assert (totals.rounding, totals.payable) == (D("-0.01"), D("4.90"))


def test_allocation_ties_go_to_the_earliest_line_on_invoices_and_credit_notes_alike() -> None:
    # given three equal gross lines of 0.03 at 21 %: G 0.09, B round(0.0744) = 0.07, VAT 0.01,
    # each ideal share 0.0233 -> 0.02, and the one cent left over goes to the first line
    cart = [line("1", "0.03")] * 3
    # when
    invoice = compute_totals(cart, currency="EUR", pricing=GROSS)
    credit = compute_totals([replace(ln, quantity=D("-1")) for ln in cart], currency="EUR", pricing=GROSS)
    # then
    assert [ln.net_amount for ln in invoice.lines] == [D("0.03"), D("0.02"), D("0.02")]
    assert [ln.net_amount for ln in credit.lines] == [D("-0.03"), D("-0.02"), D("-0.02")]
    assert (invoice.rounding, credit.rounding) == (D("0.01"), D("-0.01"))


def test_a_gross_line_fully_offset_by_a_voucher_splits_both_at_the_rate() -> None:
    # given 10.00 gross and a 10.00 voucher at 27 %: G = 0, so B = 0, and both are 10.00 / 1.27 = 7.87 net
    totals = compute_totals([line("1", "10.00", "27")], [allowance("10.00", "27")], currency="EUR", pricing=GROSS)
    assert totals.lines[0].net_amount == totals.allowances_charges[0].net_amount == D("7.87")
    assert (totals.tax_exclusive, totals.tax_total, totals.payable) == (D("0.00"), D("0.00"), D("0.00"))


def test_a_gross_line_discount_is_shown_net_and_the_unit_price_gives_back_the_net_amount() -> None:
    # given 4 × 12.70 gross = 50.80 − 5.08 discount = 45.72 at 27 %: B = 36.00, VAT 9.72
    totals = compute_totals([line("4", "12.70", "27", discount=D("5.08"))], currency="EUR", pricing=GROSS)
    result = totals.lines[0]
    # then the discount is 5.08 / 1.27 = 4.00 net and the price (36.00 + 4.00) / 4 = 10.00
    assert (result.net_amount, result.net_discount, result.net_unit_price) == (D("36.00"), D("4.00"), D("10"))
    assert totals.tax_total == D("9.72")


def test_zero_rated_gross_lines_are_their_own_net_amount() -> None:
    totals = compute_totals([line("3", "3.33", "0", EXPORT)], currency="EUR", pricing=GROSS)
    assert (totals.lines[0].net_amount, totals.tax_total, totals.payable) == (D("9.99"), D("0.00"), D("9.99"))


@pytest.mark.parametrize(
    ("currency", "price", "net", "tax"),
    [
        pytest.param("JPY", "333", D("999"), D("100"), id="JPY-has-no-decimals"),
        pytest.param("HUF", "333", D("999.00"), D("99.90"), id="HUF-has-two-decimals-per-Babel"),
        pytest.param("BHD", "0.3335", D("1.001"), D("0.100"), id="BHD-has-three-decimals"),
    ],
)
def test_amounts_follow_the_currency_precision(currency: str, price: str, net: Decimal, tax: Decimal) -> None:
    totals = compute_totals([line("3", price, "10")], currency=currency)
    assert (totals.tax_exclusive, totals.tax_total) == (net, tax)
    assert str(totals.tax_total) == str(tax)


def test_breakdown_rows_are_sorted_taxed_first_by_descending_rate_then_zero_rated_by_category() -> None:
    lines = [
        line("1", "1", "0", EXPORT),
        line("1", "1", "5", REDUCED),
        line("1", "1", "0", EXEMPT),
        line("1", "1", "27"),
    ]
    totals = compute_totals(lines, currency="EUR")
    assert [(r.vat_category, r.vat_rate) for r in totals.breakdown] == [
        (STANDARD, D("27")),
        (REDUCED, D("5")),
        (EXEMPT, D("0")),
        (EXPORT, D("0")),
    ]


def test_a_credit_note_of_the_hand_computed_invoice_is_its_exact_negative() -> None:
    lines = [line("3", "0.50"), line("2", "1.99", "9", REDUCED, discount=D("0.10"))]
    invoice = compute_totals(lines, [charge("4.95")], currency="EUR")
    credit = compute_totals(
        [replace(ln, quantity=-ln.quantity, discount=-ln.discount) for ln in lines],
        [charge("-4.95")],
        currency="EUR",
    )
    assert credit == _negated(invoice)


# --- Refused input -------------------------------------------------------------------------

OK = line("1", "10.00")


@pytest.mark.parametrize(
    ("lines", "extras", "kwargs", "field", "message"),
    [
        pytest.param([OK, replace(OK, quantity=D(0))], [], {}, "lines[1].quantity", "zero", id="zero-quantity"),
        pytest.param([replace(OK, quantity=1.5)], [], {}, "lines[0].quantity", "float", id="float-quantity"),  # type: ignore[arg-type]
        pytest.param([replace(OK, quantity=2)], [], {}, "lines[0].quantity", "int", id="int-quantity"),  # type: ignore[arg-type]
        pytest.param([replace(OK, unit_price=D("NaN"))], [], {}, "lines[0].unit_price", "finite", id="nan-price"),
        pytest.param([replace(OK, discount=D("-Inf"))], [], {}, "lines[0].discount", "finite", id="inf-discount"),
        pytest.param([replace(OK, unit_price=D("-1"))], [], {}, "lines[0].unit_price", "BR-27", id="neg-price"),
        pytest.param([replace(OK, base_quantity=D(0))], [], {}, "lines[0].base_quantity", "positive", id="bq-0"),
        pytest.param([replace(OK, base_quantity=D(-1))], [], {}, "lines[0].base_quantity", "positive", id="bq<0"),
        pytest.param([line("1", "1", "27", EXPORT)], [], {}, "lines[0].vat_rate", "must be 0", id="export-27"),
        pytest.param([line("1", "1", "0")], [], {}, "lines[0].vat_rate", "above 0", id="standard-0"),
        pytest.param([line("1", "1", "100")], [], {}, "lines[0].vat_rate", "below 100", id="standard-100"),
        pytest.param([replace(OK, vat_rate=21.0)], [], {}, "lines[0].vat_rate", "float", id="float-rate"),  # type: ignore[arg-type]
        pytest.param([replace(OK, vat_category="standard")], [], {}, "lines[0].vat_category", "str", id="str-category"),  # type: ignore[arg-type]
        pytest.param([OK, line("1", "1", "21", OSS)], [], {}, "lines[1].vat_category", "share", id="S-21-twice"),
        pytest.param([replace(OK, quantity=D("1e15"))], [], {}, "lines[0].quantity", "below", id="huge"),
        pytest.param(
            [replace(OK, unit_price=D("1.0000000000001"))],
            [],
            {},
            "lines[0].unit_price",
            "12",
            id="13-places",
        ),
        pytest.param([OK], [charge("1", "0")], {}, "allowances_charges[0].vat_rate", "above 0", id="charge-rate"),
        pytest.param(
            [OK],
            [replace(charge("1"), amount=0.5)],  # type: ignore[arg-type]
            {},
            "allowances_charges[0].amount",
            "float",
            id="float-charge",
        ),
        pytest.param(
            [OK],
            [replace(charge("1"), is_charge=1)],  # type: ignore[arg-type]
            {},
            "allowances_charges[0].is_charge",
            "true",
            id="int-flag",
        ),
        pytest.param([OK], [], {"prepaid": 5.0}, "prepaid", "float", id="float-prepaid"),
        pytest.param([OK], [], {"currency": "XYZ"}, "currency", "XYZ", id="unknown-currency"),
        pytest.param([OK], [], {"pricing": "brutto"}, "pricing", "brutto", id="unknown-pricing"),
    ],
)
def test_invalid_input_is_refused_naming_the_field(
    lines: list[LineInput], extras: list[AllowanceCharge], kwargs: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        compute_totals(lines, extras, **{"currency": "EUR", **kwargs})  # type: ignore[arg-type]
    assert refused.value.field == field
    assert message in refused.value.message


def test_a_pricing_mode_given_as_text_is_understood() -> None:
    totals = compute_totals([line("1", "12.10")], currency="EUR", pricing="gross")  # type: ignore[arg-type]
    assert (totals.pricing, totals.tax_exclusive, totals.payable) == (GROSS, D("10.00"), D("12.10"))


def test_a_document_without_lines_is_refused() -> None:
    with pytest.raises(MissingValue) as refused:
        compute_totals([], currency="EUR")
    assert refused.value.field == "lines"


def test_decimals_with_trailing_zeros_beyond_twelve_places_are_accepted() -> None:
    totals = compute_totals([line("1.000000000000000000", "10.00")], currency="EUR")
    assert totals.payable == D("12.10")


# --- Properties ----------------------------------------------------------------------------


@settings(
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cart=carts())
def test_every_cart_satisfies_br_co_10_to_17_and_its_credit_note_is_its_exact_negative(cart: Cart) -> None:
    # when
    totals = _compute(cart)
    credit = _compute(cart.storno())

    # then
    _assert_calculation_rules(cart, totals)
    if cart.pricing is GROSS:
        _assert_gross_rules(cart, totals)
    else:
        _assert_net_rules(cart, totals)
    assert credit == _negated(totals)
    per_rate: dict[tuple[VatCategory, Decimal], Decimal] = defaultdict(Decimal)
    for row in (*totals.breakdown, *credit.breakdown):
        per_rate[row.vat_category, row.vat_rate] += row.taxable_amount + row.tax_amount
    assert set(per_rate.values()) == {0}


TAXED_RATES = sorted({rate for category, rate in VAT_CHOICES if category.is_taxed})


@pytest.mark.parametrize("rate", TAXED_RATES, ids=[f"{rate}%" for rate in TAXED_RATES])
def test_a_gross_total_is_split_exactly_whenever_any_split_exists(rate: Decimal) -> None:
    # given every gross amount from 0.01 to 15.00
    for cents in range(1, 1501):
        gross = D(cents).scaleb(-2)
        # when
        totals = compute_totals([LineInput(D(1), gross, STANDARD, rate)], currency="EUR", pricing=GROSS)
        # then the rounding amount is needed exactly when no base reaches the gross total
        assert (totals.rounding == 0) == _exact_split_exists(gross, rate, Currency.parse("EUR"))
        assert abs(totals.rounding) <= D("0.01")
        assert totals.payable == gross


@settings(max_examples=300, deadline=None)
@given(cart=carts(st.integers(1, 20)), data=st.data())
def test_line_order_changes_no_total_in_net_mode(cart: Cart, data: st.DataObject) -> None:
    shuffled = replace(cart, lines=tuple(data.draw(st.permutations(cart.lines))), pricing=PricingMode.NET)
    a, b = _compute(replace(cart, pricing=PricingMode.NET)), _compute(shuffled)
    assert _amounts(a) == _amounts(b)
    assert a.breakdown == b.breakdown


# --- Helpers: an independent oracle --------------------------------------------------------

# Wide enough that a quotient rounded to 200 digits cannot land on a half cent by accident.
WIDE = Context(prec=200)
AMOUNT_FIELDS = [f.name for f in fields(DocumentTotals) if f.type == "Decimal"]


def _compute(cart: Cart) -> DocumentTotals:
    return compute_totals(
        cart.lines,
        cart.allowances_charges,
        currency=cart.currency,
        pricing=cart.pricing,
        prepaid=cart.prepaid,
    )


def _amounts(totals: DocumentTotals) -> dict[str, Decimal]:
    return {name: getattr(totals, name) for name in AMOUNT_FIELDS}


def _negated(totals: DocumentTotals) -> DocumentTotals:
    """What the full credit note of ``totals`` must be: every amount negated, unit prices kept."""
    return replace(
        totals,
        lines=tuple(
            LineResult(-r.net_amount, r.net_unit_price, -r.net_discount, r.vat_category, r.vat_rate)
            for r in totals.lines
        ),
        allowances_charges=tuple(
            AllowanceChargeResult(-r.net_amount, r.is_charge, r.vat_category, r.vat_rate, r.reason)
            for r in totals.allowances_charges
        ),
        breakdown=tuple(
            VatBreakdownRow(r.vat_category, r.vat_rate, -r.taxable_amount, -r.tax_amount) for r in totals.breakdown
        ),
        **cast("dict[str, Any]", {name: -value for name, value in _amounts(totals).items()}),
    )


def _rounded(value: Decimal, currency: Currency) -> Decimal:
    return quantize(value, currency)


def _line_amount(ln: LineInput, currency: Currency) -> Decimal:
    """BT-131 (or the gross amount in GROSS mode), in decimal arithmetic rather than integer ratios."""
    exact = WIDE.divide(WIDE.multiply(ln.quantity, ln.unit_price), ln.base_quantity)
    return _rounded(WIDE.subtract(exact, ln.discount), currency)


def _signed(ac: AllowanceCharge, currency: Currency) -> Decimal:
    return _rounded(ac.amount, currency) * (1 if ac.is_charge else -1)


def _exact_split_exists(gross: Decimal, rate: Decimal, currency: Currency) -> bool:
    """Brute force: does any base within five units of G / (1 + r) give back G?"""
    centre = _rounded(WIDE.divide(gross * 100, 100 + rate), currency)
    bases = (centre + k * currency.quantum for k in range(-5, 6))
    return any(base + _rounded(base * rate / 100, currency) == gross for base in bases)


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, D(0))


def _assert_calculation_rules(cart: Cart, totals: DocumentTotals) -> None:
    currency = Currency.parse(cart.currency)
    everything = [
        *_amounts(totals).values(),
        *(r.net_amount for r in totals.lines),
        *(r.net_discount for r in totals.lines),
        *(r.net_amount for r in totals.allowances_charges),
        *(r.taxable_amount for r in totals.breakdown),
        *(r.tax_amount for r in totals.breakdown),
    ]
    assert all(amount.as_tuple().exponent == -currency.precision for amount in everything)
    allowances = [r.net_amount for r in totals.allowances_charges if not r.is_charge]
    charges = [r.net_amount for r in totals.allowances_charges if r.is_charge]
    assert totals.line_net_total == _sum(r.net_amount for r in totals.lines)  # BR-CO-10
    assert totals.allowance_total == _sum(allowances)  # BR-CO-11
    assert totals.charge_total == _sum(charges)  # BR-CO-12
    assert totals.tax_exclusive == totals.line_net_total - totals.allowance_total + totals.charge_total  # BR-CO-13
    assert totals.tax_total == _sum(r.tax_amount for r in totals.breakdown)  # BR-CO-14
    assert totals.tax_inclusive == totals.tax_exclusive + totals.tax_total  # BR-CO-15
    assert totals.payable == totals.tax_inclusive - totals.prepaid + totals.rounding  # BR-CO-16
    assert totals.prepaid == _rounded(cart.prepaid, currency)
    for row in totals.breakdown:  # BR-CO-17
        assert row.tax_amount == _rounded(row.taxable_amount * row.vat_rate / 100, currency)
    # BT-116 of each row is the sum of its lines, charges and allowances (BR-S-08 and siblings).
    base: dict[tuple[VatCategory, Decimal], Decimal] = defaultdict(Decimal)
    for r in totals.lines:
        base[r.vat_category, r.vat_rate] += r.net_amount
    for a in totals.allowances_charges:
        base[a.vat_category, a.vat_rate] += a.net_amount if a.is_charge else -a.net_amount
    assert {(r.vat_category, r.vat_rate): r.taxable_amount for r in totals.breakdown} == base
    assert len(totals.breakdown) == len(base)


def _assert_net_rules(cart: Cart, totals: DocumentTotals) -> None:
    currency = Currency.parse(cart.currency)
    assert [r.net_amount for r in totals.lines] == [_line_amount(ln, currency) for ln in cart.lines]
    assert [r.net_unit_price for r in totals.lines] == [ln.unit_price for ln in cart.lines]
    assert [r.net_amount for r in totals.allowances_charges] == [
        _rounded(ac.amount, currency) for ac in cart.allowances_charges
    ]
    assert totals.rounding == 0


def _assert_gross_rules(cart: Cart, totals: DocumentTotals) -> None:
    currency = Currency.parse(cart.currency)
    gross_lines = [_line_amount(ln, currency) for ln in cart.lines]
    gross_extras = [_signed(ac, currency) for ac in cart.allowances_charges]
    # The buyer pays exactly the sum of the rounded gross amounts the shop showed.
    assert totals.payable == _sum(gross_lines) + _sum(gross_extras) - totals.prepaid

    groups: dict[tuple[VatCategory, Decimal], list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for ln, g, r in zip(cart.lines, gross_lines, totals.lines, strict=True):
        groups[ln.vat_category, ln.vat_rate].append((g, r.net_amount))
    for ac, g, a in zip(cart.allowances_charges, gross_extras, totals.allowances_charges, strict=True):
        groups[ac.vat_category, ac.vat_rate].append((g, a.net_amount if ac.is_charge else -a.net_amount))
    rows = {(r.vat_category, r.vat_rate): r for r in totals.breakdown}
    residuals = D(0)
    for (category, rate), members in groups.items():
        row = rows[category, rate]
        gross = _sum(g for g, _ in members)
        residual = gross - row.taxable_amount - row.tax_amount
        # Exact whenever possible; otherwise one minor unit into BT-114.
        if _exact_split_exists(gross, rate, currency):
            assert residual == 0
        else:
            assert abs(residual) == currency.quantum
        residuals += residual
        # Every share lies within one minor unit of its exact proportional value.
        if gross:
            for g, net in members:
                assert abs(net * gross - g * row.taxable_amount) < abs(gross) * currency.quantum
    assert totals.rounding == residuals

    for ln, r in zip(cart.lines, totals.lines, strict=True):
        # quantity × BT-146 / BT-149 − BT-136 gives back BT-131 within the six-place rounding.
        drift = WIDE.divide(ln.quantity * r.net_unit_price, ln.base_quantity) - r.net_discount - r.net_amount
        assert abs(drift) <= abs(WIDE.divide(ln.quantity, ln.base_quantity)) * D("0.0000005")
