"""Document totals per EN 16931: line net amounts, VAT breakdown and BT-106 … BT-115.

``compute_totals`` turns lines and document-level allowances and charges into
every amount an invoice or credit note shows, all rounded to the currency's
minor unit half away from zero (see ``faktura.core.money``), so that the
EN 16931 calculation rules BR-CO-10 … BR-CO-17 hold exactly.

NET pricing (B2B: prices exclude VAT). Each line net amount BT-131 is
quantity × price / base quantity − line discount, rounded. VAT is computed once
per (category, rate) on the category's taxable amount BT-116 (line nets +
charges − allowances of that category), never as the sum of per-line VAT
(BR-CO-17). Two rates and shipping, by hand: 25.00 + 4.95 = 29.95 at 21 % gives
6.2895 -> 6.29; 14.97 − 1.00 = 13.97 at 9 % gives 1.2573 -> 1.26:

>>> from faktura.core.vat import VatCategory as Cat
>>> lines = [
...     LineInput(Decimal("2"), Decimal("12.50"), Cat.STANDARD, Decimal("21")),
...     LineInput(Decimal("3"), Decimal("4.99"), Cat.REDUCED, Decimal("9"), discount=Decimal("1.00")),
... ]
>>> shipping = AllowanceCharge(Decimal("4.95"), True, Cat.STANDARD, Decimal("21"), reason="Shipping")
>>> t = compute_totals(lines, [shipping], currency="EUR")
>>> for row in t.breakdown:
...     print(row.vat_category.code, row.vat_rate, row.taxable_amount, row.tax_amount)
S 21 29.95 6.29
S 9 13.97 1.26
>>> t.line_net_total, t.charge_total, t.tax_exclusive, t.tax_total, t.tax_inclusive, t.payable
(Decimal('38.97'), Decimal('4.95'), Decimal('43.92'), Decimal('7.55'), Decimal('51.47'), Decimal('51.47'))

GROSS pricing (B2C shops: prices include VAT). The buyer pays exactly what the
shop showed: the sum of the rounded line gross amounts (quantity × gross price /
base quantity − gross discount), plus gross charges, minus gross allowances.
Per (category, rate r) with gross total G, the taxable amount is
B = round(G / (1 + r)) and its VAT round(B × r), so that B + round(B × r) == G
whenever any B can achieve it: if B + round(B × r) == G then
|B − G / (1 + r)| <= 1/2 / (1 + r) < 1/2, so that B *is* round(G / (1 + r)), the
only candidate worth trying. When it misses, it misses by one minor unit at
most (|G − B − round(B × r)| <= (1 + r) / 2 + 1/2 < 3/2), and that unit goes
to the rounding amount BT-114 so the payable amount is still G. At 27 % about
one gross total in five has no exact split; 9.90 is one (7.79 + 2.10 = 9.89,
7.80 + 2.11 = 9.91):

>>> book = LineInput(Decimal("1"), Decimal("9.90"), Cat.STANDARD, Decimal("27"))
>>> t = compute_totals([book], currency="EUR", pricing=PricingMode.GROSS)
>>> t.tax_exclusive, t.tax_total, t.tax_inclusive, t.rounding, t.payable
(Decimal('7.80'), Decimal('2.11'), Decimal('9.91'), Decimal('-0.01'), Decimal('9.90'))

B is then spread over the group's lines, allowances and charges in proportion
to their gross amounts (largest remainder, ties to the earlier position), so
BR-CO-10 … BR-CO-17 hold exactly in GROSS mode too. A gross line's net unit
price BT-146 is derived from its share: (BT-131 + BT-136) × BT-149 / BT-129,
rounded to six decimals (``UNIT_PRICE_PLACES``), close enough that quantity ×
price gives back the net amount within a cent for any quantity below 10,000;
its BT-136 is the gross discount at the line's rate.

Storno symmetry: a full credit note negates every quantity, discount, allowance,
charge and prepaid amount, and its totals are the exact negation of the
invoice's, because every rounding and every tie-break is symmetric in sign:

>>> storno = LineInput(Decimal("-1"), Decimal("9.90"), Cat.STANDARD, Decimal("27"))
>>> credit = compute_totals([storno], currency="EUR", pricing=PricingMode.GROSS)
>>> credit.tax_exclusive, credit.tax_total, credit.tax_inclusive, credit.rounding, credit.payable
(Decimal('-7.80'), Decimal('-2.11'), Decimal('-9.91'), Decimal('0.01'), Decimal('-9.90'))

Invalid input is refused with the field to blame:

>>> compute_totals([book, LineInput(Decimal("1"), Decimal("5"), Cat.EXPORT, Decimal("27"))], currency="EUR")
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: lines[1].vat_rate: must be 0 for the export category, not 27
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Context, Decimal, Inexact, InvalidOperation
from enum import StrEnum

from faktura.core.errors import InvalidValue, MissingValue
from faktura.core.money import Currency, quantize
from faktura.core.vat import VatCategory

#: Decimals kept for a net unit price derived from a gross price (BT-146).
UNIT_PRICE_PLACES = 6

# Inputs are bounded (below 10**15, at most 12 decimals) so that the exact
# integer arithmetic below stays small and fast.
_MAX_DIGITS_BEFORE_POINT = 15
_MAX_PLACES = 12
# Converting results back to Decimal must never round: Inexact is trapped.
_EXACT = Context(prec=100, traps=[Inexact, InvalidOperation])


class PricingMode(StrEnum):
    """Whether unit prices, discounts, allowances and charges exclude or include VAT."""

    NET = "net"
    GROSS = "gross"


@dataclass(frozen=True, slots=True)
class LineInput:
    """One invoice line (BG-25) as entered, in the pricing mode's terms."""

    quantity: Decimal  # BT-129; negative for storno lines, never zero
    unit_price: Decimal  # BT-146 in NET mode, the gross unit price in GROSS mode
    vat_category: VatCategory  # BT-151
    vat_rate: Decimal  # BT-152, percent
    discount: Decimal = Decimal(0)  # BT-136, an amount for the whole line
    base_quantity: Decimal = Decimal(1)  # BT-149


@dataclass(frozen=True, slots=True)
class AllowanceCharge:
    """A document-level allowance (BG-20, a voucher) or charge (BG-21, shipping)."""

    amount: Decimal  # BT-92 / BT-99; positive on invoices, negative on credit notes
    is_charge: bool
    vat_category: VatCategory  # BT-95 / BT-102
    vat_rate: Decimal  # BT-96 / BT-103
    reason: str = ""  # BT-97 / BT-104


@dataclass(frozen=True, slots=True)
class LineResult:
    net_amount: Decimal  # BT-131
    net_unit_price: Decimal  # BT-146: as entered in NET mode, derived in GROSS mode
    net_discount: Decimal  # BT-136
    vat_category: VatCategory
    vat_rate: Decimal


@dataclass(frozen=True, slots=True)
class AllowanceChargeResult:
    net_amount: Decimal  # BT-92 / BT-99
    is_charge: bool
    vat_category: VatCategory
    vat_rate: Decimal
    reason: str


@dataclass(frozen=True, slots=True)
class VatBreakdownRow:
    """One VAT breakdown row (BG-23); ``vat_category.code`` is BT-118."""

    vat_category: VatCategory
    vat_rate: Decimal  # BT-119
    taxable_amount: Decimal  # BT-116
    tax_amount: Decimal  # BT-117


@dataclass(frozen=True, slots=True)
class DocumentTotals:
    currency: Currency
    pricing: PricingMode
    lines: tuple[LineResult, ...]
    allowances_charges: tuple[AllowanceChargeResult, ...]
    breakdown: tuple[VatBreakdownRow, ...]
    line_net_total: Decimal  # BT-106
    allowance_total: Decimal  # BT-107
    charge_total: Decimal  # BT-108
    tax_exclusive: Decimal  # BT-109
    tax_total: Decimal  # BT-110
    tax_inclusive: Decimal  # BT-112
    prepaid: Decimal  # BT-113
    rounding: Decimal  # BT-114
    payable: Decimal  # BT-115


_Key = tuple[VatCategory, Decimal]


def compute_totals(
    lines: Sequence[LineInput],
    allowances_charges: Sequence[AllowanceCharge] = (),
    *,
    currency: Currency | str,
    pricing: PricingMode = PricingMode.NET,
    prepaid: Decimal = Decimal(0),
) -> DocumentTotals:
    """Every amount of a document, rounded to ``currency``; see the module docstring."""
    cur = currency if isinstance(currency, Currency) else Currency.parse(currency)
    mode = _pricing_mode(pricing)
    _validate(lines, allowances_charges, prepaid)
    scale = 10**cur.precision
    gross = mode is PricingMode.GROSS

    # Signed amounts in minor units, lines first, then allowances (negative) and charges.
    keys: list[_Key] = [(line.vat_category, line.vat_rate) for line in lines]
    keys += [(ac.vat_category, ac.vat_rate) for ac in allowances_charges]
    amounts = [_line_units(line, scale) for line in lines]
    amounts += [_units(ac.amount, cur) * (1 if ac.is_charge else -1) for ac in allowances_charges]

    groups: dict[_Key, list[int]] = {}
    for position, key in enumerate(keys):
        groups.setdefault(key, []).append(position)

    nets = list(amounts)
    rows: list[tuple[_Key, int, int]] = []
    rounding = 0
    for key, positions in groups.items():
        # The rate r is rn / rd percent, so 1 + r / 100 == (100·rd + rn) / (100·rd).
        rn, rd = key[1].as_integer_ratio()
        group_amounts = [amounts[i] for i in positions]
        total = sum(group_amounts)
        base = _div_round(total * 100 * rd, 100 * rd + rn) if gross else total  # GROSS: round(G / (1 + r))
        tax = _div_round(base * rn, 100 * rd)  # BR-CO-17
        if gross:
            rounding += total - base - tax  # 0, or the one unit no base can reach
            for i, net in zip(positions, _allocate(group_amounts, base, rn, rd), strict=True):
                nets[i] = net
        rows.append((key, base, tax))

    rows.sort(key=lambda row: _row_order(row[0]))
    breakdown = tuple(VatBreakdownRow(cat, rate, _dec(base, cur), _dec(tax, cur)) for (cat, rate), base, tax in rows)
    line_nets, ac_nets = nets[: len(lines)], nets[len(lines) :]
    line_results = tuple(_line_result(line, net, cur, gross=gross) for line, net in zip(lines, line_nets, strict=True))
    # Allowances were carried as negative amounts; EN 16931 shows them positive.
    ac_units = [net if ac.is_charge else -net for ac, net in zip(allowances_charges, ac_nets, strict=True)]
    ac_results = tuple(
        AllowanceChargeResult(_dec(units, cur), ac.is_charge, ac.vat_category, ac.vat_rate, ac.reason)
        for ac, units in zip(allowances_charges, ac_units, strict=True)
    )

    line_net_total = sum(line_nets)  # BR-CO-10
    allowance_total = sum(u for ac, u in zip(allowances_charges, ac_units, strict=True) if not ac.is_charge)
    charge_total = sum(u for ac, u in zip(allowances_charges, ac_units, strict=True) if ac.is_charge)
    tax_exclusive = line_net_total - allowance_total + charge_total  # BR-CO-13
    tax_total = sum(tax for _, _, tax in rows)  # BR-CO-14
    tax_inclusive = tax_exclusive + tax_total  # BR-CO-15
    prepaid_units = _units(prepaid, cur)
    return DocumentTotals(
        currency=cur,
        pricing=mode,
        lines=line_results,
        allowances_charges=ac_results,
        breakdown=breakdown,
        line_net_total=_dec(line_net_total, cur),
        allowance_total=_dec(allowance_total, cur),  # BR-CO-11
        charge_total=_dec(charge_total, cur),  # BR-CO-12
        tax_exclusive=_dec(tax_exclusive, cur),
        tax_total=_dec(tax_total, cur),
        tax_inclusive=_dec(tax_inclusive, cur),
        prepaid=_dec(prepaid_units, cur),
        rounding=_dec(rounding, cur),
        payable=_dec(tax_inclusive - prepaid_units + rounding, cur),  # BR-CO-16
    )


def _allocate(amounts: Sequence[int], base: int, rn: int, rd: int) -> list[int]:
    """Split ``base`` over ``amounts`` in proportion, by the largest-remainder method.

    Each share starts as its exact proportional value rounded half away from
    zero; the few units that rounding left over (or took too many) go one each
    to the shares whose rounding moved them furthest the other way, ties to the
    earlier position. Negating every amount and ``base`` negates every share,
    which keeps a credit note the mirror of its invoice.
    """
    total = sum(amounts)
    # Σ amounts × ratio == base exactly; a zero-sum group (a line fully offset by
    # an allowance) is split at the tax rate instead, still summing to base == 0.
    num, den = (base, total) if total else (100 * rd, 100 * rd + rn)
    if den < 0:
        num, den = -num, -den
    shares = [_div_round(amount * num, den) for amount in amounts]
    # Remainder of each share, scaled by den > 0: positive when it was rounded down.
    remainders = [amount * num - share * den for amount, share in zip(amounts, shares, strict=True)]
    left = base - sum(shares)
    if left:
        step = 1 if left > 0 else -1
        order = sorted(range(len(shares)), key=lambda i: (-step * remainders[i], i))
        for i in order[: abs(left)]:
            shares[i] += step
    return shares


def _line_result(line: LineInput, net: int, cur: Currency, *, gross: bool) -> LineResult:
    scale = 10**cur.precision
    dn, dd = line.discount.as_integer_ratio()
    if not gross:
        discount = _div_round(dn * scale, dd)
        return LineResult(_dec(net, cur), line.unit_price, _dec(discount, cur), line.vat_category, line.vat_rate)
    # GROSS: the discount's net value at the line's rate, and the net unit price
    # that gives back the allocated net amount: BT-146 = (BT-131 + BT-136) × BT-149 / BT-129.
    rn, rd = line.vat_rate.as_integer_ratio()
    discount = _div_round(dn * scale * 100 * rd, dd * (100 * rd + rn))
    qn, qd = line.quantity.as_integer_ratio()
    bn, bd = line.base_quantity.as_integer_ratio()
    price = _div_round((net + discount) * bn * qd * 10**UNIT_PRICE_PLACES, scale * bd * qn)
    net_price = Decimal(price).scaleb(-UNIT_PRICE_PLACES, context=_EXACT)
    return LineResult(_dec(net, cur), net_price, _dec(discount, cur), line.vat_category, line.vat_rate)


def _line_units(line: LineInput, scale: int) -> int:
    """BT-131 (the gross amount in GROSS mode) in minor units: q × p / b − d, rounded once.

    Computed on exact integer ratios, so a base quantity of 3 cannot round twice.
    """
    qn, qd = line.quantity.as_integer_ratio()
    pn, pd = line.unit_price.as_integer_ratio()
    bn, bd = line.base_quantity.as_integer_ratio()
    dn, dd = line.discount.as_integer_ratio()
    numerator = (qn * pn * bd * dd - dn * qd * pd * bn) * scale
    return _div_round(numerator, qd * pd * bn * dd)


def _div_round(numerator: int, denominator: int) -> int:
    """numerator / denominator (non-zero) rounded half away from zero, like ROUND_HALF_UP."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
    return magnitude if numerator >= 0 else -magnitude


def _units(amount: Decimal, cur: Currency) -> int:
    """An input amount in minor units, rounded half away from zero."""
    return int(quantize(amount, cur).scaleb(cur.precision, context=_EXACT))


def _dec(units: int, cur: Currency) -> Decimal:
    return Decimal(units).scaleb(-cur.precision, context=_EXACT)


_CATEGORY_INDEX = {category: index for index, category in enumerate(VatCategory)}


def _row_order(key: _Key) -> tuple[bool, Decimal, int]:
    """Taxed rows first, highest rate first; then the zero-rated ones in category order."""
    category, rate = key
    return (not category.is_taxed, -rate, _CATEGORY_INDEX[category])


def _validate(lines: Sequence[LineInput], allowances_charges: Sequence[AllowanceCharge], prepaid: Decimal) -> None:
    if not lines:
        raise MissingValue("a document needs at least one line (EN 16931 BG-25)", field="lines")
    rows: set[_Key] = set()  # each (category, rate) of the document, checked once
    for i, line in enumerate(lines):
        field = f"lines[{i}]"
        if _number(line.quantity, f"{field}.quantity") == 0:
            raise InvalidValue("must not be zero", field=f"{field}.quantity")
        if _number(line.unit_price, f"{field}.unit_price") < 0:
            raise InvalidValue(
                "must not be negative (EN 16931 BR-27); credit with a negative quantity",
                field=f"{field}.unit_price",
            )
        _check_vat(line.vat_category, line.vat_rate, field, rows)
        _number(line.discount, f"{field}.discount")
        if _number(line.base_quantity, f"{field}.base_quantity") <= 0:
            raise InvalidValue("must be positive", field=f"{field}.base_quantity")
    for i, ac in enumerate(allowances_charges):
        field = f"allowances_charges[{i}]"
        _number(ac.amount, f"{field}.amount")
        if not isinstance(ac.is_charge, bool):
            raise InvalidValue("must be true or false", field=f"{field}.is_charge")
        _check_vat(ac.vat_category, ac.vat_rate, field, rows)
    _number(prepaid, "prepaid")


def _pricing_mode(value: PricingMode | str) -> PricingMode:
    try:
        return PricingMode(value)
    except ValueError:
        choices = ", ".join(mode.value for mode in PricingMode)
        raise InvalidValue(f"unknown pricing mode {value!r}; use one of {choices}", field="pricing") from None


def _number(value: object, field: str) -> Decimal:
    """A finite Decimal below 10**15 with at most 12 decimals; a float is refused, never converted."""
    if not isinstance(value, Decimal):
        raise InvalidValue(f"must be a Decimal, not {type(value).__name__}", field=field)
    if not value.is_finite():
        raise InvalidValue(f"must be a finite number, not {value}", field=field)
    if value.is_zero():
        return value
    magnitude = value.adjusted()  # the exponent of the leading digit: 2 for 123.45
    if magnitude >= _MAX_DIGITS_BEFORE_POINT:
        raise InvalidValue(f"must be below 1E+{_MAX_DIGITS_BEFORE_POINT} in absolute value", field=field)
    # The magnitude test first keeps 1E-999999999 from becoming a huge fraction.
    if magnitude < -_MAX_PLACES or 10**_MAX_PLACES % value.as_integer_ratio()[1]:
        raise InvalidValue(f"must have at most {_MAX_PLACES} decimal places", field=field)
    return value


def _check_vat(category: object, rate: object, field: str, seen: set[_Key]) -> None:
    """A known category with a rate it allows; checked once per (category, rate) of a document."""
    if not isinstance(category, VatCategory):
        raise InvalidValue(f"must be a VatCategory, not {type(category).__name__}", field=f"{field}.vat_category")
    rate = _number(rate, f"{field}.vat_rate")
    if (category, rate) in seen:
        return
    if category.is_taxed and not 0 < rate < 100:
        raise InvalidValue(
            f"must be above 0 and below 100 for the {category} category, not {rate}",
            field=f"{field}.vat_rate",
        )
    if not category.is_taxed and rate != 0:
        raise InvalidValue(f"must be 0 for the {category} category, not {rate}", field=f"{field}.vat_rate")
    # EN 16931 keys the VAT breakdown by code and rate, and standard, reduced and
    # OSS share code S: two of them at one rate would need one row, and merging
    # two rows after rounding would break BR-CO-17, so such a document is refused.
    for other_category, other_rate in seen:
        if other_category.code == category.code and other_rate == rate:
            raise InvalidValue(
                f"{category} and {other_category} at {rate} % would share one EN 16931 VAT breakdown row "
                f"({category.code} {rate} %); use one category per rate",
                field=f"{field}.vat_category",
            )
    seen.add((category, rate))
