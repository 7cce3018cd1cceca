"""VAT rates by country and date, and the check of a line's rate against its category."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from faktura.core.countries import EU_MEMBER_STATES
from faktura.core.errors import InvalidValue, NotFound
from faktura.core.vat import VatCategory
from faktura.core.vat_rates import CountryRates, rates_for, validate_rate


def rates(standard: str, *reduced: str) -> CountryRates:
    return CountryRates(Decimal(standard), frozenset(Decimal(r) for r in reduced))


@pytest.mark.parametrize(
    ("cc", "on", "expected"),
    [
        ("RO", date(2016, 12, 31), rates("20", "9", "5")),
        ("RO", date(2017, 1, 1), rates("19", "9", "5")),
        ("RO", date(2025, 7, 31), rates("19", "9", "5")),
        ("RO", date(2025, 8, 1), rates("21", "11")),
        ("SK", date(2022, 12, 31), rates("20", "10")),
        ("SK", date(2024, 12, 31), rates("20", "10", "5")),
        ("SK", date(2025, 1, 1), rates("23", "19", "5")),
        ("HU", date(2026, 1, 15), rates("27", "18", "5")),
        ("CZ", date(2023, 12, 31), rates("21", "15", "10")),
        ("CZ", date(2024, 1, 1), rates("21", "12")),
        ("DE", date(2020, 6, 30), rates("19", "7")),
        ("DE", date(2020, 7, 1), rates("16", "5")),
        ("DE", date(2020, 12, 31), rates("16", "5")),
        ("DE", date(2021, 1, 1), rates("19", "7")),
        ("PL", date(2026, 1, 15), rates("23", "8", "5")),
        ("EE", date(2025, 7, 1), rates("24", "13", "9")),
        ("FI", date(2025, 12, 31), rates("25.5", "14", "10")),
        ("FI", date(2026, 1, 1), rates("25.5", "13.5", "10")),
        ("DK", date(2026, 1, 15), rates("25")),
    ],
    ids=[
        "ro-2016",
        "ro-19-from-2017",
        "ro-last-day-of-19",
        "ro-first-day-of-21",
        "sk-before-the-5-percent-rate",
        "sk-last-day-of-20",
        "sk-first-day-of-23",
        "hu",
        "cz-last-day-of-15-and-10",
        "cz-first-day-of-12",
        "de-before-the-cut",
        "de-first-day-of-16",
        "de-last-day-of-16",
        "de-back-to-19",
        "pl",
        "ee-24",
        "fi-last-day-of-14",
        "fi-first-day-of-13-5",
        "dk-has-no-reduced-rate",
    ],
)
def test_the_rates_are_those_in_force_on_the_day(cc: str, on: date, expected: CountryRates) -> None:
    assert rates_for(cc, on) == expected


def test_every_member_state_has_rates_today() -> None:
    for cc in EU_MEMBER_STATES:
        found = rates_for(cc, date(2026, 1, 15))
        assert Decimal(15) <= found.standard < Decimal(30), cc
        assert all(Decimal(0) < r < found.standard for r in found.reduced), cc


def test_the_country_code_is_normalised() -> None:
    assert rates_for(" ro ", date(2026, 1, 15)) == rates("21", "11")


@pytest.mark.parametrize(
    ("cc", "on", "message"),
    [
        ("US", date(2026, 1, 15), "Faktura knows no VAT rates of the United States on 2026-01-15"),
        ("ES", date(2024, 12, 31), "Faktura knows no VAT rates of Spain on 2024-12-31"),
    ],
    ids=["outside-the-eu", "before-the-table"],
)
def test_rates_that_faktura_does_not_know_are_not_found(cc: str, on: date, message: str) -> None:
    with pytest.raises(NotFound) as caught:
        rates_for(cc, on)
    assert (caught.value.field, caught.value.message) == ("country", message)


@pytest.mark.parametrize(
    ("cc", "category", "rate", "on"),
    [
        ("RO", VatCategory.STANDARD, "19", date(2025, 7, 31)),
        ("RO", VatCategory.STANDARD, "21", date(2025, 8, 1)),
        ("RO", VatCategory.REDUCED, "9", date(2025, 7, 31)),
        ("RO", VatCategory.REDUCED, "5", date(2025, 7, 31)),
        ("RO", VatCategory.REDUCED, "11", date(2025, 8, 1)),
        ("SK", VatCategory.STANDARD, "20", date(2024, 12, 31)),
        ("SK", VatCategory.STANDARD, "23", date(2025, 1, 1)),
        ("SK", VatCategory.REDUCED, "10", date(2024, 12, 31)),
        ("SK", VatCategory.REDUCED, "19", date(2025, 1, 1)),
        ("HU", VatCategory.REDUCED, "18", date(2026, 1, 15)),
        ("DE", VatCategory.REDUCED, "5", date(2020, 11, 1)),
        ("FI", VatCategory.STANDARD, "25.50", date(2026, 1, 15)),
        ("RO", VatCategory.STANDARD, "21.00", date(2026, 1, 15)),
        ("DE", VatCategory.OSS, "19", date(2026, 1, 15)),
        ("DE", VatCategory.OSS, "7", date(2026, 1, 15)),
        ("FR", VatCategory.OSS, "5.5", date(2026, 1, 15)),
        ("US", VatCategory.STANDARD, "8.875", date(2026, 1, 15)),
        ("ES", VatCategory.REDUCED, "5", date(2024, 6, 1)),
    ],
    ids=[
        "ro-standard-last-day-of-19",
        "ro-standard-first-day-of-21",
        "ro-reduced-9",
        "ro-reduced-5",
        "ro-reduced-11",
        "sk-standard-last-day-of-20",
        "sk-standard-first-day-of-23",
        "sk-reduced-10",
        "sk-reduced-19",
        "hu-reduced-18",
        "de-covid-reduced-5",
        "fi-trailing-zeros",
        "ro-trailing-zeros",
        "oss-standard-of-destination",
        "oss-reduced-of-destination",
        "oss-fractional",
        "outside-the-eu-any-rate",
        "before-the-table-any-rate",
    ],
)
def test_a_rate_that_fits_its_category_passes(cc: str, category: VatCategory, rate: str, on: date) -> None:
    validate_rate(country=cc, category=category, rate=Decimal(rate), on=on)


@pytest.mark.parametrize(
    ("cc", "category", "rate", "on", "message"),
    [
        (
            "RO",
            VatCategory.STANDARD,
            "21",
            date(2025, 7, 31),
            "21 % is not the standard VAT rate of Romania on 2025-07-31; use 19 (standard) or one of 9, 5 (reduced)",
        ),
        (
            "RO",
            VatCategory.STANDARD,
            "19",
            date(2025, 8, 1),
            "19 % is not the standard VAT rate of Romania on 2025-08-01; use 21 (standard) or 11 (reduced)",
        ),
        (
            "RO",
            VatCategory.REDUCED,
            "9",
            date(2025, 8, 1),
            "9 % is not a reduced VAT rate of Romania on 2025-08-01; use 21 (standard) or 11 (reduced)",
        ),
        (
            "RO",
            VatCategory.REDUCED,
            "21",
            date(2026, 1, 15),
            "21 % is not a reduced VAT rate of Romania on 2026-01-15; use 21 (standard) or 11 (reduced)",
        ),
        (
            "SK",
            VatCategory.STANDARD,
            "20",
            date(2025, 1, 1),
            "20 % is not the standard VAT rate of Slovakia on 2025-01-01; use 23 (standard) or one of 19, 5 (reduced)",
        ),
        (
            "SK",
            VatCategory.REDUCED,
            "19",
            date(2024, 12, 31),
            "19 % is not a reduced VAT rate of Slovakia on 2024-12-31; use 20 (standard) or one of 10, 5 (reduced)",
        ),
        (
            "CZ",
            VatCategory.REDUCED,
            "15",
            date(2024, 1, 1),
            "15 % is not a reduced VAT rate of Czechia on 2024-01-01; use 21 (standard) or 12 (reduced)",
        ),
        (
            "DE",
            VatCategory.STANDARD,
            "19",
            date(2020, 12, 31),
            "19 % is not the standard VAT rate of Germany on 2020-12-31; use 16 (standard) or 5 (reduced)",
        ),
        (
            "DK",
            VatCategory.REDUCED,
            "12.5",
            date(2026, 1, 15),
            "12.5 % is not a reduced VAT rate of Denmark on 2026-01-15; use 25 (standard)",
        ),
        (
            "NL",
            VatCategory.OSS,
            "21.5",
            date(2026, 1, 15),
            "21.5 % is not a VAT rate of the Netherlands on 2026-01-15; use 21 (standard) or 9 (reduced)",
        ),
    ],
    ids=[
        "ro-21-a-day-early",
        "ro-19-a-day-late",
        "ro-old-reduced-after-the-change",
        "ro-standard-rate-as-reduced",
        "sk-20-a-day-late",
        "sk-19-a-day-early",
        "cz-15-a-day-late",
        "de-19-during-the-cut",
        "dk-has-no-reduced-rate",
        "oss-not-a-rate-of-the-destination",
    ],
)
def test_a_rate_that_does_not_fit_is_refused_with_the_rates_to_use(
    cc: str, category: VatCategory, rate: str, on: date, message: str
) -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_rate(country=cc, category=category, rate=Decimal(rate), on=on, field="lines[2].vat_rate")
    assert (caught.value.field, caught.value.message) == ("lines[2].vat_rate", message)


@pytest.mark.parametrize(
    "category",
    [
        VatCategory.ZERO,
        VatCategory.EXEMPT,
        VatCategory.REVERSE_CHARGE,
        VatCategory.INTRA_EU,
        VatCategory.EXPORT,
    ],
    ids=str,
)
def test_an_untaxed_category_needs_a_zero_rate(category: VatCategory) -> None:
    validate_rate(country="RO", category=category, rate=Decimal("0.00"), on=date(2026, 1, 15))
    with pytest.raises(InvalidValue) as caught:
        validate_rate(country="RO", category=category, rate=Decimal("21"), on=date(2026, 1, 15))
    assert caught.value.message == f"21 % is not allowed for category {category}; the rate must be 0"


@pytest.mark.parametrize(
    ("cc", "rate"),
    [("US", "0"), ("US", "100"), ("US", "-5"), ("RO", "0")],
    ids=["zero-outside-the-eu", "hundred", "negative", "zero-in-the-eu"],
)
def test_a_taxed_line_needs_a_rate_above_0_and_below_100(cc: str, rate: str) -> None:
    with pytest.raises(InvalidValue, match="a taxed line needs a rate above 0 and below 100"):
        validate_rate(country=cc, category=VatCategory.STANDARD, rate=Decimal(rate), on=date(2026, 1, 15))


def test_oss_only_taxes_in_a_member_state() -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_rate(country="CH", category=VatCategory.OSS, rate=Decimal("8.1"), on=date(2026, 1, 15))
    assert caught.value.message == "OSS applies to sales to EU member states, and Switzerland is not one"


def test_a_rate_must_be_a_decimal_never_a_float() -> None:
    with pytest.raises(TypeError, match="must be a Decimal, not float"):
        validate_rate(
            country="RO",
            category=VatCategory.STANDARD,
            rate=21.0,  # type: ignore[arg-type]
            on=date(2026, 1, 15),
        )


def test_a_rate_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(InvalidValue, match="NaN is not a VAT rate"):
        validate_rate(country="RO", category=VatCategory.STANDARD, rate=Decimal("NaN"), on=date(2026, 1, 15))
