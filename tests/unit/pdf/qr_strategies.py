"""Hypothesis strategies for payments a document can ask for."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st
from stdnum import iban as stdnum_iban

from faktura.payqr import Payment, payment
from faktura.payqr.transfer import one_line

# Country, then the BBAN as (kind, length) runs: "n" digits, "a" capital letters.
_BBAN_FORMATS = {
    "SK": (("n", 20),),
    "CZ": (("n", 20),),
    "DE": (("n", 18),),
    "AT": (("n", 16),),
    "HU": (("n", 24),),
    "PL": (("n", 24),),
    "RO": (("a", 4), ("n", 16)),
    "LU": (("n", 3), ("n", 13)),
}


@st.composite
def ibans(draw: st.DrawFn, countries: tuple[str, ...] = tuple(_BBAN_FORMATS)) -> str:
    country = draw(st.sampled_from(countries))
    bban = ""
    for kind, length in _BBAN_FORMATS[country]:
        alphabet = "0123456789" if kind == "n" else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        bban += draw(st.text(alphabet=alphabet, min_size=length, max_size=length))
    number = country + stdnum_iban.calc_check_digits(country + "00" + bban) + bban
    return number


_TEXT = st.characters(categories=("L", "N", "P", "Zs", "Sc", "Sm"), exclude_characters="\u2028\u2029")


def texts(*, most: int, least: int = 0) -> st.SearchStrategy[str]:
    """Text a person types, possibly with tabs and line breaks, at most ``most`` characters on one line."""
    raw = st.text(alphabet=st.one_of(_TEXT, st.sampled_from("\t\n\r")), min_size=least, max_size=most)
    return raw.filter(lambda text: len(one_line(text)) >= least)


@st.composite
def payments(
    draw: st.DrawFn,
    *,
    currencies: tuple[str, ...] = ("EUR",),
    countries: tuple[str, ...] = tuple(_BBAN_FORMATS),
    most_amount: int = 99_999_999_999,
) -> Payment:
    cents = draw(st.integers(min_value=1, max_value=most_amount))
    return payment(
        beneficiary=draw(texts(most=70, least=1)),
        iban=draw(ibans(countries)),
        bic=draw(st.sampled_from(["", "TATRSKBX", "GIBASKBX", "DEUTDEFF500"])),
        amount=Decimal(cents).scaleb(-2),
        currency=draw(st.sampled_from(currencies)),
        due_date=draw(st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))),
        variable_symbol=draw(st.text(alphabet="0123456789", max_size=10)),
        constant_symbol=draw(st.text(alphabet="0123456789", max_size=4)),
        specific_symbol=draw(st.text(alphabet="0123456789", max_size=10)),
        note=draw(texts(most=140)),
    )
