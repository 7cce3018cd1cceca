"""Hypothesis strategies for money and document totals, shared by the core tests.

Carts look like what shops send: prices with four decimals, quantities with up
to three, a handful of VAT rates per cart (so groups hold many lines), some
storno lines, line discounts, vouchers and shipping, EUR/RON/HUF and JPY.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from hypothesis import strategies as st

from faktura.core.totals import AllowanceCharge, LineInput, PricingMode
from faktura.core.vat import VatCategory

CURRENCIES = ("EUR", "RON", "HUF", "JPY")

# No rate is shared by two categories with EN 16931 code S (see totals._check_one_category_per_row).
VAT_CHOICES: tuple[tuple[VatCategory, Decimal], ...] = (
    *((VatCategory.STANDARD, Decimal(rate)) for rate in ("19", "21", "23", "27")),
    *((VatCategory.REDUCED, Decimal(rate)) for rate in ("5", "5.5", "9", "11")),
    *((VatCategory.OSS, Decimal(rate)) for rate in ("20", "25")),
    *((category, Decimal(0)) for category in VatCategory if not category.is_taxed),
)

ANY_VAT = st.sampled_from(VAT_CHOICES)

BASE_QUANTITIES = tuple(Decimal(b) for b in ("1", "1", "1", "1", "10", "100", "0.5", "3"))


def decimals(places: int, min_units: int, max_units: int) -> st.SearchStrategy[Decimal]:
    """Decimals with exactly ``places`` decimals between min_units and max_units × 10**-places."""
    return st.integers(min_units, max_units).map(lambda n: Decimal(n).scaleb(-places))


@dataclass(frozen=True)
class Cart:
    lines: tuple[LineInput, ...]
    allowances_charges: tuple[AllowanceCharge, ...]
    currency: str
    pricing: PricingMode
    prepaid: Decimal

    def storno(self) -> Cart:
        """The full credit note: every quantity, discount, allowance, charge and prepayment negated."""
        return replace(
            self,
            lines=tuple(
                LineInput(-ln.quantity, ln.unit_price, ln.vat_category, ln.vat_rate, -ln.discount, ln.base_quantity)
                for ln in self.lines
            ),
            allowances_charges=tuple(
                AllowanceCharge(-ac.amount, ac.is_charge, ac.vat_category, ac.vat_rate, ac.reason)
                for ac in self.allowances_charges
            ),
            prepaid=-self.prepaid,
        )


# A cart is drawn as its size and one byte string that decodes into everything
# else: three draws per cart instead of seven per line keeps 10,000 carts of up
# to 200 lines affordable, and hypothesis still shrinks the bytes towards zeros,
# which decode to a NET EUR cart of 1 × 0.99 lines at one rate, nothing else.
HEADER_BYTES = 12
LINE_BYTES = 13
EXTRA_BYTES = 4
MAX_EXTRAS = 4
DISCOUNT_PERCENTS = (0, 0, 0, 5, 10, 33, 100)
_PLACES4 = Decimal("0.0001")


def decode_line(chunk: bytes, palette: Sequence[tuple[VatCategory, Decimal]]) -> LineInput:
    category, rate = palette[chunk[0] % len(palette)]
    sign = -1 if chunk[1] >= 192 else 1  # a quarter are storno / return lines
    base = BASE_QUANTITIES[chunk[2] % len(BASE_QUANTITIES)]
    percent = DISCOUNT_PERCENTS[chunk[3] % len(DISCOUNT_PERCENTS)]
    q = int.from_bytes(chunk[5:8])
    # Whole pieces, or 0.001 … 1000.000 of kilograms, hours, metres.
    quantity = Decimal(1 + q % 10) if chunk[4] % 4 == 0 else Decimal(1 + q % 1_000_000).scaleb(-3)
    p = int.from_bytes(chunk[9:13])
    if chunk[8] % 4 == 0:
        price = Decimal(p % 1000) + Decimal("0.99")  # shop prices
    elif chunk[8] % 4 == 1:
        price = Decimal(p % 100).scaleb(-4)  # tiny unit prices (electricity, screws)
    else:
        price = Decimal(p % 100_000_001).scaleb(-4)  # 0.0000 … 10000.0000
    quantity *= sign
    # A line discount in the line's own sign, with four decimals to exercise rounding.
    discount = (quantity * price * percent / 100 / base).quantize(_PLACES4)
    return LineInput(quantity, price, category, rate, discount=discount, base_quantity=base)


def decode_allowance_charge(chunk: bytes, palette: Sequence[tuple[VatCategory, Decimal]]) -> AllowanceCharge:
    category, rate = palette[chunk[0] % len(palette)]
    is_charge = chunk[1] % 2 == 1
    amount = Decimal(int.from_bytes(chunk[2:4])).scaleb(-2)  # 0.00 … 655.35
    return AllowanceCharge(amount, is_charge, category, rate, reason="Shipping" if is_charge else "Voucher")


def decode_cart(data: bytes, size: int) -> Cart:
    header, rest = data[:HEADER_BYTES], data[HEADER_BYTES:]
    picks = [VAT_CHOICES[b % len(VAT_CHOICES)] for b in header[: 1 + header[4] % 4]]
    palette = list(dict.fromkeys(picks))  # one to four distinct rates
    body, extras = rest[: size * LINE_BYTES], rest[size * LINE_BYTES :][: header[5] % (MAX_EXTRAS + 1) * EXTRA_BYTES]
    prepaid = Decimal(int.from_bytes(header[9:12]) % 1_000_001).scaleb(-2) if header[8] % 2 else Decimal(0)
    return Cart(
        lines=tuple(decode_line(chunk, palette) for chunk in _chunks(body, LINE_BYTES)),
        allowances_charges=tuple(decode_allowance_charge(chunk, palette) for chunk in _chunks(extras, EXTRA_BYTES)),
        currency=CURRENCIES[header[6] % len(CURRENCIES)],
        pricing=(PricingMode.NET, PricingMode.GROSS)[header[7] % 2],
        prepaid=prepaid,
    )


def _chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


CART_SIZES = st.one_of(st.integers(1, 10), st.integers(1, 30), st.integers(1, 200))


@st.composite
def carts(draw: st.DrawFn, sizes: st.SearchStrategy[int] = CART_SIZES) -> Cart:
    """A cart of 1–200 lines over one to four VAT rates, with allowances, charges and a prepayment."""
    size = draw(sizes)
    length = HEADER_BYTES + size * LINE_BYTES + MAX_EXTRAS * EXTRA_BYTES
    return decode_cart(draw(st.binary(min_size=length, max_size=length)), size)
