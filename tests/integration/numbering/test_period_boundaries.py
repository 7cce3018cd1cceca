"""The period of a number is the issue date in the seller's time zone (F3.4), to the second.

The test seller is in Europe/Bucharest (UTC+2 in winter): 1 January 00:00:00
there is still 31 December 22:00 in UTC, and must count in the new year.
"""

from __future__ import annotations

import datetime as dt

import pytest

from faktura.apps.invoicing.models import Series
from faktura.apps.invoicing.services import series_preview_next
from tests import factories as make
from tests.integration.numbering.helpers import issue, local

pytestmark = pytest.mark.django_db


def numbers(org, *instants: dt.datetime) -> list[str]:
    return [issue(org, make.draft(org), at=at).number for at in instants]


def test_the_last_second_of_the_year_and_the_first_of_the_next_count_in_their_own_years() -> None:
    org = make.seller()
    make.series(org, "FA{RRRR}{CCC}")
    last_second, first_second = local(2026, 12, 31, 23, 59, 59), local(2027, 1, 1, 0, 0, 0)
    assert first_second.astimezone(dt.UTC).year == 2026

    issued = numbers(org, local(2026, 12, 31, 9), last_second, first_second, local(2027, 1, 1, 0, 0, 1), last_second)

    assert issued == ["FA2026001", "FA2026002", "FA2027001", "FA2027002", "FA2026003"]


def test_a_monthly_series_restarts_at_each_month_boundary_and_at_the_year_boundary() -> None:
    org = make.seller()
    make.series(org, "FV/{RRRR}/{MM}/{CCC}", reset_policy="monthly")

    issued = numbers(
        org,
        local(2027, 1, 31, 23, 59, 59),
        local(2027, 1, 31, 23, 59, 59),
        local(2027, 2, 1, 0, 0, 0),
        local(2026, 12, 31, 23, 59, 59),
        local(2027, 1, 1, 0, 0, 0),
    )

    assert issued == ["FV/2027/01/001", "FV/2027/01/002", "FV/2027/02/001", "FV/2026/12/001", "FV/2027/01/003"]


def test_a_start_number_set_mid_year_continues_from_it_and_next_year_restarts_at_one() -> None:
    org = make.seller()
    series = make.series(org, "FA{RRRR}{CCC}", start_number=158)
    Series.objects.filter(pk=series.pk).update(starts_on=dt.date(2026, 6, 15))  # set up in June

    issued = numbers(org, local(2026, 6, 15, 10), local(2026, 12, 31, 23, 59, 59), local(2027, 1, 1, 0, 0, 0))

    assert issued == ["FA2026158", "FA2026159", "FA2027001"]
    assert series_preview_next(organization=org, series_id=series.pk, on=dt.date(2027, 1, 2)) == "FA2027002"


def test_a_never_resetting_series_counts_across_the_year_boundary() -> None:
    org = make.seller()
    make.series(org, "OVO{RRRR}-{CCCC}", reset_policy="never")

    issued = numbers(org, local(2026, 12, 31, 23, 59, 59), local(2027, 1, 1, 0, 0, 0))

    assert issued == ["OVO2026-0001", "OVO2027-0002"]
